"""Run the benchmarks: every ``bench/*.py`` module (not ``_private``) with a ``main()``, in turn.

    python -m bench                  # all of them
    python -m bench catalog_search   # only those named (``search`` works too)

``main()`` may return a coroutine (it is run) and False when its goal was missed. Each
benchmark runs even when one before it failed; the exit status is 1 if any failed or missed.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    if not selected:
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
    failed = []
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
    if failed:
        print(f"\nFailed or missed their goal: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
