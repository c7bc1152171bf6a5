"""Business errors in the domain and application layers are coded ``DomainError``s (#8).

A bare built-in exception escaping a use case is a 500 waiting to happen: the API cannot
give it a status or a message. One may stay only as a guard against an impossible internal
state (a programming error), said so by a ``# guard: <why it cannot happen>`` comment on the
line of the ``raise`` or on the line just above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"
BUILT_INS = {
    "ArithmeticError",
    "AssertionError",
    "Exception",
    "IndexError",
    "KeyError",
    "LookupError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}


def _raised_name(node: ast.Raise) -> str | None:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return exc.id if isinstance(exc, ast.Name) else None


def unguarded_raises(source: str) -> list[int]:
    """Lines raising a bare built-in exception without a ``# guard:`` comment."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and _raised_name(node) in BUILT_INS:
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2] if node.lineno > 1 else ""
            if "# guard:" not in here and not above.strip().startswith("# guard:"):
                found.append(node.lineno)
    return found


def test_the_scan_tells_a_guard_from_a_business_error() -> None:
    source = (
        "def f(x):\n"
        "    if x:\n"
        "        # guard: callers never pass x\n"
        "        raise ValueError('x')\n"
        "    raise TypeError('y')\n"
        "    raise ValueError  # guard: unreachable\n"
        "    raise KeyError(x)\n"
    )
    assert unguarded_raises(source) == [5, 7]


def test_domain_and_application_raise_no_bare_built_in_exception_without_a_guard() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{line}"
        for layer in ("domain", "application")
        for path in sorted((SRC / layer).rglob("*.py"))
        for line in unguarded_raises(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "raise a coded DomainError (domain/shared/errors.py) with messages in every "
        "language, or mark an impossible state with '# guard: <why>':\n" + "\n".join(offenders)
    )
