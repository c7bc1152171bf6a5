"""No file the project keeps holds a merge's conflict markers (a leftover once slipped
into docs/decisions.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "*.py", "*.md", "*.po", "*.pot", "*.html", "*.toml", "*.css"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = [
        name
        for name in listed
        if (ROOT / name).is_file() and MARKER.search((ROOT / name).read_text(encoding="utf-8"))
    ]
    assert found == []
