"""Compare two OpenAPI documents: prints what was added, removed or changed in paths,
operations, parameters, schemas and properties. Exits 1 when anything was removed or
changed, 0 when the second document only adds to the first (#8: the API's contract may
grow, never shrink or shift).

    uv run --frozen shopkeeper openapi > after.json
    uv run --frozen python scripts/openapi_diff.py before.json after.json

Lists are compared by identity where they have one (parameters by name and place), by
position otherwise; order alone is no change. A key that appears is an addition, one that
disappears a removal, a value that differs a change.
"""

from __future__ import annotations

import json
import sys
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class Report:
    def __init__(self) -> None:
        self.added: list[str] = []
        self.removed: list[str] = []
        self.changed: list[str] = []

    def compare(self, where: str, before: Any, after: Any) -> None:
        if isinstance(before, dict) and isinstance(after, dict):
            for key in before:
                if key not in after:
                    self.removed.append(f"{where}/{key}")
                else:
                    self.compare(f"{where}/{key}", before[key], after[key])
            self.added += [f"{where}/{key}" for key in after if key not in before]
        elif isinstance(before, list) and isinstance(after, list):
            if _keyed(before) and _keyed(after):
                self.compare(where, _by_key(before), _by_key(after))
            elif all(not isinstance(x, dict | list) for x in before + after):
                self.compare(where, {str(x): x for x in before}, {str(x): x for x in after})
            else:
                for i, item in enumerate(before):
                    if i >= len(after):
                        self.removed.append(f"{where}[{i}]")
                    else:
                        self.compare(f"{where}[{i}]", item, after[i])
                self.added += [f"{where}[{i}]" for i in range(len(before), len(after))]
        elif before != after:
            self.changed.append(f"{where}: {json.dumps(before)} -> {json.dumps(after)}")


def _keyed(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(x, dict) and "name" in x and "in" in x for x in items)


def _by_key(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {f"{x['in']}:{x['name']}": x for x in items}


def summary(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """Counts at the levels people read a contract by: paths, operations, schemas."""
    paths_b, paths_a = before.get("paths", {}), after.get("paths", {})
    ops_b = {f"{m.upper()} {p}" for p, item in paths_b.items() for m in item if m in METHODS}
    ops_a = {f"{m.upper()} {p}" for p, item in paths_a.items() for m in item if m in METHODS}
    schemas_b = set(before.get("components", {}).get("schemas", {}))
    schemas_a = set(after.get("components", {}).get("schemas", {}))
    return {
        "paths added": sorted(set(paths_a) - set(paths_b)),
        "paths removed": sorted(set(paths_b) - set(paths_a)),
        "operations added": sorted(ops_a - ops_b),
        "operations removed": sorted(ops_b - ops_a),
        "schemas added": sorted(schemas_a - schemas_b),
        "schemas removed": sorted(schemas_b - schemas_a),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: openapi_diff.py BEFORE.json AFTER.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        before = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        after = json.load(f)
    for title, items in summary(before, after).items():
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item}")
    report = Report()
    report.compare("", before, after)
    for title, items in (
        ("added", report.added),
        ("removed", report.removed),
        ("changed", report.changed),
    ):
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item}")
    return 1 if report.removed or report.changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
