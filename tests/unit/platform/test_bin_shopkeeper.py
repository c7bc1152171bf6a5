"""``bin/shopkeeper`` works whether or not uv is on PATH (issue #9, item 13): it uses the uv
on PATH, else the one ``make`` installs into ``.tools/bin``, else says what to do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

FAKE_UV = """#!/usr/bin/env bash
echo "$0 $*"
"""


def project_copy(tmp_path: Path) -> Path:
    """The wrapper in a project of its own, and a PATH with bash and coreutils only."""
    project = tmp_path / "project"
    (project / "bin").mkdir(parents=True)
    shutil.copy2(ROOT / "bin" / "shopkeeper", project / "bin" / "shopkeeper")
    system = tmp_path / "system"
    system.mkdir()
    for tool in ("bash", "env", "readlink", "dirname"):
        found = shutil.which(tool)
        assert found is not None
        (system / tool).symlink_to(found)
    return project


def fake_uv(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    uv = directory / "uv"
    uv.write_text(FAKE_UV, encoding="utf-8")
    uv.chmod(0o755)
    return uv


def run(project: Path, path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(project / "bin" / "shopkeeper"), "tenants", "list"],
        env={"PATH": path},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_without_uv_on_path_it_uses_the_one_in_tools(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    uv = fake_uv(project / ".tools" / "bin")
    result = run(project, str(tmp_path / "system"), cwd=tmp_path)  # from another directory
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{uv} run --frozen --project {project} shopkeeper tenants list"


def test_the_uv_on_path_comes_first(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    fake_uv(project / ".tools" / "bin")
    on_path = fake_uv(tmp_path / "elsewhere")
    result = run(project, f"{on_path.parent}:{tmp_path / 'system'}", cwd=project)
    assert result.stdout.startswith(f"{on_path} run --frozen --project {project} ")


def test_without_any_uv_it_says_what_to_do(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    result = run(project, str(tmp_path / "system"), cwd=project)
    assert result.returncode == 127
    assert "run 'make env' once" in result.stderr
