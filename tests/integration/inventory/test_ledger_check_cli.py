"""``shopkeeper inventory check-ledger`` run in-process (INV-6): ``ok`` while every
figure equals its ledger; a level changed behind the ledger's back (as the owner, which
bypasses everything) is reported with both figures and exit 1. The scheduler fires the
same check daily and the expiry sweep every 30 s."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

from application.inventory.stock.movements import ReceiveStock
from bootstrap.settings import Settings
from entrypoints.worker.scheduler import periodic_jobs
from entrypoints.worker.tasks import load_task_modules, registered_tasks
from tests.conftest import TenantHandle, cli_env
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase


async def check_ledger(settings: Settings, slug: str) -> subprocess.CompletedProcess[str]:
    return await in_process(
        {**cli_env(settings), "SHOPKEEPER_LANG": "en"},
        "inventory",
        "check-ledger",
        "--tenant",
        slug,
    )


async def test_check_ledger_reports_a_figure_that_differs_from_its_ledger(
    tenant: TenantHandle, make_skus: MakeSkus, settings: Settings, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await tenant.container.use_cases.run(caller(tenant), ReceiveStock(sku, main, 7))
    fine = await check_ledger(settings, tenant.slug)
    assert fine.returncode == 0, fine.stderr
    assert f"{tenant.slug}: ok" in fine.stdout
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            "UPDATE stock_levels SET on_hand = on_hand + 2 WHERE tenant_id = $1", tenant.id
        )
    finally:
        await owner.close()
    broken = await check_ledger(settings, tenant.slug)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"sku {sku} warehouse {main}: on_hand 9 != ledger 7" in broken.stdout


def test_the_scheduler_fires_the_sweep_and_the_check() -> None:
    load_task_modules()
    jobs = periodic_jobs()
    assert jobs["inventory.expire_reservations"].seconds == 30
    assert jobs["inventory.check_ledger"].seconds == 86400
    assert jobs["inventory.close_stock_values"].seconds == 3600  # INV-7 daily closings
    assert {
        "inventory.expire_reservations",
        "inventory.check_ledger",
        "inventory.close_stock_values",
        "inventory.revalue",
    } <= set(registered_tasks())


async def test_inv7_valuation_and_closing_from_the_command_line(
    tenant: TenantHandle, make_skus: MakeSkus, settings: Settings
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "CLI-V")
    week_ago = datetime.now(UTC) - timedelta(days=7)
    await tenant.container.use_cases.run(
        caller(tenant), ReceiveStock(sku, main, 4, Decimal("2.50"), effective_at=week_ago)
    )

    async def shopkeeper(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**cli_env(settings), "SHOPKEEPER_LANG": "en"}
        return await in_process(env, "inventory", *args, "--tenant", tenant.slug)

    closed = await shopkeeper("close-values")
    assert closed.returncode == 0, closed.stderr
    assert f"{tenant.slug}: 7 day(s) closed" in closed.stdout
    valued = await shopkeeper("valuation")
    assert valued.returncode == 0, valued.stderr
    assert valued.stdout.splitlines() == [
        "sku,warehouse,quantity,value",
        f"{sku},{main},4,10.00",
        "total,,4,10.00",
    ]
    before = await shopkeeper("valuation", "--at", (week_ago - timedelta(days=1)).isoformat())
    assert before.stdout.splitlines() == ["sku,warehouse,quantity,value", "total,,0,0.00"]
    # one page (INV-7): its rows, the total of every level, and no cursor after the last
    paged = await shopkeeper("valuation", "--limit", "1")
    assert paged.returncode == 0, paged.stderr
    assert paged.stdout.splitlines() == [
        "sku,warehouse,quantity,value",
        f"{sku},{main},4,10.00",
        "total,,,10.00",
    ]
    assert "--cursor" not in paged.stderr
