"""The valuation benchmark's generated closings (bench/_costing_data.py, ``write_closings``):
written by the closing job's statement in runs of days side by side, each run's first
closing summing all history before it, they are exactly the rows the closing job writes
one night after another — so the benchmark measures reports over the job's own closings
(bench/README.md, ``inventory_valuation.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from bench._costing_data import CLOSING_CHAINS, make_ledger, make_skus, write_closings
from bench._database import BenchDatabase
from bench._setup import BenchTenant

from application.inventory.ports import INVENTORY
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import caller, open_warehouse
from tests.support.databases import TestDatabase

START = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 9


async def _closings(bench: BenchTenant) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(bench.admin_url)
    try:
        rows = await conn.fetch(
            "SELECT closes_at, sku_id, warehouse_id, quantity, value FROM stock_value_closings"
            " WHERE tenant_id = $1 ORDER BY closes_at, sku_id, warehouse_id",
            bench.tenant_id,
        )
        await conn.execute("DELETE FROM stock_value_closings WHERE tenant_id = $1", bench.tenant_id)
        await conn.execute("DELETE FROM stock_closings WHERE tenant_id = $1", bench.tenant_id)
    finally:
        await conn.close()
    return [tuple(row.values()) for row in rows]


async def test_inv7_bench_closings_are_the_rows_the_closing_job_writes(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    warehouses = [await open_warehouse(tenant, code) for code in ("BA", "BB")]
    bench = BenchTenant(
        BenchDatabase(database.name), tenant.container, caller(tenant), tenant.slug, "", warehouses
    )
    await make_skus(bench, "c", 30)
    # 30 SKUs × 2 warehouses, 3,000 valued rows over the days and one past the last closing
    await make_ledger(bench, "c", 30, 3000, START, START + timedelta(days=DAYS + 1))
    midnights = [START + timedelta(days=day) for day in range(1, DAYS + 1)]
    assert len(midnights) > CLOSING_CHAINS  # a run starts after the first one's last closing

    await write_closings(bench.admin_url, tenant.id, midnights)
    generated = await _closings(bench)
    previous = None
    for midnight in midnights:
        async with tenant.container.uow_factory.for_tenant(bench.ctx) as uow:
            await uow.of(INVENTORY).costs.close(previous, midnight)
            await uow.commit()
        previous = midnight
    by_the_job = await _closings(bench)

    assert generated == by_the_job
    assert len(by_the_job) == DAYS * 60  # every level at every midnight
    first, last = by_the_job[:60], by_the_job[-60:]
    assert [row[3:] for row in first] != [row[3:] for row in last]  # the levels moved
