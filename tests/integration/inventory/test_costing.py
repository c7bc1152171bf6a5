"""INV-7 costing on the real database, as shopkeeper_app under RLS: the hand-worked FIFO
and moving-average examples of tests/unit/inventory/test_costing.py through the use
cases — a receipt document with landed costs, an issue spanning several layers, a
back-dated receipt re-valued by its job (corrections, pool, closings) — the value at
a past date from a closing plus the movements since, the method's rule, and costs
hidden without ``inventory:costing``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from uuid import UUID

import pytest
from sqlalchemy import text

from application.inventory.costing.closing import StockClosings
from application.inventory.costing.queries import GetCostPosition, GetValuation
from application.inventory.costing.receipts import (
    DocumentCharge,
    DocumentLine,
    ReceiveDocument,
)
from application.inventory.costing.revaluation import Revaluations
from application.inventory.costing.settings import GetCostingSettings, SetCostingMethod
from application.inventory.ports import INVENTORY
from application.inventory.stock.movements import AdjustStock, IssueStock, ReceiveStock
from application.inventory.stock.queries import ListLedger
from application.jobs.queries import GetJob
from domain.inventory.costing import AllocationBasis, ChargeKind, CostingMethod
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.shared.errors import Conflict, PermissionDenied
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse


async def _ledger_amounts(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> list[D | None]:
    page = await tenant.container.use_cases.query(
        caller(tenant), ListLedger(sku_id=sku, warehouse_id=warehouse, limit=100)
    )
    return [e.cost_amount for e in page.page.items]


async def _corrected(tenant: TenantHandle, sku: UUID) -> dict[int, D]:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        rows = await uow.connection.execute(  # type: ignore[attr-defined]
            text(
                "SELECT seq, sum(delta) AS d FROM cost_revaluations WHERE sku_id = :s GROUP BY seq"
            ),
            {"s": sku},
        )
        return {row.seq: row.d for row in rows}


async def test_inv7_fifo_landed_costs_and_an_issue_across_layers(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """The landed-cost document of the unit test: freight by quantity, duty by value,
    other by weight (the SKUs' catalog weights), then 12 + 4 + 2 out of 10 + 5 + 3."""
    run = tenant.container.use_cases.run
    ctx = caller(tenant)
    a, b, c = await make_skus(tenant, 3)
    main = await open_warehouse(tenant, "FIFO-1")
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        # catalog weights per unit: 0.5 × 3, 1.5/7 × 7 ≈ 1.5, 1.5 × 1 → equal weights
        await uow.connection.execute(  # type: ignore[attr-defined]
            text("UPDATE skus SET weight_grams = :w WHERE id = :id"), {"w": D("500"), "id": a}
        )
        await uow.connection.execute(  # type: ignore[attr-defined]
            text("UPDATE skus SET weight_grams = :w WHERE id = :id"), {"w": D("1500"), "id": c}
        )
        await uow.commit()
    document = await run(
        ctx,
        ReceiveDocument(
            main,
            (
                DocumentLine(a, 3, D("10.00")),
                DocumentLine(b, 7, D("5.00"), weight=D("1500")),  # the line's own weight
                DocumentLine(c, 1, D("100.00")),
            ),
            (
                DocumentCharge(ChargeKind.FREIGHT, D("10.00"), AllocationBasis.QUANTITY),
                DocumentCharge(ChargeKind.DUTY, D("16.50"), AllocationBasis.VALUE),
                DocumentCharge(ChargeKind.OTHER, D("1.00"), AllocationBasis.WEIGHT),
            ),
        ),
    )
    assert [line.cost.total for line in document.lines] == [D("36.07"), D("45.19"), D("111.24")]
    assert document.total == D("192.50")
    # SKU a: 10 @ 10.00 and 5 @ 12.00 more, after the landed 3 @ 12.023333 (FIFO by time:
    # the document came first, so its layer is the oldest)
    await run(ctx, ReceiveStock(a, main, 10, D("10.00")))
    await run(ctx, ReceiveStock(a, main, 5, D("12.00")))
    # 12 out: the landed 3 (36.07) + 9 of the 10 @ 10 (90.00) = 126.07
    first = await run(ctx, IssueStock(a, main, 12))
    assert first.cost_amount == D("-126.07")
    # 4 out: the last 1 @ 10 (10.00) + 3 of the 5 @ 12 (money(60 × 3/5) = 36.00)
    assert (await run(ctx, IssueStock(a, main, 4))).cost_amount == D("-46.00")
    position = await tenant.container.use_cases.query(ctx, GetCostPosition(a, main))
    assert (position.quantity, position.value, position.unit_cost) == (2, D("24.00"), D("12"))
    assert await _ledger_amounts(tenant, a, main) == [
        D("36.07"),
        D("100.00"),
        D("60.00"),
        D("-126.07"),
        D("-46.00"),
    ]
    # a loss found by a count-like adjustment goes out like an issue: the last 2 @ 12
    assert (await run(ctx, AdjustStock(a, main, -2, "broken"))).cost_amount == D("-24.00")


async def test_inv7_back_dated_receipt_revalues_fifo_from_its_date(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """R1 10 @ 10 ten days ago; 8 out; R2 10 @ 12; 6 out (2 × 10 + 4 × 12 = 68.00); then
    R0 5 @ 8 dated five days ago: the job re-costs the second issue to 2 × 10 + 4 × 8 =
    52.00 (a correction of +16.00), leaves the first alone, and the closings after R0's
    date gain its 5 units and 40.00."""
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "BACK-1")
    now = datetime.now(UTC)
    r1 = await run(ctx, ReceiveStock(sku, main, 10, D("10.00"), effective_at=now - timedelta(10)))
    assert r1.revaluation_job_id is not None
    await tenant.container.get(Revaluations).run(tenant.id, r1.revaluation_job_id)
    closed = await tenant.container.get(StockClosings).close_tenant(caller(tenant), now)
    assert len(closed) == 10  # a closing per midnight since R1
    assert (await run(ctx, IssueStock(sku, main, 8))).cost_amount == D("-80.00")
    await run(ctx, ReceiveStock(sku, main, 10, D("12.00")))
    second = await run(ctx, IssueStock(sku, main, 6))
    assert second.cost_amount == D("-68.00")
    three_days_ago = now - timedelta(3)
    before = await tenant.container.use_cases.query(ctx, GetValuation(three_days_ago, sku))
    assert [(v.quantity, v.value) for v in before.levels] == [(10, D("100.00"))]
    assert before.closing is not None and before.closing <= three_days_ago

    r0 = await run(ctx, ReceiveStock(sku, main, 5, D("8.00"), effective_at=now - timedelta(5)))
    assert r0.revaluation_job_id is not None
    job = await tenant.container.get(Revaluations).run(tenant.id, r0.revaluation_job_id)
    assert job.succeeded and job.done == 4  # R0, the two issues and R2: nothing earlier
    shown = await tenant.container.use_cases.query(ctx, GetJob(r0.revaluation_job_id))
    assert shown.succeeded and shown.checkpoint["corrections"] == 1

    seqs = await _ledger_amounts(tenant, sku, main)
    assert seqs[-2] == D("-68.00")  # the ledger keeps what was posted…
    assert list((await _corrected(tenant, sku)).values()) == [D("16.00")]  # …and its correction
    position = await tenant.container.use_cases.query(ctx, GetCostPosition(sku, main))
    assert (position.quantity, position.value) == (11, D("128.00"))  # 1 @ 8 + 10 @ 12
    # three days ago (a closing after R0's date, corrected, plus nothing since): 15, 140.00
    after = await tenant.container.use_cases.query(ctx, GetValuation(three_days_ago, sku))
    assert [(v.quantity, v.value) for v in after.levels] == [(15, D("140.00"))]
    now_value = await tenant.container.use_cases.query(ctx, GetValuation(None, sku))
    assert [(v.quantity, v.value) for v in now_value.levels] == [(11, D("128.00"))]
    # the next issue takes the re-built layers: R0's last unit, then R2
    assert (await run(ctx, IssueStock(sku, main, 3))).cost_amount == D("-32.00")


async def test_inv7_moving_average_and_its_back_dated_receipt(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    settings = await run(ctx, SetCostingMethod(CostingMethod.MOVING_AVERAGE, 0))
    assert settings.version == 1
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MA-1")
    now = datetime.now(UTC)
    r1 = await run(ctx, ReceiveStock(sku, main, 10, D("10.00"), effective_at=now - timedelta(10)))
    assert r1.revaluation_job_id is not None
    assert (await run(ctx, IssueStock(sku, main, 8))).cost_amount == D("-80.00")
    await run(ctx, ReceiveStock(sku, main, 10, D("12.00")))
    assert (await run(ctx, IssueStock(sku, main, 6))).cost_amount == D("-70.00")
    r0 = await run(ctx, ReceiveStock(sku, main, 5, D("8.00"), effective_at=now - timedelta(5)))
    assert r0.revaluation_job_id is not None
    revaluations = tenant.container.get(Revaluations)
    assert await revaluations.run_unfinished(tenant.id) == 2  # R1's (nothing to do) and R0's
    # 15 units 140.00: 8 out = 74.67; 7 left 65.33 + 120 = 17, 185.33; 6 out = 65.41
    assert sorted((await _corrected(tenant, sku)).values()) == [D("4.59"), D("5.33")]
    position = await tenant.container.use_cases.query(ctx, GetCostPosition(sku, main))
    assert (position.quantity, position.value) == (11, D("119.92"))
    assert position.unit_cost == D("10.901818")  # 119.92 / 11
    # the method is fixed now that values were posted
    with pytest.raises(Conflict) as refused:
        await run(ctx, SetCostingMethod(CostingMethod.FIFO, 1))
    assert refused.value.code == "costing_history_exists"
    shown = await tenant.container.use_cases.query(ctx, GetCostingSettings())
    assert (shown.method, shown.has_history) == (CostingMethod.MOVING_AVERAGE, True)


async def test_inv7_concurrent_issues_cost_each_unit_once(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """20 issues of one unit racing over two FIFO layers (10 @ 1.00, 10 @ 2.00): the
    level lock makes each cost from the pool the previous one left, so the costs add up
    to exactly 30.00 and the pool ends empty."""
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "RACE-1")
    await run(ctx, ReceiveStock(sku, main, 10, D("1.00")))
    await run(ctx, ReceiveStock(sku, main, 10, D("2.00")))
    moved = await asyncio.gather(*(run(ctx, IssueStock(sku, main, 1)) for _ in range(20)))
    assert sum(m.cost_amount or 0 for m in moved) == D("-30.00")
    assert sorted(m.cost_amount for m in moved).count(D("-1.00")) == 10
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        position = await uow.of(INVENTORY).costs.position(sku, main)
    assert (position.quantity, position.value) == (0, D("0.00"))


async def test_inv7_costs_hidden_without_costing(tenant: TenantHandle, make_skus: MakeSkus) -> None:
    run = tenant.container.use_cases.run
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "HIDE-1")
    await run(caller(tenant), ReceiveStock(sku, main, 5, D("3.00")))
    clerk = caller(tenant, frozenset({INVENTORY_READ, INVENTORY_WRITE}))
    issued = await run(clerk, IssueStock(sku, main, 2))
    assert issued.cost_amount is None  # posted all the same, not shown
    page = await tenant.container.use_cases.query(clerk, ListLedger(sku_id=sku))
    assert [(e.unit_cost, e.cost_amount) for e in page.page.items] == [(None, None)] * 2
    for query in (GetValuation(), GetCostPosition(sku, main), GetCostingSettings()):
        with pytest.raises(PermissionDenied):
            await tenant.container.use_cases.query(clerk, query)
    assert await _ledger_amounts(tenant, sku, main) == [D("15.00"), D("-6.00")]
