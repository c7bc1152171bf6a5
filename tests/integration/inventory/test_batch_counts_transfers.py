"""Counts (INV-4) and transfers (INV-5) of batch-managed SKUs on the real database
(INV-8): a transfer ships out of the suggested batches and its receipts bring the units
into the same batches at the destination; a count is counted and posted per batch. After
each, every batch equals its ledger and the batches add up to the SKU × warehouse figure
(the ledger check finds nothing)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import asyncpg
import pytest

from application.inventory.counts.commands import (
    ApproveCount,
    BatchCount,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.ports import INVENTORY
from application.inventory.stock.movements import IssueStock
from application.inventory.transfers.commands import (
    BatchDiscrepancy,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from domain.inventory.batches import CountNeedsSerials, SerialsNotInStock, SerialsNotInTransit
from domain.inventory.count import CountKind
from domain.inventory.stock import Deltas, InsufficientStock
from domain.shared.errors import Conflict, ValidationFailed
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.integration.inventory.test_batches import (
    differences,
    four_batches,
    level,
    managed,
    receive,
)
from tests.support.databases import TestDatabase

TODAY = date.today()


async def batches_of(
    tenant: TenantHandle, sku: UUID, warehouse: UUID
) -> dict[str, tuple[int, int]]:
    """Each batch's (on hand, non-sellable) there, and a check that they add up to the
    SKU × warehouse's figures."""
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        store = uow.of(INVENTORY)
        stock = await store.batches.stock(sku, warehouse)
        found = await store.stock.level(sku, warehouse)
    figures = found.figures if found else Deltas()
    assert sum(s.on_hand for s in stock) == figures.on_hand
    assert sum(s.non_sellable for s in stock) == figures.non_sellable
    return {s.batch.number: (s.on_hand, s.non_sellable) for s in stock}


async def in_transit(tenant: TenantHandle, sku: UUID, warehouse: UUID) -> int:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        found = await uow.of(INVENTORY).stock.level(sku, warehouse)
    return found.figures.in_transit if found else 0


async def test_a_transfer_of_a_batch_managed_sku_moves_its_batches(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5, INV-8: shipped out of the FEFO suggestion (B 5, D 4, A 3), in transit per
    batch, received into the same batches over two receipts (a damaged unit in D)."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await four_batches(tenant, sku, source)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 12),)))
    await run(ctx, ShipTransfer(transfer.id, 1))
    assert await batches_of(tenant, sku, source) == {"A": (7, 0), "C": (8, 0)}
    assert await batches_of(tenant, sku, destination) == {}
    assert await in_transit(tenant, sku, destination) == 12
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        travelling = await uow.of(INVENTORY).transfers.in_transit_batches(transfer, sku)
    assert [units for _, units in travelling] == [5, 4, 3]
    await run(ctx, ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 6, damaged=1),), 2))
    assert await batches_of(tenant, sku, destination) == {"B": (5, 0), "D": (1, 1)}
    assert await differences(tenant) == []
    done = await run(ctx, ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 5),), 3))
    assert done.status.value == "received"
    assert await batches_of(tenant, sku, destination) == {
        "B": (5, 0),
        "D": (3, 1),
        "A": (3, 0),
    }
    assert await in_transit(tenant, sku, destination) == 0
    assert await differences(tenant) == []


async def test_a_transfer_short_in_its_last_batch_closes_it_in_transit(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5, INV-8: short units close their batch's in transit without arriving."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 3, "OLD", TODAY + timedelta(days=5))
    await receive(tenant, sku, source, 3, "NEW", TODAY + timedelta(days=50))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 5),)))
    await run(ctx, ShipTransfer(transfer.id, 1))
    await run(ctx, ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 4, short=1),), 2))
    assert await batches_of(tenant, sku, destination) == {"OLD": (3, 0), "NEW": (1, 0)}
    assert await batches_of(tenant, sku, source) == {"NEW": (1, 0)}
    assert await in_transit(tenant, sku, destination) == 0
    assert await differences(tenant) == []


async def test_a_transfer_beyond_the_batches_ships_nothing(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5, INV-8: all lines or none, batches included."""
    sku, other = await make_skus(tenant, 2)
    await managed(tenant, sku)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 3, "L1")
    await receive(tenant, other, source, 3)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 4), (other, 2))))
    with pytest.raises(InsufficientStock):
        await run(ctx, ShipTransfer(transfer.id, 1))
    assert await batches_of(tenant, sku, source) == {"L1": (3, 0)}
    assert await differences(tenant) == []


async def serial_places(
    tenant: TenantHandle, database: TestDatabase, sku: UUID
) -> dict[str, tuple[str, str, str | None]]:
    """Each serial of the SKU: (status, warehouse code, batch number) — and a check that
    the registry agrees with the figures: the serials in stock in a warehouse are its on
    hand + non-sellable, those in transit to it its in transit (per batch too)."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch(
            "SELECT s.serial, s.status, w.code, b.batch_no, s.warehouse_id, s.batch_id"
            " FROM stock_serials s JOIN warehouses w ON w.id = s.warehouse_id"
            " LEFT JOIN stock_batches b ON b.id = s.batch_id WHERE s.sku_id = $1",
            sku,
        )
    finally:
        await conn.close()
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        store = uow.of(INVENTORY)
        for warehouse in {row["warehouse_id"] for row in rows}:
            found = await store.stock.level(sku, warehouse)
            figures = found.figures if found else Deltas()
            here = [r for r in rows if r["warehouse_id"] == warehouse]
            held = [r for r in here if r["status"] == "in_stock"]
            assert len(held) == figures.on_hand + figures.non_sellable
            assert sum(r["status"] == "in_transit" for r in here) == figures.in_transit
            for stock in await store.batches.stock(sku, warehouse):
                in_batch = [r for r in held if r["batch_id"] == stock.batch.id]
                assert len(in_batch) == stock.on_hand + stock.non_sellable
    return {r["serial"]: (r["status"], r["code"], r["batch_no"]) for r in rows}


async def test_a_transfer_carries_its_serials(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-5 × INV-8: the shipment names the serials (they leave the source, in transit
    to the destination); receipts name which arrived sound, damaged (non-sellable) or
    never (short: out of stock); serials the transfer did not ship, or received already,
    are refused by name and nothing changes; a serial's history shows every move."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku, batches=False, serials=True)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 5, serials=("S1", "S2", "S3", "S4", "S5"))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 4),)))
    with pytest.raises(ValidationFailed) as none:
        await run(ctx, ShipTransfer(transfer.id, 1))
    assert (none.value.errors[0].field, none.value.errors[0].code) == (
        "serials",
        "serials_required",
    )
    with pytest.raises(ValidationFailed) as mismatch:
        await run(ctx, ShipTransfer(transfer.id, 1, ((sku, ("S1",)),)))
    assert (mismatch.value.errors[0].field, mismatch.value.errors[0].code) == (
        "lines[0].serials",
        "serial_count_mismatch",
    )
    with pytest.raises(SerialsNotInStock):
        await run(ctx, ShipTransfer(transfer.id, 1, ((sku, ("S1", "S2", "S3", "S9")),)))
    await run(ctx, ShipTransfer(transfer.id, 1, ((sku, ("S1", "S2", "S3", "S4")),)))
    places = await serial_places(tenant, database, sku)
    assert places["S1"] == ("in_transit", "DST", None)
    assert places["S5"] == ("in_stock", "SRC", None)
    assert await level(tenant, sku, source) == Deltas(on_hand=1)
    with pytest.raises(SerialsNotInTransit) as foreign:
        await run(
            ctx,
            ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 2, serials=("S1", "S5")),), 2),
        )
    assert foreign.value.params["serials"] == "S5"
    with pytest.raises(ValidationFailed) as mismatch:
        await run(
            ctx,
            ReceiveTransfer(
                transfer.id, (ReceivedQuantities(sku, 1, damaged=1, serials=("S1",)),), 2
            ),
        )
    assert mismatch.value.errors[0].field == "lines[0].damagedSerials"
    first = ReceivedQuantities(sku, 1, damaged=1, serials=("S1",), damaged_serials=("S2",))
    await run(ctx, ReceiveTransfer(transfer.id, (first,), 2))
    assert await level(tenant, sku, destination) == Deltas(on_hand=1, non_sellable=1, in_transit=2)
    with pytest.raises(SerialsNotInTransit):  # received already
        await run(
            ctx, ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 1, serials=("S1",)),), 3)
        )
    last = ReceivedQuantities(sku, 1, short=1, serials=("S3",), short_serials=("S4",))
    done = await run(ctx, ReceiveTransfer(transfer.id, (last,), 3))
    assert done.status.value == "received"
    places = await serial_places(tenant, database, sku)
    assert {s: places[s][:2] for s in ("S1", "S2", "S3", "S4", "S5")} == {
        "S1": ("in_stock", "DST"),
        "S2": ("in_stock", "DST"),
        "S3": ("in_stock", "DST"),
        "S4": ("issued", "DST"),
        "S5": ("in_stock", "SRC"),
    }
    assert await level(tenant, sku, destination) == Deltas(on_hand=2, non_sellable=1)
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        history = await uow.of(INVENTORY).batches.serial(sku, "S2")
    assert history is not None
    assert [(m.kind.value, m.warehouse_id) for m in history.moves] == [
        ("receipt", source),
        ("transfer_out", source),
        ("transfer_out", destination),
        ("transfer_in", destination),
    ]
    assert await differences(tenant) == []
    # The ledger check also holds the figures against the serial registry (INV-8).
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(
            "UPDATE stock_serials SET status = 'issued' WHERE tenant_id = $1 AND serial = 'S5'",
            tenant.id,
        )
    finally:
        await conn.close()
    (drift,) = await differences(tenant)
    assert drift.serials and drift.warehouse_id == source
    assert (drift.figures.on_hand, drift.ledger.on_hand) == (1, 0)


async def test_serials_decide_the_batches_a_transfer_receives_into(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-5 × INV-8: a SKU keeping batches and serials ships by its serials (they decide
    the batches) and a damaged serial lands in its own batch's non-sellable."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku, batches=True, serials=True)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 2, "L1", serials=("A1", "A2"))
    await receive(tenant, sku, source, 2, "L2", serials=("B1", "B2"))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 3),)))
    await run(ctx, ShipTransfer(transfer.id, 1, ((sku, ("A1", "B1", "B2")),)))
    assert await batches_of(tenant, sku, source) == {"L1": (1, 0)}
    got = ReceivedQuantities(sku, 2, damaged=1, serials=("B1", "B2"), damaged_serials=("A1",))
    await run(ctx, ReceiveTransfer(transfer.id, (got,), 2))
    assert await batches_of(tenant, sku, destination) == {"L1": (0, 1), "L2": (2, 0)}
    assert (await serial_places(tenant, database, sku))["A1"] == ("in_stock", "DST", "L1")
    assert await differences(tenant) == []


async def test_a_receipt_names_the_batches_of_its_damaged_and_short_units(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5, INV-8: a damaged unit named in the batch shipped last lands there, a short
    one named in the first closes that one; the sound units fill the rest in shipping
    order. A batch cannot give more than it has in transit (409) nor the batches name
    more than the line (422), and a SKU without batches takes none."""
    sku, plain = await make_skus(tenant, 2)
    await managed(tenant, sku)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 3, "OLD", TODAY + timedelta(days=5))
    await receive(tenant, sku, source, 3, "NEW", TODAY + timedelta(days=50))
    await receive(tenant, plain, source, 2)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 6), (plain, 2))))
    await run(ctx, ShipTransfer(transfer.id, 1))
    refused = [
        ReceivedQuantities(sku, 0, damaged=4, batches=(BatchDiscrepancy("NEW", damaged=4),)),
        ReceivedQuantities(sku, 0, damaged=1, batches=(BatchDiscrepancy("NEW", damaged=2),)),
        ReceivedQuantities(plain, 0, damaged=1, batches=(BatchDiscrepancy("NEW", damaged=1),)),
    ]
    errors = []
    for line in refused:
        with pytest.raises((Conflict, ValidationFailed)) as error:
            await run(ctx, ReceiveTransfer(transfer.id, (line,), 2))
        found = error.value
        errors.append(found.errors[0].code if isinstance(found, ValidationFailed) else found.code)
    assert errors == ["transfer_over_received", "batch_counts_differ", "not_batch_managed"]
    got = ReceivedQuantities(
        sku,
        4,
        damaged=1,
        short=1,
        batches=(BatchDiscrepancy("NEW", damaged=1), BatchDiscrepancy("OLD", short=1)),
    )
    await run(ctx, ReceiveTransfer(transfer.id, (got, ReceivedQuantities(plain, 2)), 2))
    assert await batches_of(tenant, sku, destination) == {"OLD": (2, 0), "NEW": (2, 1)}
    assert await in_transit(tenant, sku, destination) == 0
    assert await differences(tenant) == []


async def count_of(
    tenant: TenantHandle, warehouse: UUID, sku: UUID, entries: tuple[Entry, ...]
) -> UUID:
    """A cycle count of the SKU, started, entered and submitted (version 3)."""
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    count = await run(ctx, CreateCount(warehouse, CountKind.CYCLE, (sku,)))
    await run(ctx, StartCount(count.id, 1))
    await run(ctx, EnterCounts(count.id, entries))
    await run(ctx, SubmitCount(count.id, 2))
    return count.id


async def test_a_count_of_a_batch_managed_sku_posts_each_batch_variance(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-4, INV-8: counted per batch — A 10 counted 9, B 5 counted 5, C 8 not found
    (counted 0), D 4 counted 6, a new batch E found (2, with its expiry): book 27, counted
    22, each batch's variance posted on its own; a unit of B issued after the count is
    kept (B 5 + 0 − 1 = 4)."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku)
    main = await open_warehouse(tenant, "MAIN")
    await four_batches(tenant, sku, main)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    expiry = TODAY + timedelta(days=200)
    entries = (
        Entry(
            sku,
            22,
            (
                BatchCount("A", 9),
                BatchCount("B", 5),
                BatchCount("D", 6),
                BatchCount("E", 2, expiry_date=expiry),
            ),
        ),
    )
    count_id = await count_of(tenant, main, sku, entries)
    await run(ctx, IssueStock(sku, main, 1, batch_no="B"))  # after counting: kept
    posted = await run(ctx, ApproveCount(count_id, 3))
    assert posted.posted_lines == 1
    assert await batches_of(tenant, sku, main) == {
        "A": (9, 0),
        "B": (4, 0),
        "D": (6, 0),
        "E": (2, 0),
    }
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        lines = await uow.of(INVENTORY).counts.lines(count_id)
        batch_lines = await uow.of(INVENTORY).counts.batch_lines(count_id)
    assert lines[0].line.book == 27 and lines[0].line.posted == -5
    assert sorted(b.variance for b in batch_lines[sku]) == [-8, -1, 0, 2, 2]
    assert await differences(tenant) == []


async def test_a_count_whose_batches_differ_but_total_matches_still_moves_batches(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-4, INV-8: 3 units found in L2 that the books had in L1: no line variance, two
    batch movements."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 3, "L1")
    await receive(tenant, sku, main, 2, "L2")
    entries = (Entry(sku, 5, (BatchCount("L2", 5),)),)
    count_id = await count_of(tenant, main, sku, entries)
    await tenant.container.use_cases.run(caller(tenant), ApproveCount(count_id, 3))
    assert await batches_of(tenant, sku, main) == {"L2": (5, 0)}
    assert await differences(tenant) == []


async def test_count_entries_of_batch_managed_skus_are_checked(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-4, INV-8: the batches must add up to the count; a plain SKU takes none; a known
    batch with other dates is refused; nothing is written."""
    sku, plain = await make_skus(tenant, 2)
    await managed(tenant, sku)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 3, "L1", TODAY + timedelta(days=9))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    count = await run(ctx, CreateCount(main, CountKind.CYCLE, (sku, plain)))
    await run(ctx, StartCount(count.id, 1))
    refused = [
        Entry(sku, 3),
        Entry(sku, 3, (BatchCount("L1", 2),)),
        Entry(plain, 1, (BatchCount("X", 1),)),
        Entry(sku, 3, (BatchCount("L1", 3, expiry_date=TODAY),)),
        Entry(sku, 2, (BatchCount("L1", 1), BatchCount("L1", 1))),
    ]
    codes = []
    for entry in refused:
        with pytest.raises(ValidationFailed) as error:
            await run(ctx, EnterCounts(count.id, (entry,)))
        codes.append(error.value.errors[0].code)
    assert codes == [
        "batch_counts_differ",
        "batch_counts_differ",
        "not_batch_managed",
        "batch_dates_differ",
        "duplicate_batch",
    ]
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        assert await uow.of(INVENTORY).counts.uncounted(count.id) == 2


async def test_a_count_records_serials_and_posts_them(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    """INV-4 × INV-8: the entry lists the serials found (one per unit); approval takes the
    serials missing out and brings the serials found that the books lacked in (one
    issued before: a return nobody recorded), the ledger and the serial registry
    agreeing; a serial sold between the count and the approval is not taken twice. A SKU
    keeping batches and serials still refuses a variance."""
    sku, both = await make_skus(tenant, 2)
    await managed(tenant, sku, batches=False, serials=True)
    await managed(tenant, both, batches=True, serials=True)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 4, serials=("S1", "S2", "S3", "S4"))
    await receive(tenant, both, main, 1, "L1", serials=("B1",))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, IssueStock(sku, main, 1, serials=("S4",)))  # issued, then found again
    count = await run(ctx, CreateCount(main, CountKind.CYCLE, (sku,)))
    await run(ctx, StartCount(count.id, 1))
    refused = [Entry(sku, 2), Entry(sku, 2, serials=("S1",)), Entry(sku, 2, serials=("S1", "S1"))]
    codes = []
    for entry in refused:
        with pytest.raises(ValidationFailed) as error:
            await run(ctx, EnterCounts(count.id, (entry,)))
        codes.append((error.value.errors[0].field, error.value.errors[0].code))
    assert codes == [
        ("lines[0].serials", "serials_required"),
        ("lines[0].serials", "serial_count_mismatch"),
        ("lines[0].serials", "serials_duplicated"),
    ]
    # S1, S4 found; S2, S3 missing on the books' 3 (S1, S2, S3)
    await run(ctx, EnterCounts(count.id, (Entry(sku, 2, serials=("S1", "S4")),)))
    await run(ctx, SubmitCount(count.id, 2))
    await run(ctx, IssueStock(sku, main, 1, serials=("S3",)))  # sold after the count
    approved = await run(ctx, ApproveCount(count.id, 3))
    assert approved.posted_lines == 1
    places = await serial_places(tenant, database, sku)
    assert {s: places[s][0] for s in ("S1", "S2", "S3", "S4")} == {
        "S1": "in_stock",
        "S2": "issued",
        "S3": "issued",
        "S4": "in_stock",
    }
    assert await level(tenant, sku, main) == Deltas(on_hand=2)
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        (line,) = await uow.of(INVENTORY).counts.lines(count.id)
        history = await uow.of(INVENTORY).batches.serial(sku, "S4")
    assert (line.line.book, line.line.counted, line.line.posted) == (3, 2, 0)
    assert history is not None
    assert history.moves[-1].kind.value == "count_variance"
    assert await differences(tenant) == []
    with pytest.raises(ValidationFailed) as with_batches:
        await count_of(
            tenant,
            main,
            both,
            (Entry(both, 1, (BatchCount("L1", 1),), serials=("B1",)),),
        )
    assert with_batches.value.errors[0].code == "count_serials_with_batches"
    short = await count_of(tenant, main, both, (Entry(both, 0, (BatchCount("L1", 0),)),))
    with pytest.raises(CountNeedsSerials):
        await run(ctx, ApproveCount(short, 3))
    assert await differences(tenant) == []
