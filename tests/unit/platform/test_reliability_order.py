"""``make reliability`` deals the claims' test files to two pytest processes of about equal
time by the last report, slowest first (issue 13: the suite's 15-minute budget), so
neither ends alone with a long file started last."""

from __future__ import annotations

from tests.reliability.__main__ import lanes, slowest_first
from tests.reliability.claims import Claim

CHOSEN = [
    Claim("R1", "quick", ("suite/a.py",)),
    Claim("R4", "crash", ("suite/z_crash.py",)),
    Claim("R9", "fuzz", ("suite/m_fuzz.py", "suite/b.py")),
    Claim("R5", "new", ("suite/c.py",)),
]
TESTS = ["suite/a.py", "suite/b.py", "suite/c.py", "suite/m_fuzz.py", "suite/z_crash.py"]


def test_files_of_the_slowest_claims_come_first_and_unknown_ones_keep_their_order() -> None:
    took = {"R1": 3.0, "R4": 300.0, "R9": 120.0}
    assert slowest_first(TESTS, CHOSEN, took) == [
        "suite/z_crash.py",
        "suite/b.py",
        "suite/m_fuzz.py",
        "suite/a.py",
        "suite/c.py",
    ]


def test_each_file_goes_to_the_lane_with_the_fewest_seconds_so_far() -> None:
    took = {"R1": 3.0, "R4": 300.0, "R9": 120.0}
    # 300 | 120 + 120, and the short ones beside the fuzzer, still the lighter lane
    assert lanes(TESTS, CHOSEN, took) == [
        ["suite/z_crash.py"],
        ["suite/b.py", "suite/m_fuzz.py", "suite/a.py", "suite/c.py"],
    ]


def test_without_a_last_report_the_files_alternate() -> None:
    assert lanes(TESTS, CHOSEN, {}) == [
        ["suite/a.py", "suite/c.py", "suite/z_crash.py"],
        ["suite/b.py", "suite/m_fuzz.py"],
    ]
