"""``make reliability`` prints each claim's seconds in its table (issue 13: the run's
15-minute budget is read claim by claim)."""

from __future__ import annotations

from tests.reliability.__main__ import table


def test_each_row_says_its_claims_seconds_and_verdict() -> None:
    results = {
        "R4": {
            "claim": "worker crash",
            "figures": {
                "lost": {"value": 0, "expected": 0},
                "events": {"value": 9, "expected": None},
            },
            "test_seconds": 123.4,
            "pass": True,
        },
        "R7": {"claim": "pool leakage", "figures": {}, "test_seconds": 0.0, "pass": False},
    }
    assert table(results).splitlines() == [
        "| id | claim | figure | expected | s | pass |",
        "|---|---|---|---|---:|---|",
        "| R4 | worker crash | lost 0, events 9 | lost 0 | 123 | yes |",
        "| R7 | pool leakage | no figure recorded | — | 0 | **NO** |",
    ]
