"""Run the benchmarks: those of issue 13's figures P1–P8 by default, then one table of them.

    python -m bench                  # the figures' benchmarks: one table, bench/results/latest.json
    python -m bench all              # every ``bench/*.py`` module (not ``_private``) with a main()
    python -m bench catalog_search   # only those named (``search`` works too)

``main()`` may return a coroutine (it is run) and False when its goal was missed. Each
benchmark runs even when one before it failed; the exit status is 1 if any failed or missed.
``BENCH_SCALE`` scales every benchmark's data and calls (``bench/_figures.py``).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import sys
import time
import traceback
from pathlib import Path

from bench import _figures
from bench._quiet import quiet_http_logs
from bootstrap.event_loop import use_uvloop

HERE = Path(__file__).resolve().parent
# The benchmarks that record issue 13's figures (bench/_figures.py), cheapest first.
FIGURES = ["orders_place", "catalog_import", "orders_analytics", "orders_intake"]
FIGURES += ["inventory_valuation"]


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    if not selected:
        return FIGURES
    if selected == ["all"]:
        return names
    chosen = [n for n in names if any(n in (s, f"catalog_{s}") for s in selected)]
    unknown = [s for s in selected if not any(n in (s, f"catalog_{s}") for n in names)]
    if unknown:
        raise SystemExit(f"no benchmark named {', '.join(unknown)} (have: {', '.join(names)})")
    return chosen


def run(name: str) -> bool:
    module = importlib.import_module(f"bench.{name}")
    entry = getattr(module, "main", None)
    if not callable(entry):
        print(f"(bench/{name}.py has no main(); skipped)")
        return True
    result = entry()
    if inspect.isawaitable(result):
        result = asyncio.run(result)  # type: ignore[arg-type]
    return result is not False


def main(argv: list[str]) -> int:
    quiet_http_logs()
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    failed = []
    begun_all = time.perf_counter()
    for name in discover(argv):
        print(f"\n=== bench/{name}.py ===", flush=True)
        begun = time.perf_counter()
        try:
            ok = run(name)
        except KeyboardInterrupt:
            print(f"\ninterrupted in {name}", file=sys.stderr)
            return 130
        except Exception:
            traceback.print_exc()
            ok = False
        print(
            f"=== {name}: {'ok' if ok else 'FAILED or goal missed'}"
            f" ({time.perf_counter() - begun:.0f} s) ===",
            flush=True,
        )
        if not ok:
            failed.append(name)
    summarise(time.perf_counter() - begun_all)
    if failed:
        print(f"\nFailed or missed their goal: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def summarise(seconds: float) -> None:
    """The figures recorded by this run: one table, and ``bench/results/latest.json``."""
    figures = _figures.recorded()
    if not figures:
        return
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"\n## Figures (BENCH_SCALE={_figures.scale():g}, {seconds:.0f} s, load {load})\n")
    print(_figures.table(figures), flush=True)
    _figures.write(figures, scale=_figures.scale(), seconds=round(seconds), load=load)
    print(f"\n(written to {_figures.RESULTS.relative_to(HERE.parent)})")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
