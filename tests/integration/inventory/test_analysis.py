"""The daily position and the analysis on the real database (INV-9, INV-10), with history
made by moving the ledger rows' times back (as the owner: the request role cannot).

Worked example, the tenant's today = T:
- A (服装 > 男装): 100 received at T-40, 30 issued at T-5 (noon);
- B (服装 > 男装): 50 received at T-40, never issued;
- C (鞋靴): 10 received at T-120, 5 issued at T-100.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from application.inventory.analysis.queries import GetDailyPosition, GetIdleStock, GetTurnover
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.revaluation import Revaluations
from application.inventory.stock.movements import IssueStock, ReceiveStock
from application.inventory.warehouses.bins import AddBin, ListBins
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.permissions import INVENTORY_COSTING
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import caller, open_warehouse
from tests.support.databases import TestDatabase


async def _catalog(database: TestDatabase, tenant: TenantHandle) -> dict[str, UUID]:
    """Categories 服装 > 男装 and 鞋靴; SKUs A and B in 男装, C in 鞋靴 (codes ANA-A…)."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        ids = {name: uuid.uuid4() for name in ("服装", "男装", "鞋靴")}
        for name, parent in (("服装", None), ("男装", ids["服装"]), ("鞋靴", None)):
            await conn.execute(
                "INSERT INTO categories (tenant_id, id, parent_id, name, name_key, created_at,"
                " updated_at) VALUES ($1, $2, $3, $4, $4, now(), now())",
                tenant.id,
                ids[name],
                parent,
                name,
            )
        closure = [(c, c, 0) for c in ids.values()] + [(ids["服装"], ids["男装"], 1)]
        for ancestor, descendant, depth in closure:
            await conn.execute(
                "INSERT INTO category_closure VALUES ($1, $2, $3, $4)",
                tenant.id,
                ancestor,
                descendant,
                depth,
            )
        found = dict(ids)
        for letter, category in (("A", "男装"), ("B", "男装"), ("C", "鞋靴")):
            product, sku = uuid.uuid4(), uuid.uuid4()
            code = f"ANA-{letter}"
            await conn.execute(
                "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
                " category_id, created_at, updated_at) VALUES ($1, $2, $3, $3, $3, 'physical',"
                " 'active', $4, now(), now())",
                tenant.id,
                product,
                code,
                ids[category],
            )
            await conn.execute(
                "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key,"
                " list_price, cost) VALUES ($1, $2, $3, 0, $4, $4, 10, 4)",
                tenant.id,
                sku,
                product,
                code + "-1",
            )
            found[letter] = sku
        return found
    finally:
        await conn.close()


async def _backdate(database: TestDatabase, tenant: TenantHandle, seq: int, at: datetime) -> None:
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(
            "UPDATE stock_ledger SET occurred_at = $3, effective_at = $3"
            " WHERE tenant_id = $1 AND seq = $2",
            tenant.id,
            seq,
            at,
        )
    finally:
        await conn.close()


async def _bins_since(database: TestDatabase, tenant: TenantHandle, at: datetime) -> None:
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(
            "UPDATE warehouse_bins SET created_at = $2 WHERE tenant_id = $1", tenant.id, at
        )
    finally:
        await conn.close()


async def _last_seq(database: TestDatabase, tenant: TenantHandle) -> int:
    conn = await asyncpg.connect(database.owner_url)
    try:
        return int(
            await conn.fetchval("SELECT max(seq) FROM stock_ledger WHERE tenant_id = $1", tenant.id)
        )
    finally:
        await conn.close()


async def test_position_turnover_and_idle_stock_on_a_worked_example(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    ids = await _catalog(database, tenant)
    main = await open_warehouse(tenant, "ANA")
    run, query, ctx = (
        tenant.container.use_cases.run,
        tenant.container.use_cases.query,
        caller(tenant),
    )
    await run(ctx, AddBin(main, "A-01"))
    await run(ctx, AddBin(main, "A-02"))
    zone = ZoneInfo((await query(ctx, GetDailyPosition())).time_zone)
    today = tenant.container.clock.now().astimezone(zone).date()

    def noon(days_ago: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(12), zone)

    bin_a = (await query(ctx, ListBins(main)))[0].id
    history = [
        (ReceiveStock(ids["A"], main, 100, bin_id=bin_a), 40),
        (ReceiveStock(ids["B"], main, 50, unit_cost=Decimal("3.333333")), 40),
        (ReceiveStock(ids["C"], main, 10), 120),
        (IssueStock(ids["A"], main, 30), 5),
        (IssueStock(ids["C"], main, 5), 100),
    ]
    for command, days_ago in history:
        await run(ctx, command)
        await _backdate(database, tenant, await _last_seq(database, tenant), noon(days_ago))

    await _bins_since(database, tenant, noon(150))

    # INV-9: a past day's figures and bins are that day's end's, from the ledger: at the
    # end of T-100 only C's 5 units (A's bin not filled yet: both bins free); at T-40's,
    # everything received (A's 100 in bin A-01), C's 5 gone.
    async def at(days_ago: int) -> tuple[int, int, int, int, int]:
        [row] = (
            await query(ctx, GetDailyPosition(today - timedelta(days=days_ago), main))
        ).warehouses
        return (row.skus, row.on_hand, row.available, row.bins, row.free_bins)

    assert await at(100) == (1, 5, 5, 2, 2)
    assert await at(40) == (3, 155, 155, 2, 1)
    assert await at(200) == (0, 0, 0, 0, 0)  # before the bins existed
    # INV-9: the position on the day of A's issue, and today.
    then = await query(ctx, GetDailyPosition(today - timedelta(days=5), "ANA"))
    [row] = then.warehouses
    assert (row.received_today, row.issued_today) == (0, 30)
    assert (row.skus, row.on_hand, row.available, row.bins, row.free_bins) == (3, 125, 125, 2, 1)
    # Costs are costing's (INV-7): A and C came in without a cost (worth 0), B at its
    # receipt's 3.333333 × 50 = 166.67 (166.66665 to the fen, half-even); value: 125 × 10.
    assert (row.cost_amount, row.stock_value) == (Decimal("166.67"), Decimal("1250.00"))
    hidden = await query(caller(tenant, ALL_PERMISSIONS - {INVENTORY_COSTING}), GetDailyPosition())
    assert hidden.costs_shown is False and hidden.warehouses[0].cost_amount is None
    [now] = (await query(ctx, GetDailyPosition(None, main))).warehouses
    assert (now.received_today, now.issued_today) == (0, 0)

    # INV-10: turnover over the last 10 days (today included), per SKU.
    report = await query(ctx, GetTurnover(today - timedelta(days=9), today))
    by_code = {t.code: t for t in report.items}
    a = by_code["ANA-A-1"]
    assert (a.issued, a.opening, a.closing, a.average) == (30, 100, 70, Decimal("85.00"))
    assert (a.turnover, a.days_of_stock) == (Decimal("0.35"), Decimal("23.33"))
    b = by_code["ANA-B-1"]
    assert (b.issued, b.turnover, b.days_of_stock) == (0, Decimal("0.00"), None)
    assert report.items[0].code == "ANA-A-1"  # most issued first
    # Per category, only 服装 and below (by path).
    clothes = await query(
        ctx, GetTurnover(today - timedelta(days=9), today, by_category=True, category="服装")
    )
    [men] = clothes.items
    assert (men.key, men.code, men.issued, men.opening, men.closing) == (
        ids["男装"],
        "男装",
        30,
        150,
        120,
    )

    # Slow-moving (no issue for 30 days) and dead (90): B never issued since T-40; C last
    # issued at T-100; A issued at T-5 is neither.
    idle = await query(ctx, GetIdleStock(30, 90))
    assert [(i.sku_code, i.on_hand, i.last_issue_at) for i in idle.slow_moving] == [
        ("ANA-B-1", 50, None)
    ]
    assert [(i.sku_code, i.on_hand) for i in idle.dead] == [("ANA-C-1", 5)]
    # Whole days since noon of those days: 99 or 100, 39 or 40 depending on the hour.
    assert idle.dead[0].idle_days in (99, 100) and idle.slow_moving[0].idle_days in (39, 40)


async def test_inv9_a_past_days_position_shows_that_days_values(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """INV-9 with INV-7: a past day's cost amount and stock value are those at its end
    (the valuation at the tenant's next midnight: a closing plus the movements since), not
    today's. Worked example (list price 10 per unit):
    A: 10 received at 5.00 on T-3 (back-dated), 4 issued today (FIFO: 20.00);
    so T-5: nothing; T-3 and T-1: 10 units, 50.00, 100.00; today: 6 units, 30.00, 60.00."""
    run, query, ctx = (
        tenant.container.use_cases.run,
        tenant.container.use_cases.query,
        caller(tenant),
    )
    main = await open_warehouse(tenant, "PAST")
    sku = (await _catalog(database, tenant))["A"]
    zone = ZoneInfo((await query(ctx, GetDailyPosition())).time_zone)
    today = tenant.container.clock.now().astimezone(zone).date()
    three_days_ago = datetime.combine(today - timedelta(days=3), time(12), zone)
    received = await run(
        ctx, ReceiveStock(sku, main, 10, Decimal("5.00"), effective_at=three_days_ago)
    )
    assert received.revaluation_job_id is not None
    await tenant.container.get(Revaluations).run(tenant.id, received.revaluation_job_id)
    # the closings since T-3 are written: T-1 reads one, T-3 a closing's movements since
    closed = await tenant.container.get(StockClosings).close_tenant(
        ctx, tenant.container.clock.now()
    )
    assert len(closed) == 3
    issued = await run(ctx, IssueStock(sku, main, 4))
    assert issued.cost_amount == Decimal("-20.00")

    async def values(days_ago: int) -> tuple[Decimal | None, Decimal | None]:
        found = await query(ctx, GetDailyPosition(today - timedelta(days=days_ago), main))
        [row] = found.warehouses
        return row.cost_amount, row.stock_value

    past = await query(ctx, GetDailyPosition(today - timedelta(days=1), main))
    assert past.stock_value_at_todays_prices is True
    assert (await query(ctx, GetDailyPosition(None, main))).stock_value_at_todays_prices is False
    assert await values(5) == (Decimal("0.00"), Decimal("0.00"))
    assert await values(3) == (Decimal("50.00"), Decimal("100.00"))
    assert await values(1) == (Decimal("50.00"), Decimal("100.00"))
    assert await values(0) == (Decimal("30.00"), Decimal("60.00"))
