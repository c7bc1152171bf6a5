"""The daily closings of stock values on the real database (INV-7): cut at the tenant's
midnight (a tenant in Asia/Shanghai beside one in UTC), and pruned by the retention
without changing any valuation: at every date the value by SKU × warehouse still equals
the sum of the ledger (docs/inventory.md, "Value at a date")."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal as D
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from adapters.postgres.inventory.sweeps import PostgresValuedTenants
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.queries import ExportValuation
from application.inventory.costing.revaluation import Revaluations
from application.inventory.ports import INVENTORY
from application.inventory.stock.movements import IssueStock, ReceiveStock
from domain.inventory.closings import Retention
from tests.conftest import TenantFactory, TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.databases import TestDatabase

Levels = dict[tuple[UUID, UUID], tuple[int, D]]


async def _owner(database: TestDatabase) -> asyncpg.Connection:
    return await asyncpg.connect(database.owner_url)


async def _closings(tenant: TenantHandle) -> list[datetime]:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        return await uow.of(INVENTORY).costs.closings()


async def _ledger_sum(database: TestDatabase, tenant: TenantHandle, at: datetime) -> Levels:
    """The reference: every valued ledger row effective before ``at``, summed."""
    conn = await _owner(database)
    try:
        rows = await conn.fetch(
            "SELECT sku_id, warehouse_id, sum(d_on_hand + d_non_sellable) AS q,"
            " sum(cost_amount) AS v FROM stock_ledger WHERE tenant_id = $1"
            " AND cost_amount IS NOT NULL AND effective_at < $2 GROUP BY sku_id, warehouse_id",
            tenant.id,
            at,
        )
    finally:
        await conn.close()
    return {
        (r["sku_id"], r["warehouse_id"]): (int(r["q"]), r["v"]) for r in rows if r["q"] or r["v"]
    }


async def _valued(tenant: TenantHandle, at: datetime) -> Levels:
    found = await tenant.container.use_cases.query(caller(tenant), ExportValuation(at))
    return {(v.sku_id, v.warehouse_id): (v.quantity, v.value) for v in found.levels}


async def test_inv7_closings_fall_on_each_tenants_own_midnight(
    new_tenant: TenantFactory, database: TestDatabase, make_skus: MakeSkus
) -> None:
    """The same history in a tenant of Asia/Shanghai and one of UTC: each closes its days
    at its own midnight (16:00 and 00:00 UTC), and each closing holds the ledger's sum
    before it."""
    shanghai, utc = await new_tenant(), await new_tenant()
    conn = await _owner(database)
    try:
        await conn.execute("UPDATE tenants SET time_zone = 'UTC' WHERE id = $1", utc.id)
    finally:
        await conn.close()
    now = datetime.now(UTC)
    # an hour more than three days back: three or four midnights closed at any time of day
    # (today's falls within the last 5 minutes from 00:00 to 00:05, and is not closed yet)
    received_at = now - timedelta(days=3, hours=1)
    for tenant, zone, hour in ((shanghai, ZoneInfo("Asia/Shanghai"), 16), (utc, UTC, 0)):
        (sku,) = await make_skus(tenant, 1)
        main = await open_warehouse(tenant, "ZONE")
        received = await tenant.container.use_cases.run(
            caller(tenant), ReceiveStock(sku, main, 4, D("2.50"), effective_at=received_at)
        )
        assert received.revaluation_job_id is not None
        closed = await tenant.container.get(StockClosings).close_tenant(caller(tenant), now)
        assert closed == await _closings(tenant)
        assert 3 <= len(closed) <= 4  # the midnights after the receipt, until 5 minutes ago
        assert {c.astimezone(zone).time() for c in closed} == {time()}
        assert {c.astimezone(UTC).hour for c in closed} == {hour}
        assert closed[0] - received_at < timedelta(days=1)
        for closes_at in closed:
            assert await _valued(tenant, closes_at) == await _ledger_sum(
                database, tenant, closes_at
            )
            assert await _valued(tenant, closes_at) == {(sku, main): (4, D("10.00"))}


async def test_inv7_pruned_closings_leave_every_valuation_equal_to_the_ledger(
    tenant: TenantHandle, database: TestDatabase, make_skus: MakeSkus
) -> None:
    """Worked example: two SKUs moved on days T-80 … T-1 (receipts at 10.00 and 12.50,
    issues between, FIFO), closed every day, then pruned keeping the last 10 days, each
    week's first of the last 35 and each month's first. Before and after, at every
    midnight and every noon of those 82 days, the valuation equals the ledger's sum."""
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    first, second = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "PRUNE")
    history = [
        (80, ReceiveStock(first, main, 10, D("10.00"))),
        (71, ReceiveStock(second, main, 5, D("12.50"))),
        (64, IssueStock(first, main, 3)),
        (50, ReceiveStock(first, main, 6, D("12.50"))),
        (41, IssueStock(second, main, 2)),
        (33, IssueStock(first, main, 9)),
        (20, ReceiveStock(second, main, 7, D("10.00"))),
        (12, IssueStock(second, main, 6)),
        (6, IssueStock(first, main, 1)),
        (1, ReceiveStock(first, main, 2, D("10.00"))),
    ]
    zone = ZoneInfo("Asia/Shanghai")  # the tenant's (the default)
    today = datetime.now(zone).date()
    conn = await _owner(database)
    try:
        for days_ago, command in history:
            await run(ctx, command)
            # as if posted then (no closing exists yet, so nothing to re-value)
            at = datetime.combine(today - timedelta(days=days_ago), time(15), zone)
            await conn.execute(
                "UPDATE stock_ledger SET effective_at = $2, occurred_at = $2 WHERE seq ="
                " (SELECT max(seq) FROM stock_ledger WHERE tenant_id = $1)",
                tenant.id,
                at,
            )
    finally:
        await conn.close()
    c = tenant.container
    closings = StockClosings(
        c.uow_factory,
        c.get(Revaluations),
        PostgresValuedTenants(c.platform_engine),
        c.clock,
        Retention(daily=timedelta(days=10), weekly=timedelta(days=35)),
    )
    now = datetime.now(UTC)
    instants = [
        datetime.combine(today - timedelta(days=n), hour, zone)
        for n in range(82)
        for hour in (time(), time(12))
    ]
    expected = {at: await _ledger_sum(database, tenant, at) for at in instants}
    assert expected[instants[0]][(first, main)] == (5, D("57.50"))  # 3 @ 12.50 + 2 @ 10.00
    assert expected[instants[-1]] == {}

    closed = await closings.close_tenant(ctx, now)
    assert len(closed) in (80, 81)  # a closing per midnight since T-80
    every = await _closings(tenant)
    assert len(every) == len(closed) - 31  # at most 31 pruned per run
    while True:  # the next runs prune the rest
        await closings.close_tenant(ctx, now)
        kept = await _closings(tenant)
        if kept == every:
            break
        every = kept
    pruned = set(closed) - set(kept)
    assert kept[-1] == closed[-1]
    assert all(c < now - timedelta(days=10) for c in pruned)
    assert all(c in kept for c in closed if c >= now - timedelta(days=10))
    assert all(c in kept for c in closed if c.astimezone(zone).day == 1)
    assert len(kept) < 10 + 5 + 3 + 2  # days, weeks, months, the first and the latest
    for at in instants:
        assert await _valued(tenant, at) == expected[at], at
