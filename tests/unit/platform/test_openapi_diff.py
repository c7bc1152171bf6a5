"""scripts/openapi_diff.py: additions pass, removals and changes fail (#8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.openapi_diff import main

BEFORE: dict[str, Any] = {
    "paths": {
        "/a": {
            "get": {
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
                ]
            }
        }
    },
    "components": {"schemas": {"A": {"properties": {"price": {"type": "string"}}}}},
}


def _run(tmp_path: Path, after: dict[str, Any]) -> int:
    (tmp_path / "before.json").write_text(json.dumps(BEFORE))
    (tmp_path / "after.json").write_text(json.dumps(after))
    return main(["openapi_diff.py", str(tmp_path / "before.json"), str(tmp_path / "after.json")])


def test_additions_and_reordered_parameters_pass(tmp_path: Path) -> None:
    after = json.loads(json.dumps(BEFORE))
    operation = after["paths"]["/a"]["get"]
    operation["parameters"].reverse()
    operation["x-permission"] = ["catalog:read"]
    after["components"]["schemas"]["A"]["properties"]["price"]["format"] = "decimal"
    after["paths"]["/b"] = {"post": {}}
    assert _run(tmp_path, after) == 0


def test_a_removal_or_a_change_fails(tmp_path: Path) -> None:
    removed = json.loads(json.dumps(BEFORE))
    removed["paths"]["/a"]["get"]["parameters"].pop()
    assert _run(tmp_path, removed) == 1
    changed = json.loads(json.dumps(BEFORE))
    changed["components"]["schemas"]["A"]["properties"]["price"]["type"] = "number"
    assert _run(tmp_path, changed) == 1
