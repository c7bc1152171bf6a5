"""Every file a docstring, comment or document points at exists (#8).

Scanned: the Python sources (src, tests, bench, migrations, scripts) and every Markdown
page (README, docs, deploy, bench). Checked: repository paths (``docs/catalog.md``,
``src/...``), source paths without ``src/`` (``adapters/postgres/shared/tables.py``) and
relative Markdown links. Globs and placeholders (``<module>``, ``NNNN``, ``*``) are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TOP = ("src", "docs", "deploy", "bench", "tests", "migrations", "scripts", ".ci")
LAYERS = ("domain", "application", "adapters", "entrypoints", "bootstrap")
SUFFIXES = ("md", "py", "toml", "sh", "yaml", "yml", "json", "ini", "po", "pot")
PATH = re.compile(
    r"(?<![\w./-])((?:"
    + "|".join(re.escape(t) for t in TOP + LAYERS)
    + r")/[\w./-]*\.(?:"
    + "|".join(SUFFIXES)
    + r"))(?![\w])"
)
LINK = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"[<>*{}]|NNNN|\.\.\.|/x\.py$|/X\.py$")
SKIP_DIRS = {".venv", ".tools", "var", ".git", "node_modules", "__pycache__"}


def _files() -> list[Path]:
    found: list[Path] = []
    for top in ("src", "tests", "bench", "migrations", "scripts", "docs", "deploy"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix in (".py", ".md") and not SKIP_DIRS & set(path.parts):
                found.append(path)
    found.append(ROOT / "README.md")
    return found


def _exists(target: str) -> bool:
    target = target.rstrip(".")
    if (ROOT / target).exists():
        return True
    return target.split("/", 1)[0] in LAYERS and (ROOT / "src" / target).exists()


def broken_references(path: Path, text: str) -> list[str]:
    broken = []
    for match in PATH.finditer(text):
        target = match.group(1)
        if PLACEHOLDER.search(target) or _exists(target):
            continue
        broken.append(target)
    if path.suffix == ".md":
        for match in LINK.finditer(text):
            target = match.group(1).split("#", 1)[0]
            if not target or re.match(r"^[a-z]+:", target) or PLACEHOLDER.search(target):
                continue
            if not (path.parent / target).exists():
                broken.append(target)
    return broken


def test_the_scan_finds_a_broken_reference() -> None:
    here = ROOT / "docs" / "page.md"
    text = "see docs/nowhere.md and [x](missing.md) and adapters/postgres/<module>/store.py"
    assert broken_references(here, text) == ["docs/nowhere.md", "missing.md"]
    assert broken_references(here, "see docs/decisions.md and [d](decisions.md)") == []


def test_every_referenced_file_exists() -> None:
    problems = [
        f"{path.relative_to(ROOT)}: {target}"
        for path in _files()
        if path.resolve() != Path(__file__).resolve()
        for target in broken_references(path, path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "references to files that do not exist:\n" + "\n".join(problems)


def test_no_reference_to_the_design_page_outside_the_repository() -> None:
    """The design page lives in the repository as docs/architecture.md."""
    citing = [
        str(path.relative_to(ROOT))
        for path in _files()
        if path.resolve() != Path(__file__).resolve()
        and re.search(r"(?<![\w/])ARCHITECTURE\.md", path.read_text(encoding="utf-8"))
    ]
    assert citing == []
