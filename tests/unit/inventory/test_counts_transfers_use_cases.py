"""Counts (INV-4) and transfers (INV-5) through their use cases on the typed fakes: who
may do what, all-or-nothing posting and shipping, the events and audit of each step."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.inventory.batches.settings import SetSkuStockSettings
from application.inventory.counts.commands import (
    ApproveCount,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.counts.queries import CountSheet, CountVariances
from application.inventory.counts.scans import ScanCount
from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import ReserveStock
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import ReceiveStock
from application.inventory.transfers.commands import (
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from application.shared.context import Actor, ActorKind, CallContext
from domain.inventory.count import CountKind, CountStatus
from domain.inventory.permissions import INVENTORY_COUNT, INVENTORY_READ
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import Deltas, InsufficientStock, MovementKind
from domain.inventory.transfer import TransferStatus
from domain.shared.errors import Conflict, PermissionDenied, ValidationFailed
from tests.unit.inventory.test_use_cases import CTX, TENANT, Store, make_store

COUNTER = CallContext(TENANT, Actor(ActorKind.USER, "counter"), frozenset({INVENTORY_COUNT}))


async def submitted_count(store: Store, warehouse: UUID, counted: dict[UUID, int]) -> UUID:
    made = await store.use_cases.run(
        COUNTER, CreateCount(warehouse, CountKind.CYCLE, tuple(counted))
    )
    await store.use_cases.run(COUNTER, StartCount(made.id, 1))
    entries = tuple(Entry(sku, n) for sku, n in counted.items())
    await store.use_cases.run(COUNTER, EnterCounts(made.id, entries))
    await store.use_cases.run(COUNTER, SubmitCount(made.id, 2))
    return made.id


def kinds(store: Store) -> list[MovementKind]:
    return [e.kind for e in store.db.tenant(TENANT).inventory.ledger]


async def test_a_counter_counts_blind_and_cannot_post() -> None:
    """INV-4: with only inventory:count a counter reads the sheet (no book quantity) but
    neither the variance report nor the approval."""
    store = make_store()
    sku, main = store.sku(), await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(sku, main, 10))
    count = await submitted_count(store, main, {sku: 9})
    sheet = await store.use_cases.query(COUNTER, CountSheet(count))
    assert [(li.sku_id, li.counted) for li in sheet.items] == [(sku, 9)]
    assert not hasattr(sheet.items[0], "book")
    with pytest.raises(PermissionDenied):
        await store.use_cases.query(COUNTER, CountVariances(count))
    with pytest.raises(PermissionDenied):
        await store.use_cases.run(COUNTER, ApproveCount(count, 3))
    supervisor = CallContext(
        TENANT, Actor(ActorKind.USER, "lead"), frozenset({INVENTORY_COUNT, INVENTORY_READ})
    )
    report = await store.use_cases.query(supervisor, CountVariances(count))
    assert [(li.book, li.counted, li.variance) for li in report.lines] == [(10, 9, -1)]
    assert report.costs_shown is False and report.total_value is None


async def test_posting_that_would_oversell_posts_nothing_and_leaves_the_count_submitted() -> None:
    """INV-4: units reserved after the count cannot be counted away: the posting is refused
    whole (409 insufficient_stock), no line is posted, and it can be approved later."""
    store = make_store()
    a, b, main = store.sku(), store.sku(), await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(a, main, 5))
    await store.use_cases.run(CTX, ReceiveStock(b, main, 10))
    count = await submitted_count(store, main, {a: 7, b: 2})  # A +2, B −8
    request = ReservationRequest((RequestedLine(b, 5),))
    await store.use_cases.run(CTX, ReserveStock(request))  # B: 5 of 10 reserved
    with pytest.raises(InsufficientStock):
        await store.use_cases.run(CTX, ApproveCount(count, 3))
    assert MovementKind.COUNT_VARIANCE not in kinds(store)
    stored = store.db.tenant(TENANT).inventory.counts[count]
    assert stored.status is CountStatus.SUBMITTED
    assert store.level(a, main) == Deltas(on_hand=5)  # A's +2 rolled back with B's refusal


async def test_posting_is_once_and_each_step_is_audited_and_announced() -> None:
    store = make_store()
    sku, main = store.sku(), await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(sku, main, 4))
    count = await submitted_count(store, main, {sku: 6})
    posted = await store.use_cases.run(CTX, ApproveCount(count, 3))
    assert posted.posted_lines == 1 and posted.view.session.status is CountStatus.POSTED
    assert store.level(sku, main) == Deltas(on_hand=6)
    assert kinds(store).count(MovementKind.COUNT_VARIANCE) == 1
    events = [e.event_type for e in store.db.tenant(TENANT).outbox if e.entity_id == count]
    assert events == [
        "inventory.count_created",
        "inventory.count_started",
        "inventory.count_submitted",
        "inventory.count_posted",
    ]
    audited = [e.action for _, e in store.db.tenant(TENANT).audit if e.entity_id == count]
    assert audited == [
        "stock_count.create",
        "stock_count.start",
        "stock_count.enter",
        "stock_count.submit",
        "stock_count.post",
    ]
    with pytest.raises(Conflict):
        await store.use_cases.run(CTX, ApproveCount(count, 4))
    assert store.level(sku, main) == Deltas(on_hand=6)  # posted once
    assert await store.use_cases.query(CTX, CheckLedger()) == []


async def test_a_scan_adds_to_the_lines_count_and_refuses_what_it_cannot_count() -> None:
    """#14 item 1: ``ScanCount`` adds units to what the line holds (the answer is the
    counter's own figure, never the book) and is audited; a scan before counting starts,
    of a SKU off a cycle count, of a batch-managed SKU, or of no unit counts nothing."""
    store = make_store()
    sku, off, batched = store.sku(), store.sku(), store.sku()
    main = await store.warehouse("MAIN")
    await store.use_cases.run(CTX, ReceiveStock(sku, main, 5))
    await store.use_cases.run(CTX, SetSkuStockSettings(batched, True, False, None, 0))
    made = await store.use_cases.run(COUNTER, CreateCount(main, CountKind.CYCLE, (sku, batched)))
    with pytest.raises(Conflict):  # not counting yet
        await store.use_cases.run(COUNTER, ScanCount(made.id, sku))
    await store.use_cases.run(COUNTER, StartCount(made.id, 1))
    first = await store.use_cases.run(COUNTER, ScanCount(made.id, sku))
    then = await store.use_cases.run(COUNTER, ScanCount(made.id, sku, quantity=3))
    assert (first.counted, then.counted, then.uncounted) == (1, 4, 1)
    refusals = {
        "sku_not_in_count": ScanCount(made.id, off),
        "batch_required": ScanCount(made.id, batched),
        "must_be_positive": ScanCount(made.id, sku, quantity=0),
        "required": ScanCount(made.id),
        "given_twice": ScanCount(made.id, sku, "CODE"),
    }
    for code, scan in refusals.items():
        with pytest.raises(ValidationFailed) as refused:
            await store.use_cases.run(COUNTER, scan)
        assert refused.value.errors[0].code == code
    sheet = await store.use_cases.query(COUNTER, CountSheet(made.id))
    assert {li.sku_id: li.counted for li in sheet.items} == {sku: 4, batched: None}
    scans = [
        (e.outcome, e.detail.get("units"))
        for _, e in store.db.tenant(TENANT).audit
        if e.entity_id == made.id and e.action == "stock_count.scan"
    ]
    assert [s for s in scans if s[0] == "success"] == [("success", 1), ("success", 3)]


async def test_a_shipment_is_all_lines_or_none() -> None:
    """INV-5: a line that is not available refuses the whole shipment."""
    store = make_store()
    a, b = store.sku(), store.sku()
    source, destination = await store.warehouse("SRC"), await store.warehouse("DST")
    await store.use_cases.run(CTX, ReceiveStock(a, source, 5))
    await store.use_cases.run(CTX, ReceiveStock(b, source, 1))
    made = await store.use_cases.run(CTX, RequestTransfer(source, destination, ((a, 5), (b, 2))))
    with pytest.raises(InsufficientStock):
        await store.use_cases.run(CTX, ShipTransfer(made.id, 1))
    assert store.level(a, source) == Deltas(on_hand=5)
    assert store.level(a, destination) == Deltas()
    stored = store.db.tenant(TENANT).inventory.transfers[made.id]
    assert stored.status is TransferStatus.REQUESTED


async def test_a_discrepancy_is_audited_and_announced() -> None:
    store = make_store()
    sku = store.sku()
    source, destination = await store.warehouse("SRC"), await store.warehouse("DST")
    await store.use_cases.run(CTX, ReceiveStock(sku, source, 3))
    made = await store.use_cases.run(CTX, RequestTransfer("SRC", "DST", ((sku, 3),)))
    await store.use_cases.run(CTX, ShipTransfer(made.id, 1))
    done = await store.use_cases.run(
        CTX, ReceiveTransfer(made.id, (ReceivedQuantities(sku, 1, 1, 1),), 2)
    )
    assert done.status is TransferStatus.RECEIVED
    assert store.level(sku, destination) == Deltas(on_hand=1, non_sellable=1)
    assert store.level(sku, source) == Deltas()
    discrepancies = [
        e.data
        for e in store.db.tenant(TENANT).outbox
        if e.event_type == "inventory.transfer_discrepancy"
    ]
    assert [(d["damaged"], d["short"]) for d in discrepancies] == [("1", "1")]
    with pytest.raises(ValidationFailed) as twice:
        await store.use_cases.run(
            CTX,
            ReceiveTransfer(
                made.id, (ReceivedQuantities(sku, 1), ReceivedQuantities(sku, short=1)), 3
            ),
        )
    assert [(e.field, e.code) for e in twice.value.errors] == [("lines[1].skuId", "duplicate_sku")]
    assert await store.use_cases.query(CTX, CheckLedger()) == []
