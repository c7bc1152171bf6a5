"""``make reliability`` starts the claims that took longest last time first (issue 13: the
suite's 15-minute budget), so pytest-xdist's two processes do not end with one long file."""

from __future__ import annotations

from tests.reliability.__main__ import slowest_first
from tests.reliability.claims import Claim


def test_files_of_the_slowest_claims_come_first_and_unknown_ones_keep_their_order() -> None:
    chosen = [
        Claim("R1", "quick", ("suite/a.py",)),
        Claim("R4", "crash", ("suite/z_crash.py",)),
        Claim("R9", "fuzz", ("suite/m_fuzz.py", "suite/b.py")),
        Claim("R5", "new", ("suite/c.py",)),
    ]
    tests = ["suite/a.py", "suite/b.py", "suite/c.py", "suite/m_fuzz.py", "suite/z_crash.py"]
    took = {"R1": 3.0, "R4": 300.0, "R9": 120.0}
    assert slowest_first(tests, chosen, took) == [
        "suite/z_crash.py",
        "suite/b.py",
        "suite/m_fuzz.py",
        "suite/a.py",
        "suite/c.py",
    ]
