"""Figures of the reliability claims, recorded by the tests that measure them, and the
scale knob those tests read (docs/reliability.md).

``figure("R1", "oversold", oversold, 0)`` appends one JSON line to a file of this process
under ``SHOPKEEPER_RELIABILITY_FIGURES`` when the runner (``python -m tests.reliability``)
set it, and does nothing otherwise (a plain ``make test``). Figures of one claim and name
add up across tests: five tampering tests each recording ``detected 1 of 1`` print
``detected 5`` beside ``5``. ``expected=None`` is a figure shown for information only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIGURES_DIR = "SHOPKEEPER_RELIABILITY_FIGURES"
SCALE = "SHOPKEEPER_RELIABILITY_SCALE"


def full_scale() -> bool:
    """``SHOPKEEPER_RELIABILITY_SCALE=full`` (what ``make reliability`` sets); anything else
    is the short version that ``make test`` runs."""
    return os.environ.get(SCALE, "short") == "full"


def scaled(full: int, short: int) -> int:
    return full if full_scale() else short


def figure(claim: str, name: str, value: int, expected: int | None = None) -> None:
    folder = os.environ.get(FIGURES_DIR)
    if not folder:
        return
    line = json.dumps({"claim": claim, "name": name, "value": value, "expected": expected})
    with (Path(folder) / f"{os.getpid()}.jsonl").open("a", encoding="utf-8") as out:
        out.write(line + "\n")
