"""A project-local PostgreSQL of a crash test's own, on a spare port (never the shared
server): started by ``scripts/services.sh`` (which initialises the cluster and, as root,
runs it as the ``postgres`` user), shut down with ``pg_ctl stop -m immediate`` (a crash:
no checkpoint, recovery from the WAL at the next start) and started again."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services.sh"


class PrivatePostgres:
    def __init__(self) -> None:
        self.port = free_port()
        # A folder the server's own user can enter (pytest's tmp_path is root's alone).
        self.folder = Path(tempfile.mkdtemp(prefix="shopkeeper-crash-pg-"))
        self.folder.chmod(0o755)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@{self.host}/postgres"

    def _services(self, *args: str) -> None:
        env = {
            **os.environ,
            "SHOPKEEPER_SERVICES_DIR": str(self.folder),
            "SHOPKEEPER_ADMIN_DATABASE_URL": self.admin_url,
        }
        run = subprocess.run(
            ["bash", str(SERVICES), *args], env=env, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr

    def start(self) -> None:
        """Initialise (the first time) and start; returns once it accepts connections."""
        self._services("start")

    def crash(self) -> None:
        """``pg_ctl stop -m immediate``: every backend dies at once, nothing is flushed."""
        record = (self.folder / "started-services").read_text().splitlines()[-1]
        _, _, user, bindir, data = record.split("\t")
        command = [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
        if user != getpass.getuser():
            command = ["runuser", "-u", user, "--", *command]
        subprocess.run(command, cwd="/", check=True, capture_output=True)

    def stop(self) -> None:
        """Stop it (if it runs) and delete its cluster."""
        try:
            self._services("stop", "postgres")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
