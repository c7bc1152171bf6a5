"""``make bench``'s summary (issue 13): the figures recorded by the benchmarks become one
Markdown table and ``latest.json`` as ``{"P1": {"value", "baseline", "ratio", "goal"}, …}``.
Only the writer is tested here: benchmarks are programs, not tests (bench/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

from bench import _figures
from bench._figures import Figure


def _figure(figure_id: str, met: bool = True) -> Figure:
    return Figure(
        figure_id, "order placement", 120.4, "orders/s", 300.0, 0.402, "ratio >= 0.40", met
    )


def test_the_table_has_one_row_a_figure_in_order_and_says_what_missed() -> None:
    _figures._recorded.clear()
    for figure_id, met in (("P3", True), ("P1b", False), ("P10", True), ("P1", True)):
        _figures.record(_figure(figure_id, met))
    _figures.record(_figure("P3", False))  # a later one replaces the first
    lines = _figures.table(_figures.recorded()).splitlines()
    _figures._recorded.clear()
    assert lines[0] == "| figure | value | baseline | ratio | goal | met |"
    rows = lines[2:]
    assert [row.split()[1] for row in rows] == ["P1", "P1b", "P3", "P10"]
    assert rows[0] == (
        "| P1 order placement | 120 orders/s | 300 orders/s | 0.402 | ratio >= 0.40 | yes |"
    )
    assert rows[1].endswith("| **NO** |")
    assert rows[2].endswith("| **NO** |")


def test_latest_json_has_value_baseline_ratio_and_goal_per_figure(tmp_path: Path) -> None:
    path = tmp_path / "results" / "latest.json"
    absolute = Figure("P6", "dashboard", 42.0, "ms", 900.0, 21.4, "p95 < 100 ms", True, {"n": 1})
    _figures.write([_figure("P1"), absolute], path, scale=0.01, seconds=12)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert set(written) == {"P1", "P6", "run"}
    assert {k: written["P1"][k] for k in ("value", "baseline", "ratio", "goal")} == {
        "value": 120.4,
        "baseline": 300.0,
        "ratio": 0.402,
        "goal": "ratio >= 0.40",
    }
    assert written["P6"]["met"] is True
    assert written["P6"]["detail"] == {"n": 1}
    assert written["run"] == {"scale": 0.01, "seconds": 12}
