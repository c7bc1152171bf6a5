"""Which message codes the source raises, and in which module: the extraction step of
``make messages`` and the completeness test read the same scan.

A code is found where it is written literally: a ``DomainError`` subclass's ``code = "..."``,
the first argument of an error class (``Conflict("role_in_use", key=...)``), the code of a
``FieldError``/``ValidationFailed.single`` and of an import ``RowError``. The keyword
arguments beside it are the message's placeholders.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]

PLATFORM = "platform"
#: The modules: every package of the application layer but the shared kernel (found, not
#: listed, so a new module gets its message domain without an edit here). A code raised in
#: one of them belongs to its domain; a code raised in several (or outside any) to the
#: shared ``platform`` domain.
MODULES = tuple(
    sorted(
        path.name
        for path in (SRC / "application").iterdir()
        if (path / "__init__.py").is_file() and path.name != "shared"
    )
)
CONSOLE = "console"  # the web console's labels: dotted ids ("nav.orders"), never codes
DOMAINS = (PLATFORM, *MODULES, CONSOLE)
WEB = SRC / "entrypoints" / "web"
# A label in a template: t("nav.orders"); in the console's Python: any dotted id literal.
_LABEL = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"
_TEMPLATE_LABEL = re.compile(r"""\bt\(\s*["'](""" + _LABEL + r""")["']""")
_PYTHON_LABEL = re.compile(_LABEL)
_FILE_NAMES = (".html", ".js", ".css")  # a template's name is no label

# Calls whose first argument is a code: the DomainError classes that take one.
_CODE_FIRST = {
    "DomainError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "StaleVersion",
    "AuthenticationFailed",
    "TenantSuspended",
    "VersionRequired",
}
# Calls whose code is a later positional argument: name -> its index.
_CODE_AT = {"single": 1, "FieldError": 1, "RowError": 2}
_LAYERS = {"domain", "application", "adapters", "entrypoints"}
_SUBLAYERS = {"postgres", "http", "cli", "worker", "web"}


@dataclass(frozen=True)
class CodeUse:
    """One place a code is raised: file (relative to the repository), line, parameters."""

    code: str
    path: str
    line: int
    params: tuple[str, ...]
    module: str


def module_of(path: Path) -> str:
    """``src/application/catalog/products/create.py`` -> ``catalog``; the kernel -> ``platform``."""
    parts = [p.removesuffix(".py") for p in path.relative_to(SRC).parts]
    if parts and parts[0] in _LAYERS:
        parts = parts[1:]
        if parts and parts[0] in _SUBLAYERS:
            parts = parts[1:]
    return parts[0] if parts and parts[0] in MODULES else PLATFORM


def code_uses(root: Path = SRC) -> Iterator[CodeUse]:
    """Every literal code in the Python files under ``root``, and the console's labels."""
    yield from _raised_codes(root)
    yield from label_uses(root / WEB.relative_to(SRC))


def label_uses(web: Path = WEB) -> Iterator[CodeUse]:
    """The console's labels: ``t("...")`` in its templates, dotted id literals in its
    Python (menu entries, messages the pages choose)."""
    for path in sorted(web.rglob("*.html")):
        shown = path.relative_to(SRC.parent).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for found in _TEMPLATE_LABEL.finditer(line):
                yield CodeUse(found[1], shown, number, (), CONSOLE)
    for path in sorted(web.rglob("*.py")):
        shown = path.relative_to(SRC.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _PYTHON_LABEL.fullmatch(node.value)
                and not node.value.endswith(_FILE_NAMES)
            ):
                yield CodeUse(node.value, shown, node.lineno, (), CONSOLE)


def _raised_codes(root: Path) -> Iterator[CodeUse]:
    for path in sorted(root.rglob("*.py")):
        module = module_of(path)
        shown = path.relative_to(SRC.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "code" for t in stmt.targets)
                        and isinstance(stmt.value, ast.Constant)
                        and isinstance(stmt.value.value, str)
                    ):
                        yield CodeUse(stmt.value.value, shown, stmt.lineno, (), module)
            if isinstance(node, ast.Call):
                code = _code_argument(node)
                if code is not None:
                    params = tuple(k.arg for k in node.keywords if k.arg)
                    yield CodeUse(code, shown, node.lineno, params, module)


def _code_argument(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    index = 0 if name in _CODE_FIRST else _CODE_AT.get(name)
    if index is None or len(call.args) <= index:
        return None
    argument = call.args[index]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    return None


def domain_of_codes(uses: list[CodeUse]) -> dict[str, str]:
    """Each code's domain: the one module raising it, else ``platform``."""
    modules: dict[str, set[str]] = {}
    for use in uses:
        modules.setdefault(use.code, set()).add(use.module)
    return {code: next(iter(m)) if len(m) == 1 else PLATFORM for code, m in modules.items()}
