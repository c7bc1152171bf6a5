"""#9 item 18, in CI in a short form: schemathesis against the running service — every
check (``positive_data_acceptance`` asked precisely by ``fuzz_hooks``), the example,
fuzzing and stateful phases (links inferred from ``Location`` and from the ids answers
carry), the demo company's API key with every permission — passes with no failure; and a
second company's data comes through it untouched.

The long form adds the coverage phase and more examples (docs/decisions.md, 44)::

    SCHEMATHESIS_HOOKS=tests.e2e.platform.fuzz_hooks PYTHONPATH=. st run \\
      http://127.0.0.1:8000/schema/openapi.json --checks all \\
      --exclude-checks positive_data_acceptance --max-examples 5 \\
      --phases examples,coverage,fuzzing,stateful -H "X-API-Key: $KEY" \\
      --exclude-path-regex 'logout|api-keys/\\{'
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from tests.conftest import cli_env
from tests.reliability.figures import figure
from tests.support.cli import run_shopkeeper
from tests.support.processes import (
    private_service_env,
    server_process,
    stop_process,
    wait_until_healthy,
)

ROOT = Path(__file__).resolve().parents[3]
ST = str(Path(sys.executable).parent / "st")
DEMO_PASSWORD = "try-the-demo-shop"
RIVAL_PASSWORD = "rival-owner-password-7Q"


@pytest.fixture
def service(settings: Settings, tmp_path: Path) -> Iterator[str]:
    """A service of the test's own (database, Redis prefix, port), with the demo company
    and a second one (made by the commands in-process); yields its base URL."""
    with private_service_env(settings, tmp_path, "fuzz", cli_env(settings)) as env:
        for args in (("db", "migrate"), ("demo", "load")):
            done = run_shopkeeper(env, args)
            assert done.returncode == 0, done.stderr
        rival = ("tenants", "create", "rival", "--name", "Rival", "--owner-email",
                 "owner@rival.test", "--owner-password-stdin")  # fmt: skip
        done = run_shopkeeper(env, rival, RIVAL_PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        server = server_process(env)
        base = f"http://127.0.0.1:{env['SHOPKEEPER_PORT']}"
        try:
            wait_until_healthy(server, base)
            yield base
        finally:
            stop_process(server)


def _api_key(base: str, tenant: str, email: str, password: str) -> str:
    login = {"tenant": tenant, "email": email, "password": password}
    token = httpx.post(f"{base}/api/v1/auth/login", json=login).json()["accessToken"]
    made = httpx.post(
        f"{base}/api/v1/api-keys",
        json={"name": "fuzz", "permissions": sorted(ALL_PERMISSIONS)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["key"])


def _rival_data(base: str, key: str) -> list[object]:
    headers = {"X-API-Key": key}
    paths = ("catalog/categories", "catalog/products", "inventory/warehouses", "audit")
    return [httpx.get(f"{base}/api/v1/{p}", headers=headers).json() for p in paths]


def test_the_fuzzer_finds_nothing_and_leaves_the_other_company_alone(
    service: str, tmp_path: Path
) -> None:
    demo = _api_key(service, "demo", "owner@demo.shopkeeper.test", DEMO_PASSWORD)
    rival = _api_key(service, "rival", "owner@rival.test", RIVAL_PASSWORD)
    headers = {"X-API-Key": rival}
    made = httpx.post(f"{service}/api/v1/catalog/categories", json={"name": "R"}, headers=headers)
    assert made.status_code == 201, made.text
    before = _rival_data(service, rival)

    run = subprocess.run(
        [
            ST, "run", f"{service}/schema/openapi.json",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            "--phases", "examples,fuzzing,stateful", "--max-examples", "3",
            "--seed", "20261206", "-H", f"X-API-Key: {demo}",
            "--exclude-path-regex", r"logout|api-keys/\{", "--no-color",
        ],
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.e2e.platform.fuzz_hooks",
             "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    start = run.stdout.find("FAILURES")
    report = run.stdout[start:][:8000] if start >= 0 else run.stdout[-4000:]
    assert run.returncode == 0, report
    generated = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    if generated:
        figure("R9", "cases generated", int(generated[1]))
        figure("R9", "failures", int(generated[1]) - int(generated[2]), 0)
    figure("R9", "exit status", run.returncode, 0)
    assert generated and generated[1] == generated[2] and int(generated[1]) > 300, report

    after = _rival_data(service, rival)
    changed = json.dumps(after, sort_keys=True) != json.dumps(before, sort_keys=True)
    figure("R9", "other company's data changed", int(changed), 0)
    assert json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)
