"""``shopkeeper catalog import|export`` run in-process (CAT-2): progress bar, error
report beside the file, nothing imported with bad rows unless --valid-only, the operator
recorded in the operator audit and as the actor of the products' versions."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase

FILE = "product_code,product_name,sku_code,list_price\r\nA,甲,A-1,1\r\nB,乙,B-1,2\r\n"


async def shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(settings), "SHOPKEEPER_LANG": "en"}
    return await in_process(env, *args)


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def test_import_with_a_bad_row_writes_a_report_and_imports_nothing_until_valid_only(
    settings: Settings, tenant: TenantHandle, owner_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(FILE + "C,丙,C-1,abc\r\n", encoding="gb18030")
    first = await shopkeeper(settings, "catalog", "import", str(path), "--tenant", tenant.slug)
    assert first.returncode == 1, first.stderr
    assert "row 4, list_price" in first.stderr and "[invalid_number]" in first.stderr
    assert "\n1 error; report: " in first.stderr  # one error: the singular form
    report = (tmp_path / "catalog.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert report.splitlines()[1].startswith("4,list_price,invalid_number,")
    count = "SELECT count(*) FROM products WHERE tenant_id = $1"
    assert await owner_conn.fetchval(count, tenant.id) == 0

    dry = await shopkeeper(
        settings, "catalog", "import", str(path), "--tenant", tenant.slug, "--dry-run"
    )
    # #9 item 17: a dry run of a file with errors exits non-zero, so a script can tell
    assert dry.returncode == 1 and "dry run" in dry.stdout
    assert await owner_conn.fetchval(count, tenant.id) == 0

    valid = await shopkeeper(
        settings, "catalog", "import", str(path), "--tenant", tenant.slug, "--valid-only"
    )
    assert valid.returncode == 0, valid.stderr
    assert "imported: 2 created" in valid.stdout
    assert "importing" in valid.stderr  # the progress bar
    assert await owner_conn.fetchval(count, tenant.id) == 2
    actors = await owner_conn.fetch(
        "SELECT DISTINCT actor FROM product_versions WHERE tenant_id = $1", tenant.id
    )
    assert [a["actor"] for a in actors] == ["support:pytest"]
    audited = await owner_conn.fetch(
        "SELECT operator, action FROM operator_audit_log WHERE tenant_id = $1"
        " AND action = 'catalog.import'",
        tenant.id,
    )
    assert len(audited) == 3 and {a["operator"] for a in audited} == {"support:pytest"}


async def test_a_dry_run_of_a_clean_file_exits_zero(
    settings: Settings, tenant: TenantHandle, owner_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """#9 item 17: the other side of a dry run's exit code."""
    clean = tmp_path / "clean.csv"
    clean.write_text(FILE, encoding="utf-8")
    dry = await shopkeeper(
        settings, "catalog", "import", str(clean), "--tenant", tenant.slug, "--dry-run"
    )
    assert dry.returncode == 0 and "dry run" in dry.stdout, dry.stderr
    count = "SELECT count(*) FROM products WHERE tenant_id = $1"
    assert await owner_conn.fetchval(count, tenant.id) == 0


async def test_export_then_import_changes_nothing(
    settings: Settings,
    tenant: TenantHandle,
    owner_conn: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(FILE, encoding="utf-8")
    first = await shopkeeper(settings, "catalog", "import", str(source), "--tenant", tenant.slug)
    assert first.returncode == 0, first.stderr
    fmt = "xlsx"  # CSV and XLSX alike are covered in test_catalog_import.py
    out = tmp_path / f"out.{fmt}"
    export = await shopkeeper(
        settings, "catalog", "export", "--tenant", tenant.slug, "--format", fmt, "-o", str(out)
    )
    assert export.returncode == 0, export.stderr
    assert "exported 2 products" in export.stdout
    again = await shopkeeper(settings, "catalog", "import", str(out), "--tenant", tenant.slug)
    assert again.returncode == 0, again.stderr
    assert "imported: 0 created, 0 updated, 2 unchanged" in again.stdout
    versions = await owner_conn.fetchval(
        "SELECT count(*) FROM product_versions WHERE tenant_id = $1", tenant.id
    )
    assert versions == 2


async def test_create_missing_from_the_command_line(
    settings: Settings, tenant: TenantHandle, owner_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """#9 item 17: ``--create-missing`` creates the brand the file names; without it the
    dry run says what is missing and how to create it."""
    path = tmp_path / "new.csv"
    path.write_text(
        "product_code,product_name,brand,sku_code,list_price\r\nN,新,新品牌,N-1,1\r\n",
        encoding="utf-8",
    )
    dry = await shopkeeper(
        settings, "catalog", "import", str(path), "--tenant", tenant.slug, "--dry-run"
    )
    assert dry.returncode == 1
    assert "brands missing (--create-missing creates them): 新品牌" in dry.stdout
    made = await shopkeeper(
        settings, "catalog", "import", str(path), "--tenant", tenant.slug, "--create-missing"
    )
    assert made.returncode == 0, made.stderr
    assert "brands to create: 新品牌" in made.stdout and "imported: 1 created" in made.stdout
    names = await owner_conn.fetch("SELECT name FROM brands WHERE tenant_id = $1", tenant.id)
    assert [n["name"] for n in names] == ["新品牌"]
