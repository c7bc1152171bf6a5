"""Batches, expiry and serials on the real database, as shopkeeper_app under RLS (INV-8).

Worked examples of first-expiry-first-out and first-in-first-out picking; batch figures
equal to their ledger rows (and the SKU × warehouse figure to all of them); a batch
required for a batch-managed SKU; serials refused with the serials named and nothing
changed; 10,000 serials received and issued in one document; the expiring-stock report.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import asyncpg
import pytest

from application.inventory.alerts.delivery import AlertDelivery
from application.inventory.alerts.evaluate import SweepStockAlerts
from application.inventory.alerts.queries import ListStockAlerts
from application.inventory.batches.picking import BatchPicking, GetPickingSuggestion
from application.inventory.batches.queries import GetSerial, ListExpiringStock
from application.inventory.batches.scanning import BatchFields
from application.inventory.batches.settings import (
    GetSkuStockSettings,
    SetSkuStockSettings,
    SetStockSettings,
)
from application.inventory.costing.receipts import (
    DocumentCharge,
    DocumentLine,
    ReceiveDocument,
)
from application.inventory.imports.service import StockImports
from application.inventory.ports import INVENTORY, LedgerDifference, ReservationRequest
from application.inventory.reservations.commands import CommitReservation, ReserveStock
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import (
    AdjustStock,
    ChangeStockState,
    IssueStock,
    ReceiveReturn,
    ReceiveStock,
)
from domain.inventory.alerts import AlertStatus
from domain.inventory.batches import PickingRule, SerialsInStock, SerialsNotInStock
from domain.inventory.costing import ChargeKind
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import Deltas, InspectionResult, InsufficientStock, Target
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import Conflict, ValidationFailed
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.integration.inventory.test_stock_import import check, sku_codes
from tests.support.databases import TestDatabase

TODAY = date.today()


async def managed(
    tenant: TenantHandle,
    sku: UUID,
    *,
    batches: bool = True,
    serials: bool = False,
    rule: PickingRule | None = None,
) -> None:
    ctx = caller(tenant)
    current = await tenant.container.use_cases.query(ctx, GetSkuStockSettings(sku))
    await tenant.container.use_cases.run(
        ctx, SetSkuStockSettings(sku, batches, serials, rule, current.version)
    )


async def receive(
    tenant: TenantHandle,
    sku: UUID,
    warehouse: UUID,
    quantity: int,
    batch: str | None = None,
    expiry: date | None = None,
    serials: tuple[str, ...] | None = None,
) -> Deltas:
    moved = await tenant.container.use_cases.run(
        caller(tenant),
        ReceiveStock(sku, warehouse, quantity, batch_no=batch, expiry_date=expiry, serials=serials),
    )
    return moved.figures


async def batch_figures(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> dict[str, int]:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        stock = await uow.of(INVENTORY).batches.stock(sku, warehouse)
    return {s.batch.number: s.on_hand for s in stock}


async def level(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> Deltas:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        found = await uow.of(INVENTORY).stock.level(sku, warehouse)
    return found.figures if found else Deltas()


async def differences(tenant: TenantHandle) -> list[LedgerDifference]:
    return await tenant.container.use_cases.query(caller(tenant), CheckLedger())


async def four_batches(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> None:
    """The worked example: received in this order —
    A 10 units, expires in 90 days; B 5, expires in 20 days; C 8, no expiry;
    D 4, expires in 20 days (same day as B, received after it)."""
    await receive(tenant, sku, warehouse, 10, "A", TODAY + timedelta(days=90))
    await receive(tenant, sku, warehouse, 5, "B", TODAY + timedelta(days=20))
    await receive(tenant, sku, warehouse, 8, "C")
    await receive(tenant, sku, warehouse, 4, "D", TODAY + timedelta(days=20))


async def test_fefo_and_fifo_suggestions_on_a_worked_example(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8: FEFO takes B (earliest expiry, received first), D (same expiry), then A;
    batches without an expiry last. FIFO takes in order of receipt: A, then B."""
    fefo_sku, fifo_sku = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, fefo_sku)
    await managed(tenant, fifo_sku, rule=PickingRule.FIFO)
    for sku in (fefo_sku, fifo_sku):
        await four_batches(tenant, sku, main)
    ctx = caller(tenant)
    fefo = await tenant.container.use_cases.query(ctx, GetPickingSuggestion(fefo_sku, main, 12))
    assert fefo.rule is PickingRule.FEFO
    assert [(p.batch.number, p.quantity) for p in fefo.picks] == [("B", 5), ("D", 4), ("A", 3)]
    assert fefo.picks[0].batch.expiry_date == TODAY + timedelta(days=20)
    everything = await tenant.container.use_cases.query(
        ctx, GetPickingSuggestion(fefo_sku, main, 30)
    )
    assert [(p.batch.number, p.quantity) for p in everything.picks] == [
        ("B", 5),
        ("D", 4),
        ("A", 10),
        ("C", 8),
    ]
    assert everything.short == 3
    fifo = await tenant.container.use_cases.query(ctx, GetPickingSuggestion(fifo_sku, main, 12))
    assert [(p.batch.number, p.quantity) for p in fifo.picks] == [("A", 10), ("B", 2)]
    # The published port answers the same.
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        picks = await BatchPicking().suggest(uow, fifo_sku, main, 12)
    assert [(p.batch.number, p.quantity) for p in picks] == [("A", 10), ("B", 2)]


async def test_an_issue_takes_the_suggested_batches_and_every_figure_equals_its_ledger(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-8: an issue of 12 under FEFO posts one ledger row per batch; the batch figures
    and the SKU × warehouse figure stay equal to their ledger; a shipment of a
    reservation takes its batches the same way; the ledger check names a batch that
    drifts."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, sku)
    await four_batches(tenant, sku, main)
    ctx = caller(tenant)
    moved = await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 12))
    assert moved.figures == Deltas(on_hand=15)
    assert await batch_figures(tenant, sku, main) == {"A": 7, "C": 8}
    assert await differences(tenant) == []
    # A named batch.
    await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 2, batch_no="C"))
    assert await batch_figures(tenant, sku, main) == {"A": 7, "C": 6}
    # A reservation's shipment: 9 units, FEFO takes A's 7 then 2 of C.
    reservation = await tenant.container.use_cases.run(
        ctx, ReserveStock(ReservationRequest((RequestedLine(sku, 9, main),)))
    )
    await tenant.container.use_cases.run(ctx, CommitReservation(reservation.id))
    assert await batch_figures(tenant, sku, main) == {"C": 4}
    assert await level(tenant, sku, main) == Deltas(on_hand=4)
    assert await differences(tenant) == []
    # More than the batches hold is refused, naming what they hold.
    with pytest.raises(InsufficientStock) as refused:
        await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 5))
    assert refused.value.params["available"] == 4
    # A batch that drifts from its ledger is found.
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(
            "UPDATE stock_batch_levels SET on_hand = on_hand + 1"
            " WHERE tenant_id = $1 AND on_hand > 0",
            tenant.id,
        )
    finally:
        await conn.close()
    (difference,) = await differences(tenant)
    assert difference.batch_id is not None
    assert difference.figures.on_hand == 5
    assert difference.ledger.on_hand == 4


async def test_a_batch_managed_sku_needs_a_batch_on_receipt(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8: a receipt or a return of a batch-managed SKU without a batch is 422
    ``batch_required`` and writes nothing; a SKU without batches refuses one; a batch's
    dates, once stored, are not contradicted; a SKU holding stock keeps its setting."""
    managed_sku, plain = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN")
    returns = await open_warehouse(tenant, "RET", WarehouseKind.RETURNS)
    await managed(tenant, managed_sku)
    ctx = caller(tenant)
    with pytest.raises(ValidationFailed) as missing:
        await receive(tenant, managed_sku, main, 3)
    assert missing.value.errors[0].code == "batch_required"
    with pytest.raises(ValidationFailed) as missing_on_return:
        await tenant.container.use_cases.run(
            ctx, ReceiveReturn(managed_sku, returns, 1, InspectionResult.RESELLABLE)
        )
    assert missing_on_return.value.errors[0].code == "batch_required"
    assert await level(tenant, managed_sku, main) == Deltas()
    with pytest.raises(ValidationFailed) as refused:
        await receive(tenant, plain, main, 3, "X1")
    assert refused.value.errors[0].code == "not_batch_managed"
    await receive(tenant, managed_sku, main, 3, "L1", TODAY + timedelta(days=10))
    with pytest.raises(ValidationFailed) as differs:
        await receive(tenant, managed_sku, main, 1, "L1", TODAY + timedelta(days=11))
    assert differs.value.errors[0].code == "batch_dates_differ"
    returned = await tenant.container.use_cases.run(
        ctx,
        ReceiveReturn(managed_sku, returns, 1, InspectionResult.DAMAGED, batch_no="L1"),
    )
    assert returned.figures == Deltas(non_sellable=1)
    with pytest.raises(Conflict) as has_stock:
        await managed(tenant, managed_sku, batches=False)
    assert has_stock.value.code == "sku_has_stock"
    assert await differences(tenant) == []


async def test_serials_refused_are_named_and_nothing_changes(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8: a count that does not match the quantity, duplicates, serials in stock
    already (on receipt), unknown or already issued (on issue) are refused naming the
    serials; the figures and the ledger stay as they were. A serial's history."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, sku, batches=False, serials=True)
    ctx = caller(tenant)
    with pytest.raises(ValidationFailed) as mismatch:
        await receive(tenant, sku, main, 2, serials=("S1", "S2", "S3"))
    assert mismatch.value.errors[0].code == "serial_count_mismatch"
    assert mismatch.value.errors[0].params == {"quantity": 2, "scanned": 3}
    with pytest.raises(ValidationFailed) as twice:
        await receive(tenant, sku, main, 3, serials=("S1", "S2", "S1"))
    assert twice.value.errors[0].code == "serials_duplicated"
    assert twice.value.errors[0].params["serials"] == "S1"
    with pytest.raises(ValidationFailed) as none:
        await receive(tenant, sku, main, 1)
    assert none.value.errors[0].code == "serials_required"
    assert await receive(tenant, sku, main, 2, serials=("S1", "S2")) == Deltas(on_hand=2)
    with pytest.raises(SerialsInStock) as in_stock:
        await receive(tenant, sku, main, 2, serials=("S2", "S3"))
    assert in_stock.value.params["serials"] == "S2"
    assert await level(tenant, sku, main) == Deltas(on_hand=2)
    with pytest.raises(SerialsNotInStock) as unknown:
        await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 2, serials=("S1", "X9")))
    assert unknown.value.params["unknown"] == "X9"
    assert unknown.value.params["serials"] == "X9"
    await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 1, serials=("S1",)))
    with pytest.raises(SerialsNotInStock) as issued:
        await tenant.container.use_cases.run(ctx, IssueStock(sku, main, 1, serials=("S1",)))
    assert issued.value.params["not_here"] == "S1"
    assert await level(tenant, sku, main) == Deltas(on_hand=1)
    history = await tenant.container.use_cases.query(ctx, GetSerial(sku, "S1"))
    assert not history.in_stock
    assert history.warehouse_id == main
    assert [m.kind.value for m in history.moves] == ["receipt", "issue"]
    s2 = await tenant.container.use_cases.query(ctx, GetSerial(sku, "S2"))
    assert s2.in_stock
    assert await differences(tenant) == []


async def test_10000_serials_in_one_document_in_and_out(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-8: 10,000 serials received in one receipt and 6,000 of them issued in one
    issue, across two batches; every serial is where it should be and each has its
    history rows (correctness, not time: bench/inventory_serials.py measures)."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, sku, serials=True)
    first = tuple(f"SN{n:06d}" for n in range(5000))
    second = tuple(f"SN{n:06d}" for n in range(5000, 10000))
    await receive(tenant, sku, main, 5000, "B1", TODAY + timedelta(days=30), first)
    await receive(tenant, sku, main, 5000, "B2", TODAY + timedelta(days=60), second)
    out = first[:3000] + second[:3000]
    moved = await tenant.container.use_cases.run(
        caller(tenant), IssueStock(sku, main, 6000, serials=out)
    )
    assert moved.figures == Deltas(on_hand=4000)
    assert await batch_figures(tenant, sku, main) == {"B1": 2000, "B2": 2000}
    assert await differences(tenant) == []
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch(
            "SELECT status, count(*) AS n FROM stock_serials WHERE tenant_id = $1"
            " GROUP BY status ORDER BY status",
            tenant.id,
        )
        moves = await conn.fetchval(
            "SELECT count(*) FROM stock_serial_moves WHERE tenant_id = $1", tenant.id
        )
    finally:
        await conn.close()
    assert {r["status"]: r["n"] for r in rows} == {"in_stock": 4000, "issued": 6000}
    assert moves == 16000


async def test_stock_expiring_within_days_and_expired(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8: the report lists batch stock expiring within N days (default: the tenant's
    warning window), expired stock with negative days left, soonest first."""
    sku, other = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN")
    side = await open_warehouse(tenant, "SIDE")
    for each in (sku, other):
        await managed(tenant, each)
    ctx = caller(tenant)
    uses = tenant.container.use_cases
    # The company's today (its time zone), which the report counts from.
    today = (await uses.query(ctx, ListExpiringStock(within_days=0))).today
    await receive(tenant, sku, main, 4, "OLD", today - timedelta(days=2))
    await receive(tenant, sku, main, 6, "SOON", today + timedelta(days=5))
    await receive(tenant, sku, main, 7, "LATER", today + timedelta(days=40))
    await receive(tenant, other, side, 3, "SOON", today + timedelta(days=9))
    await receive(tenant, other, side, 1, "NEVER")
    ctx = caller(tenant)
    uses = tenant.container.use_cases
    found = await uses.query(ctx, ListExpiringStock(within_days=10))
    assert [(i.stock.batch.number, i.stock.on_hand, days) for i, days in found.items] == [
        ("OLD", 4, -2),
        ("SOON", 6, 5),
        ("SOON", 3, 9),
    ]
    only_side = await uses.query(ctx, ListExpiringStock(within_days=10, warehouse_id=side))
    assert [i.warehouse_code for i, _ in only_side.items] == ["SIDE"]
    await uses.run(ctx, SetStockSettings(PickingRule.FEFO, 60, 0))
    window = await uses.query(ctx, ListExpiringStock(sku_id=sku))
    assert [i.stock.batch.number for i, _ in window.items] == ["OLD", "SOON", "LATER"]
    # FEFO issues the expired batch first: the picking rule does not skip it, the
    # report shows it.
    await uses.run(ctx, IssueStock(sku, main, 4))
    assert await batch_figures(tenant, sku, main) == {"SOON": 6, "LATER": 7}


async def test_a_random_sku_is_not_found_for_settings(tenant: TenantHandle) -> None:
    with pytest.raises(Exception) as missing:
        await managed(tenant, uuid.uuid4())
    assert getattr(missing.value, "code", None) == "not_found"


async def alerts_of(tenant: TenantHandle, sku: UUID) -> list[tuple[str, str, int, int]]:
    page = await tenant.container.use_cases.query(caller(tenant), ListStockAlerts(sku_id=sku))
    return sorted((a.kind.value, a.status.value, a.threshold, a.quantity) for a in page.items)


async def test_expiring_stock_raises_one_alert_per_crossing_and_reaches_the_inbox(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-8 through the alerts' machinery (INV-3): stock coming into the warning window
    raises ONE ``expiring`` alert (threshold: the window's days, quantity: the units),
    however many movements follow; it is resolved when none is left, which re-arms it;
    the sweep raises nothing more; delivery renders ``stock.expiring`` to the inbox."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, sku)
    ctx = caller(tenant)
    uses = tenant.container.use_cases
    today = (await uses.query(ctx, ListExpiringStock(within_days=0))).today
    await uses.run(ctx, SetStockSettings(PickingRule.FEFO, 30, 0))
    await receive(tenant, sku, main, 5, "FAR", today + timedelta(days=90))
    assert await alerts_of(tenant, sku) == []
    await receive(tenant, sku, main, 3, "NEAR", today + timedelta(days=10))
    assert await alerts_of(tenant, sku) == [("expiring", "open", 30, 3)]
    await receive(tenant, sku, main, 2, "NEAR", today + timedelta(days=10))
    assert await alerts_of(tenant, sku) == [("expiring", "open", 30, 3)]  # one a crossing
    assert await uses.run(ctx, SweepStockAlerts()) == 0
    await uses.run(ctx, IssueStock(sku, main, 5))  # FEFO: NEAR's 5 units
    assert await alerts_of(tenant, sku) == [("expiring", "resolved", 30, 3)]
    await receive(tenant, sku, main, 1, "NEAR", today + timedelta(days=10))
    found = await alerts_of(tenant, sku)
    assert found == [("expiring", "open", 30, 1), ("expiring", "resolved", 30, 3)]
    page = await uses.query(ctx, ListStockAlerts(sku_id=sku, status=AlertStatus.OPEN))
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        await tenant.container.get(AlertDelivery).notify(uow, page.items[0].id)
        await uow.commit()
    conn = await asyncpg.connect(database.owner_url)
    try:
        topics = await conn.fetch(
            "SELECT topic, title FROM inbox_messages WHERE tenant_id = $1", tenant.id
        )
    finally:
        await conn.close()
    assert topics and {r["topic"] for r in topics} == {"stock.expiring"}
    assert all("30" in r["title"] for r in topics)


async def test_adjustments_and_state_changes_move_their_batch(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8: a batch-managed SKU's adjustment and state change move its batch too (a
    state change and a non-sellable loss name it; a sellable loss follows the picking
    suggestion), so the batches keep adding up to the SKU × warehouse figures; a
    serial-managed SKU's found and lost units scan their serials in and out."""
    batched, serialised = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, batched)
    await managed(tenant, serialised, batches=False, serials=True)
    ctx = caller(tenant)
    uses = tenant.container.use_cases
    await four_batches(tenant, batched, main)
    with pytest.raises(ValidationFailed) as unnamed:
        await uses.run(ctx, ChangeStockState(batched, main, 2, Target.NON_SELLABLE))
    assert unnamed.value.errors[0].code == "batch_required"
    moved = await uses.run(
        ctx, ChangeStockState(batched, main, 2, Target.NON_SELLABLE, batch_no="A")
    )
    assert moved.figures == Deltas(on_hand=25, non_sellable=2)
    await uses.run(ctx, AdjustStock(batched, main, -6, "lost"))  # FEFO: B 5, D 1
    await uses.run(ctx, AdjustStock(batched, main, 1, "found", batch_no="C"))
    await uses.run(ctx, AdjustStock(batched, main, -1, "broken", Target.NON_SELLABLE, batch_no="A"))
    assert await batch_figures(tenant, batched, main) == {"A": 8, "C": 9, "D": 3}
    assert await level(tenant, batched, main) == Deltas(on_hand=20, non_sellable=1)
    await receive(tenant, serialised, main, 2, serials=("S1", "S2"))
    await uses.run(ctx, AdjustStock(serialised, main, -1, "lost", serials=("S1",)))
    await uses.run(ctx, AdjustStock(serialised, main, 1, "found", serials=("S9",)))
    assert not (await uses.query(ctx, GetSerial(serialised, "S1"))).in_stock
    assert (await uses.query(ctx, GetSerial(serialised, "S9"))).in_stock
    assert await differences(tenant) == []


async def test_a_landed_cost_receipt_document_takes_batches_and_serials_per_line(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8 with INV-7: a purchase receipt document's lines carry their batch and
    serials; a batch-managed line without one is refused naming the line, and nothing
    of the document is posted."""
    batched, serialised, plain = await make_skus(tenant, 3)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, batched)
    await managed(tenant, serialised, batches=False, serials=True)
    uses, ctx = tenant.container.use_cases, caller(tenant)
    expiry = date.today() + timedelta(days=200)
    lines = (
        DocumentLine(plain, 2, Decimal("3.00")),
        DocumentLine(batched, 4, Decimal("5.00"), batch=BatchFields("P-1", None, expiry)),
        DocumentLine(serialised, 2, Decimal("7.00"), serials=("X1", "X2")),
    )
    freight = (DocumentCharge(ChargeKind.FREIGHT, Decimal("8.00")),)
    document = await uses.run(ctx, ReceiveDocument(main, lines, freight))
    assert document.total == Decimal("48.00")  # 6 + 20 + 14 of goods, 8 of freight
    assert await batch_figures(tenant, batched, main) == {"P-1": 4}
    assert (await uses.query(ctx, GetSerial(serialised, "X2"))).in_stock
    missing = (DocumentLine(plain, 1, Decimal("3.00")), DocumentLine(batched, 1, Decimal("5")))
    with pytest.raises(ValidationFailed) as refused:
        await uses.run(ctx, ReceiveDocument(main, missing))
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "lines[1].batchNo",
        "batch_required",
    )
    assert await level(tenant, plain, main) == Deltas(on_hand=2)
    assert await differences(tenant) == []


async def test_the_opening_stock_import_takes_batches_and_serials(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-8: the import's batch_no, production_date, expiry_date and serials columns; a
    row is checked against its SKU's setting and what is stored (a batch's dates, serials
    in stock), and across the file (a serial twice, a batch with two sets of dates), each
    refusal in the row report; the commit posts each row into its batch with its serials,
    and every figure equals its ledger."""
    skus = await make_skus(tenant, 5)
    batched, serialised, both, other = skus[1:]
    await managed(tenant, batched)
    await managed(tenant, serialised, batches=False, serials=True)
    await managed(tenant, both, serials=True)
    await managed(tenant, other, batches=False, serials=True)
    p, b, s, bs, o = await sku_codes(database, skus)
    main = await open_warehouse(tenant, "IMP")
    await open_warehouse(tenant, "IMP2")
    await receive(tenant, serialised, main, 1, serials=("HELD",))
    await receive(tenant, batched, main, 1, "OLD", date(2027, 1, 31))
    content = (
        "sku_code,warehouse_code,quantity,batch_no,production_date,expiry_date,serials\n"
        f"{p},IMP,1,,,,\n"  # 2: fine
        f"{b},IMP,4,L1,2026-11-01,2027-05-01,\n"  # 3: fine
        f"{s},IMP,2,,,,S1;S2\n"  # 4: fine
        f"{bs},IMP,2,L7,,2027-03-01,X1 X2\n"  # 5: fine
        f"{b},IMP,1,,,,\n"  # 6
        f"{p},IMP,1,L1,,,\n"  # 7
        f"{o},IMP,1,,,,\n"  # 8
        f"{b},IMP,2,L3,,,Q1;Q2\n"  # 9
        f"{o},IMP,2,,,,S3\n"  # 10
        f"{s},IMP,1,HELD,,,HELD\n"  # 11: not batch-managed; HELD in stock
        f"{b},IMP,1,OLD,,2027-02-28,\n"  # 12: other dates than stored
        f"{b},IMP,1,L2,2026-13-01,,\n"  # 13
        f"{b},IMP,1,,,2027-01-01,\n"  # 14: a date without its batch number
        f"{o},IMP2,1,,,,D1\n"  # 15: D1 twice
        f"{o},IMP,1,L9,,,D1\n"  # 16
        f"{b},IMP,1,L4,,2027-01-01,\n"  # 17: L4 with two sets of dates
        f"{b},IMP2,1,L4,,2027-02-01,\n"  # 18
    )
    service = tenant.container.get(StockImports)
    ctx, record = await check(service, tenant, content.encode(), "opening.csv")
    assert [(e.row, e.column, e.code) for e in record.errors] == [
        (6, "batch_no", "batch_required"),
        (7, "batch_no", "not_batch_managed"),
        (8, "serials", "serials_required"),
        (9, "serials", "not_serial_managed"),
        (10, "serials", "serial_count_mismatch"),
        (11, "batch_no", "not_batch_managed"),
        (11, "serials", "serials_in_stock"),
        (12, "batch_no", "batch_dates_differ"),
        (13, "production_date", "invalid_date"),
        (14, "batch_no", "required"),
        (15, "serials", "serials_duplicated"),
        (16, "serials", "serials_duplicated"),
        (17, "batch_no", "batch_dates_differ"),
        (18, "batch_no", "batch_dates_differ"),
    ]
    assert record.counts["valid"] == 4
    started = await service.commit(ctx, record.id, True, record.version, enqueue=False)
    assert started.commit_job is not None
    job = await service.run_commit(tenant.id, started.commit_job.id)
    assert job.succeeded and job.done == 4
    assert await batch_figures(tenant, batched, main) == {"OLD": 1, "L1": 4}
    assert await batch_figures(tenant, both, main) == {"L7": 2}
    uses = tenant.container.use_cases
    for sku, serial in ((serialised, "S2"), (both, "X2")):
        found = await uses.query(caller(tenant), GetSerial(sku, serial))
        assert found.in_stock and found.warehouse_id == main
    assert await level(tenant, serialised, main) == Deltas(on_hand=3)
    assert await differences(tenant) == []
