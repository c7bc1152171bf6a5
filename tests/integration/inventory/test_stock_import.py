"""The opening-stock import on the real database (#10, INV-1, INV-6): the check is a dry
run with the catalog import's row report; the commit posts one ``receipt`` ledger row per
line with source type ``opening_stock`` in one transaction (a job killed mid-way leaves
nothing); a unit cost column needs ``inventory:costing``; the thresholds and the channel
availability are evaluated once per level at its end. Also ``shopkeeper inventory
import-stock`` run in-process with its progress bar."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
import xlsxwriter

from application.inventory.alerts.queries import ListStockAlerts
from application.inventory.alerts.thresholds import SetStockThreshold
from application.inventory.imports.service import StockImports
from application.inventory.ports import StockImportRecord
from application.inventory.warehouses.bins import AddBin
from application.inventory.warehouses.change import CloseWarehouse
from application.shared.context import CallContext
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.permissions import INVENTORY_COSTING
from domain.shared.errors import Conflict
from tests.conftest import TenantHandle, cli_env
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase


class Killed(RuntimeError):
    pass


async def sku_codes(database: TestDatabase, skus: list[UUID]) -> list[str]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch("SELECT id, code FROM skus WHERE id = ANY($1)", skus)
        by_id = {r["id"]: r["code"] for r in rows}
        return [by_id[s] for s in skus]
    finally:
        await conn.close()


async def ledger(database: TestDatabase, tenant: TenantHandle) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        return list(
            await conn.fetch(
                "SELECT sku_id, warehouse_id, bin_id, kind, d_on_hand, unit_cost, source_type,"
                " source_id FROM stock_ledger WHERE tenant_id = $1 ORDER BY seq",
                tenant.id,
            )
        )
    finally:
        await conn.close()


async def check(
    service: StockImports,
    tenant: TenantHandle,
    content: bytes,
    name: str,
    permissions: frozenset[str] = ALL_PERMISSIONS,
) -> tuple[CallContext, StockImportRecord]:
    """Upload and run the check job in this process: the caller and the checked record."""
    ctx = caller(tenant, permissions)
    view = await service.upload(ctx, name, content, enqueue=False)
    await service.run_check(tenant.id, view.record.check_job_id)
    return ctx, (await service.get(ctx, view.record.id)).record


async def test_check_then_commit_posts_opening_receipts(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    skus = await make_skus(tenant, 3)
    a, b, c = await sku_codes(database, skus)
    main = await open_warehouse(tenant, "OPEN-1")
    closed = await open_warehouse(tenant, "OLD")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, CloseWarehouse(closed, 1))
    shelf = await run(ctx, AddBin(main, "A-01"))
    await run(ctx, SetStockThreshold(skus[2], main, 10, None, 0))
    service = tenant.container.get(StockImports)
    csv = (
        "sku_code,warehouse_code,quantity,bin_code,unit_cost\r\n"
        f"{a},OPEN-1,10,A-01,12.5\r\n"
        f"{b.lower()},OPEN-1,5,,\r\n"
        f"{c},OPEN-1,3,,\r\n"
        ",,,,\r\n"  # a blank line
        f"NOPE,OPEN-1,1,,\r\n"
        f"{a},OLD,1,,\r\n"
        f"{b},OPEN-1,1.5,,\r\n"
        f"{c},OPEN-1,2,Z-99,-1\r\n"
    ).encode("gb18030")
    ctx, record = await check(service, tenant, csv, "opening.csv")
    assert record.status == "checked"
    assert record.counts == {"rows": 7, "valid": 3, "rejected": 4, "units": 18}
    assert [(e.row, e.column, e.code) for e in record.errors] == [
        (6, "sku_code", "unknown_sku_code"),
        (7, "warehouse_code", "warehouse_closed"),
        (8, "quantity", "invalid_stock_quantity"),
        (9, "unit_cost", "invalid_unit_cost"),
    ]
    assert await ledger(database, tenant) == []  # the check is a dry run

    with pytest.raises(Conflict) as refused:
        await service.commit(ctx, record.id, False, record.version, enqueue=False)
    assert refused.value.code == "import_has_errors"
    started = await service.commit(ctx, record.id, True, record.version, enqueue=False)
    assert started.commit_job is not None
    job = await service.run_commit(tenant.id, started.commit_job.id)
    assert job.succeeded and job.done == job.total == 3
    rows = await ledger(database, tenant)
    assert [
        (r["sku_id"], r["bin_id"], r["kind"], r["d_on_hand"], r["unit_cost"], r["source_type"])
        for r in rows
    ] == [
        (skus[0], shelf.id, "receipt", 10, Decimal("12.500000"), "opening_stock"),
        (skus[1], None, "receipt", 5, None, "opening_stock"),
        (skus[2], None, "receipt", 3, None, "opening_stock"),
    ]
    assert {r["source_id"] for r in rows} == {record.id}
    # Evaluated at the end, once per level: 3 < 10 raises one alert.
    [alert] = (await tenant.container.use_cases.query(ctx, ListStockAlerts())).items
    assert (alert.sku_id, alert.quantity) == (skus[2], 3)
    # Asking again returns the same import; a second commit job posts nothing more.
    again = await service.commit(ctx, record.id, True, record.version, enqueue=False)
    assert again.commit_job is not None and again.commit_job.id == started.commit_job.id
    await service.run_commit(tenant.id, started.commit_job.id)
    assert len(await ledger(database, tenant)) == 3


async def test_a_commit_killed_mid_way_posts_nothing_and_runs_again(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    skus = await make_skus(tenant, 2)
    codes = await sku_codes(database, skus)
    await open_warehouse(tenant, "KILL")
    service = tenant.container.get(StockImports)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("期初库存")
    sheet.write_row(0, 0, ["SKU\nsku_code", "仓库\nwarehouse_code", "quantity"])
    for index, code in enumerate(codes, start=1):
        sheet.write_row(index, 0, [code, "KILL"])
        sheet.write_number(index, 2, 7)
    book.close()
    ctx, record = await check(service, tenant, buffer.getvalue(), "opening.xlsx")
    assert record.errors == [] and record.counts["units"] == 14
    started = await service.commit(ctx, record.id, False, record.version, enqueue=False)
    assert started.commit_job is not None

    def kill(done: int) -> None:
        raise Killed(str(done))

    service.fault = kill
    try:
        with pytest.raises(Killed):
            await service.run_commit(tenant.id, started.commit_job.id)
    finally:
        service.fault = None
    assert await ledger(database, tenant) == []
    job = await service.run_commit(tenant.id, started.commit_job.id)
    assert job.succeeded and len(await ledger(database, tenant)) == 2


async def test_a_unit_cost_column_needs_costing(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    (code,) = await sku_codes(database, [sku])
    await open_warehouse(tenant, "COST")
    service = tenant.container.get(StockImports)
    content = f"sku_code,warehouse_code,quantity,unit_cost\n{code},COST,1,3\n".encode()
    _, record = await check(
        service,
        tenant,
        content,
        "cost.csv",
        permissions=ALL_PERMISSIONS - {INVENTORY_COSTING},
    )
    assert [(e.row, e.column, e.code) for e in record.errors] == [
        (1, "unit_cost", "permission_denied")
    ]


async def test_the_command_line_import_with_its_progress_bar(
    settings: Settings,
    tenant: TenantHandle,
    make_skus: MakeSkus,
    database: TestDatabase,
    tmp_path: Path,
) -> None:
    skus = await make_skus(tenant, 2)
    a, b = await sku_codes(database, skus)
    await open_warehouse(tenant, "CLI")
    path = tmp_path / "opening.csv"
    path.write_text(f"sku_code,warehouse_code,quantity\n{a},CLI,4\n{b},CLI,x\n", encoding="utf-8")
    env = {**cli_env(settings), "SHOPKEEPER_LANG": "en"}

    async def shopkeeper(*args: str) -> subprocess.CompletedProcess[str]:
        return await in_process(
            env, "inventory", "import-stock", str(path), "--tenant", tenant.slug, *args
        )

    dry = await shopkeeper("--dry-run")
    assert dry.returncode == 1 and "dry run: nothing posted" in dry.stdout, dry.stderr
    assert "row 3, quantity" in dry.stderr and "[invalid_stock_quantity]" in dry.stderr
    report = (tmp_path / "opening.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert report.splitlines()[1].startswith("3,quantity,invalid_stock_quantity,")
    assert await ledger(database, tenant) == []
    posted = await shopkeeper("--valid-only")
    assert posted.returncode == 0, posted.stderr
    assert "posted: 1 receipts, 4 units" in posted.stdout and "posting" in posted.stderr
    [row] = await ledger(database, tenant)
    assert (row["sku_id"], row["d_on_hand"], row["source_type"]) == (skus[0], 4, "opening_stock")

    # INV-9 from the command line: the position shows what the import received today.
    position = await in_process(
        env, "inventory", "position", "--tenant", tenant.slug, "--warehouse", "CLI"
    )
    assert position.returncode == 0, position.stderr
    [line] = [x for x in position.stdout.splitlines() if x.startswith("CLI ")]
    assert line.split()[1:7] == ["1", "4", "4", "0/0", "4", "0"]
