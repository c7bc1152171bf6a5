"""Counts (INV-4) and transfers (INV-5) on the real database under concurrency: two
approvals of one count post it once; counters scanning the same SKU at once each count;
two shipments racing for the same units never take more than there is; the provisional
unit cost is the latest receipt's in that warehouse."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from application.inventory.counts.commands import (
    ApproveCount,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.counts.queries import CountSheet
from application.inventory.counts.scans import ScanCount
from application.inventory.ports import INVENTORY
from application.inventory.stock.check import CheckLedger
from application.inventory.stock.movements import ReceiveStock
from application.inventory.transfers.commands import (
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from domain.inventory.count import CountKind
from domain.inventory.stock import InsufficientStock, MovementKind
from domain.shared.errors import Conflict, StaleVersion
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse


async def test_two_approvals_of_one_count_post_it_once(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-4: the session is locked while it posts; the second approval finds it posted."""
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(sku, main, 10))
    count = await run(ctx, CreateCount(main, CountKind.CYCLE, (sku,)))
    await run(ctx, StartCount(count.id, 1))
    await run(ctx, EnterCounts(count.id, (Entry(sku, 6),)))
    await run(ctx, SubmitCount(count.id, 2))
    results = await asyncio.gather(
        *(run(caller(tenant), ApproveCount(count.id, 3)) for _ in range(2)),
        return_exceptions=True,
    )
    posted = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(posted) == 1 and len(refused) == 1
    assert isinstance(refused[0], Conflict | StaleVersion), refused
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        stock = uow.of(INVENTORY).stock
        level = await stock.level(sku, main)
        rows = await stock.ledger(sku, main, None, 100)
    assert level is not None and level.figures.on_hand == 6
    assert [r.kind for r in rows].count(MovementKind.COUNT_VARIANCE) == 1
    assert await tenant.container.use_cases.query(ctx, CheckLedger()) == []


async def test_scans_of_the_same_sku_at_once_each_count(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """#14 item 1: a scan adds to the line's count in the database, so scans racing on one
    SKU (each its own transaction) lose no unit — a cycle count's line and a full count's
    found goods alike — and each line's book is the on hand of its last scan."""
    listed, found = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(listed, main, 3))
    cycle = await run(ctx, CreateCount(main, CountKind.CYCLE, (listed,)))
    full = await run(ctx, CreateCount(main, CountKind.FULL))
    for count in (cycle, full):
        await run(ctx, StartCount(count.id, 1))
    scans = [ScanCount(cycle.id, listed) for _ in range(6)]
    scans += [ScanCount(full.id, found, quantity=2) for _ in range(5)]
    results = await asyncio.gather(*(run(caller(tenant), scan) for scan in scans))
    assert sorted(r.counted for r in results[:6]) == [1, 2, 3, 4, 5, 6]
    assert sorted(r.counted for r in results[6:]) == [2, 4, 6, 8, 10]
    sheets = [await tenant.container.use_cases.query(ctx, CountSheet(c.id)) for c in (cycle, full)]
    assert [li.counted for li in sheets[0].items] == [6]
    assert {li.sku_id: li.counted for li in sheets[1].items}[found] == 10
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        lines = await uow.of(INVENTORY).counts.lines(cycle.id)
    assert [(c.line.counted, c.line.book) for c in lines] == [(6, 3)]


async def test_shipments_racing_for_the_same_units_never_take_more_than_there_is(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5: each shipment's conditional update re-checks what is available."""
    (sku,) = await make_skus(tenant, 1)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(sku, source, 5))
    transfers = [
        await run(ctx, RequestTransfer(source, destination, ((sku, 2),))) for _ in range(4)
    ]
    results = await asyncio.gather(
        *(run(caller(tenant), ShipTransfer(t.id, 1)) for t in transfers),
        return_exceptions=True,
    )
    shipped = [r for r in results if not isinstance(r, BaseException)]
    assert len(shipped) == 2
    assert all(isinstance(r, InsufficientStock) for r in results if isinstance(r, BaseException))
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        stock = uow.of(INVENTORY).stock
        at_source, at_destination = (
            await stock.level(sku, source),
            await stock.level(sku, destination),
        )
    assert at_source is not None and at_source.figures.on_hand == 1
    assert at_destination is not None and at_destination.figures.in_transit == 4
    assert await tenant.container.use_cases.query(ctx, CheckLedger()) == []


async def test_counts_and_transfers_read_unit_costs_from_costing(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """``UnitCostReader`` (INV-4 values, INV-5 carried costs) is costing's position in that
    warehouse (INV-7): its value ÷ its quantity, six places; other warehouses apart."""
    a, b = await make_skus(tenant, 2)
    main, other = await open_warehouse(tenant, "MAIN"), await open_warehouse(tenant, "OTHER")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(a, main, 2, Decimal("2.5")))
    await run(ctx, ReceiveStock(a, main, 2, Decimal("3.125")))
    await run(ctx, ReceiveStock(a, other, 1, Decimal("9")))
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        costs = await uow.of(INVENTORY).unit_costs.unit_costs(main, [a, b])
        elsewhere = await uow.of(INVENTORY).unit_costs.unit_costs(other, [a])
    assert costs == {a: Decimal("2.812500")}  # (5.00 + 6.25) / 4; b holds nothing
    assert elsewhere == {a: Decimal("9.000000")}


async def test_a_transfer_carries_the_value_it_took_out_of_the_source(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5 with INV-7: under FIFO, shipping 1 of 2.00 and 4.00 layers takes out 2.00 — the
    oldest layer, not the 3.00 average — and the receipt brings 2.00 into the destination:
    no value appears or vanishes in transit."""
    [sku] = await make_skus(tenant, 1)
    source, destination = await open_warehouse(tenant, "SRC"), await open_warehouse(tenant, "DST")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    await run(ctx, ReceiveStock(sku, source, 1, Decimal("2")))
    await run(ctx, ReceiveStock(sku, source, 1, Decimal("4")))
    transfer = await run(ctx, RequestTransfer(source, destination, ((sku, 1),)))
    shipped = await run(ctx, ShipTransfer(transfer.id, transfer.version))
    assert shipped.lines[0].unit_cost == Decimal("2.000000")
    await run(
        ctx,
        ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, received=1),), shipped.version, None),
    )
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        costs = uow.of(INVENTORY).costs
        here, there = await costs.position(sku, source), await costs.position(sku, destination)
    assert (here.quantity, here.value) == (1, Decimal("4.00"))
    assert (there.quantity, there.value) == (1, Decimal("2.00"))


async def test_each_received_line_records_its_own_discrepancy_as_the_reason(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5: a receipt of two lines, one sound and one with a damaged unit, writes the
    damage on that line's ledger row only (each row said the request's last line)."""
    a, b = await make_skus(tenant, 2)
    source, destination = await open_warehouse(tenant, "S2"), await open_warehouse(tenant, "D2")
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    for sku in (a, b):
        await run(ctx, ReceiveStock(sku, source, 2, Decimal("1")))
    transfer = await run(ctx, RequestTransfer(source, destination, ((a, 2), (b, 2))))
    shipped = await run(ctx, ShipTransfer(transfer.id, transfer.version))
    arrived = (ReceivedQuantities(a, received=1, damaged=1), ReceivedQuantities(b, received=2))
    await run(ctx, ReceiveTransfer(transfer.id, arrived, shipped.version, None))
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        rows = await uow.of(INVENTORY).stock.ledger(None, destination, None, 100)
    reasons = {r.sku_id: r.reason for r in rows if r.kind is MovementKind.TRANSFER_IN}
    assert reasons == {a: "damaged 1, short 0", b: None}
