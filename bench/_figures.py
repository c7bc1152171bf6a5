"""The figures P1–P8 of issue 13: each benchmark records what it measured beside its
baseline (``record``), and ``python -m bench`` prints them as one Markdown table and writes
them to ``bench/results/latest.json`` as ``{"P1": {"value": …, "baseline": …, "ratio": …,
"goal": …}, …}``.

``ratio`` is always Shopkeeper's rate over the baseline's (for times: the baseline's time
over Shopkeeper's), so above 1 is faster than the baseline; a figure with a goal of its own
(statements, milliseconds) says so in ``goal`` and is judged by ``met``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


@dataclass(frozen=True)
class Figure:
    id: str  # P1 … P8 (P1b: the second baseline of P1)
    what: str
    value: float
    unit: str
    baseline: float | None  # the baseline's value in the same unit
    ratio: float | None
    goal: str  # e.g. "ratio >= 0.40", "<= 12", "p95 < 100 ms"
    met: bool
    detail: dict[str, Any] = field(default_factory=dict)  # latencies, counts, the baseline's name


_recorded: list[Figure] = []


def record(figure: Figure) -> None:
    """Keep ``figure`` for the run's table (a later one with the same id replaces it)."""
    _recorded[:] = [f for f in _recorded if f.id != figure.id]
    _recorded.append(figure)


def recorded() -> list[Figure]:
    return sorted(_recorded, key=lambda f: (len(f.id.rstrip("ab")), f.id))


def scale() -> float:
    """``BENCH_SCALE`` (default 1: the issue's sizes): every benchmark's data and calls."""
    return float(os.environ.get("BENCH_SCALE", "1"))


def _shown(number: float | None) -> str:
    if number is None:
        return "—"
    if abs(number) >= 100 or float(number).is_integer():
        return f"{number:,.0f}"
    return f"{number:,.3g}" if abs(number) < 1 else f"{number:,.2f}"


def table(figures: list[Figure]) -> str:
    """One Markdown table: figure, value, baseline, ratio, goal (and whether it was met)."""
    lines = [
        "| figure | value | baseline | ratio | goal | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in figures:
        baseline = f"{_shown(f.baseline)} {f.unit}" if f.baseline is not None else "—"
        lines.append(
            f"| {f.id} {f.what} | {_shown(f.value)} {f.unit} | {baseline} | {_shown(f.ratio)}"
            f" | {f.goal} | {'yes' if f.met else '**NO**'} |"
        )
    return "\n".join(lines)


def write(figures: list[Figure], path: Path = RESULTS, **run: Any) -> None:
    """``path`` as ``{"P1": {"value", "baseline", "ratio", "goal", …}, …}``; ``run`` (the
    scale, seconds, load) under ``"run"``."""
    body: dict[str, Any] = {
        f.id: {k: v for k, v in asdict(f).items() if k != "id"} for f in figures
    }
    body["run"] = run
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
