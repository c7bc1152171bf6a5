"""docs/roles.md documents exactly the built-in roles the code grants (PLT-2)."""

from __future__ import annotations

import re
from pathlib import Path

from domain.identity.permissions import ALL_PERMISSIONS, BUILTIN_ROLES

DOC = Path(__file__).resolve().parents[3] / "docs" / "roles.md"


def _documented_roles() -> dict[str, frozenset[str]]:
    text = DOC.read_text(encoding="utf-8").split("## Built-in roles", 1)[1]
    roles: dict[str, frozenset[str]] = {}
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        name, _, body = block.partition("\n")
        roles[name.strip()] = frozenset(re.findall(r"`([a-z_]+:[a-z_]+)`", body))
    return roles


def test_built_in_roles_match_the_documentation() -> None:
    assert _documented_roles() == BUILTIN_ROLES


def test_every_permission_is_documented() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Built-in roles", 1)[0]
    assert set(re.findall(r"^\| `([a-z_]+:[a-z_]+)` \|", table, flags=re.M)) == ALL_PERMISSIONS
