"""Run the fault and abuse suite and print its figures (``make reliability``).

    python -m tests.reliability              # every claim at full scale
    python -m tests.reliability --short      # the short scale that ``make test`` runs
    python -m tests.reliability R3 R4        # only these claims

The claims' tests run in two pytest processes side by side (``lanes``: of about equal time
by the last report); each records its figures in a folder this run gives it. A claim
passes when every figure with an expectation meets it and none of its tests failed; the
table (with each claim's seconds) goes to stdout, the same to
``bench/results/reliability.json`` (``reliability-short.json`` for the short scale; the
claims a run left out keep the previous run's figures), and the exit status is 1 when any
claim missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.reliability.claims import CLAIMS, Claim
from tests.reliability.figures import FIGURES_DIR, SCALE

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


def results_file(scale: str) -> Path:
    """The full scale's report, kept in git; the short one's beside it, ignored."""
    return RESULTS / ("reliability.json" if scale == "full" else f"reliability-{scale}.json")


Figures = dict[str, dict[str, int | None]]  # name -> {"value": …, "expected": …}


def read_figures(folder: Path) -> dict[str, Figures]:
    """Every recorded figure, summed per claim and name (in the order first recorded)."""
    claims: dict[str, Figures] = defaultdict(dict)
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            seen = claims[row["claim"]].setdefault(row["name"], {"value": 0, "expected": 0})
            seen["value"] = int(seen["value"] or 0) + row["value"]
            if row["expected"] is None or seen["expected"] is None:
                seen["expected"] = None
            else:
                seen["expected"] += row["expected"]
    return claims


def test_outcomes(junit: Path) -> dict[str, tuple[bool, float]]:
    """``module::test`` → (failed or errored, seconds) of every test (junit XML of the run)."""
    if not junit.exists():
        return {"(pytest wrote no report)": (True, 0.0)}
    return {
        f"{case.get('classname')}::{case.get('name')}": (
            case.find("failure") is not None or case.find("error") is not None,
            float(case.get("time") or 0),
        )
        for case in ET.parse(junit).getroot().iter("testcase")
    }


def module_of(test: str) -> str:
    return test.split("::", maxsplit=1)[0].removesuffix(".py").replace("/", ".")


def judge(
    claim: Claim, figures: Figures, outcomes: dict[str, tuple[bool, float]]
) -> dict[str, Any]:
    modules = [module_of(t) for t in claim.tests]
    own = {t: o for t, o in outcomes.items() if any(t.startswith(m) for m in modules)}
    failures = [t for t, (failed, _) in own.items() if failed]
    met = all(f["expected"] is None or f["value"] == f["expected"] for f in figures.values())
    return {
        "claim": claim.claim,
        "figures": figures,
        "failed_tests": failures,
        "test_seconds": round(sum(seconds for _, seconds in own.values()), 1),
        "pass": bool(figures) and met and not failures,
    }


def text_of(figures: Figures, key: str) -> str:
    parts = [f"{name} {f[key]}" for name, f in figures.items() if f[key] is not None]
    return ", ".join(parts) or "—"


def table(results: dict[str, dict[str, Any]]) -> str:
    """One row a claim; ``s`` is the seconds its tests took (of one of the two processes)."""
    lines = ["| id | claim | figure | expected | s | pass |", "|---|---|---|---|---:|---|"]
    for claim_id, result in results.items():
        figures = result["figures"]
        shown = text_of(figures, "value") if figures else "no figure recorded"
        verdict = "yes" if result["pass"] else "**NO**"
        lines.append(
            f"| {claim_id} | {result['claim']} | {shown} | {text_of(figures, 'expected')} |"
            f" {result['test_seconds']:.0f} | {verdict} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    """The machine's 1-minute load average (the figures' seconds depend on it)."""
    return f"{os.getloadavg()[0]:.1f}"


def kept_beside(results: dict[str, Any], scale: str) -> dict[str, Any]:
    """The claims of this run, and those of the previous report at the same scale that
    this run left out (running ``R4`` alone does not erase R1's figures)."""
    path = results_file(scale)
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    claims = dict(previous.get("claims", {})) if previous.get("scale") == scale else {}
    claims.update(results)
    return {c.id: claims[c.id] for c in CLAIMS if c.id in claims}


def last_seconds(scale: str) -> dict[str, float]:
    """Each claim's test seconds in the last report at this scale (none: 0)."""
    path = results_file(scale)
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {
        claim_id: float(result.get("test_seconds", 0))
        for claim_id, result in previous.get("claims", {}).items()
    }


LANES = 2  # pytest processes side by side: the machine's two cores


def file_seconds(chosen: list[Claim], took: dict[str, float]) -> dict[str, float]:
    """Each test file's cost: the seconds its claim took in the last report."""
    cost: dict[str, float] = {}
    for claim in chosen:
        for test in claim.tests:
            cost[test] = max(cost.get(test, 0.0), took.get(claim.id, 0.0))
    return cost


def slowest_first(tests: list[str], chosen: list[Claim], took: dict[str, float]) -> list[str]:
    """The test files, those of the claims that took longest (``took``: the last report)
    first (the order ``lanes`` deals them in)."""
    cost = file_seconds(chosen, took)
    return sorted(tests, key=lambda test: (-cost.get(test, 0.0), test))


def lanes(tests: list[str], chosen: list[Claim], took: dict[str, float]) -> list[list[str]]:
    """The test files dealt to ``LANES`` pytest processes of about equal time by the last
    report: slowest first, each to the lane with the fewest seconds so far (a file never
    measured counts one second, so they spread too). pytest-xdist's ``loadfile`` handed
    its two processes files in batches instead: a full run in December 2026 ended with
    one process idle for three of its nine minutes while the other ran R4, queued last."""
    cost = file_seconds(chosen, took)
    dealt: list[list[str]] = [[] for _ in range(LANES)]
    totals = [0.0] * LANES
    for test in slowest_first(tests, chosen, took):
        lane = totals.index(min(totals))
        dealt[lane].append(test)
        totals[lane] += max(cost.get(test, 0.0), 1.0)
    return [lane for lane in dealt if lane]


def run_lanes(dealt: list[list[str]], folder: Path, env: dict[str, str]) -> list[Path]:
    """One pytest a lane, all at once (each with its own test database, its own run id);
    the junit report of each."""
    reports, running = [], []
    for number, tests in enumerate(dealt, start=1):
        junit = folder / f"junit-{number}.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:logging"]
        command += [f"--junitxml={junit}", *tests]
        print(f"lane {number}: {' '.join(tests)}", flush=True)
        run_id = f"{uuid.uuid4().hex[:6]}l{number}"
        lane_env = {**env, "SHOPKEEPER_TEST_RUN_ID": run_id}
        running.append(subprocess.Popen(command, cwd=ROOT, env=lane_env))
        reports.append(junit)
    for process in running:
        process.wait()
    return reports


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability")
    parser.add_argument("claims", nargs="*", help="claim ids (R1 … R12); all when none")
    parser.add_argument("--short", action="store_true", help="the short scale of make test")
    args = parser.parse_args(argv)
    known = {c.id: c for c in CLAIMS}
    unknown = [c for c in args.claims if c not in known]
    if unknown:
        parser.error(f"unknown claims {unknown} (have {', '.join(known)})")
    chosen = [known[c] for c in args.claims] if args.claims else list(CLAIMS)
    scale = "short" if args.short else "full"
    tests = sorted({t for c in chosen for t in c.tests})
    dealt = lanes(tests, chosen, last_seconds(scale))
    begun, load_before = time.monotonic(), load_average()
    with tempfile.TemporaryDirectory(prefix="reliability-") as folder:
        figures_dir = Path(folder) / "figures"
        figures_dir.mkdir()
        env = {**os.environ, SCALE: scale, FIGURES_DIR: str(figures_dir)}
        print(f"reliability ({scale} scale), {len(dealt)} pytest processes:", flush=True)
        reports = run_lanes(dealt, Path(folder), env)
        figures, outcomes = read_figures(figures_dir), {}
        for junit in reports:
            outcomes.update(test_outcomes(junit))
    seconds = round(time.monotonic() - begun, 1)
    results = {c.id: judge(c, figures.get(c.id, {}), outcomes) for c in chosen}
    load = f"{load_before} at the start, {load_average()} at the end"
    print(f"\n## Fault and abuse suite ({scale} scale, {seconds} s; load average {load})\n")
    print(table(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "scale": scale,
        "seconds": seconds,
        "load_average": load,
        "claims": kept_beside(results, scale),
    }
    path = results_file(scale)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    missed = [claim_id for claim_id, result in results.items() if not result["pass"]]
    if missed:
        print(f"MISSED: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
