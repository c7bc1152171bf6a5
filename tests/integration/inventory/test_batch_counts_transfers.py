"""Counts (INV-4) and transfers (INV-5) of batch-managed SKUs on the real database
(INV-8): a transfer ships out of the suggested batches and its receipts bring the units
into the same batches at the destination; a count is counted and posted per batch. After
each, every batch equals its ledger and the batches add up to the SKU × warehouse figure
(the ledger check finds nothing)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from application.inventory.ports import INVENTORY
from application.inventory.transfers.commands import (
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from domain.inventory.batches import SerialsNotTransferable
from domain.inventory.stock import Deltas, InsufficientStock
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.integration.inventory.test_batches import differences, four_batches, managed, receive

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
    await run(
        ctx, ReceiveTransfer(transfer.id, (ReceivedQuantities(sku, 6, damaged=1),), 2)
    )
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


async def test_a_transfer_of_a_serial_managed_sku_is_refused(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-5, INV-8: serials do not travel with a transfer yet: 409, nothing moves."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku, batches=False, serials=True)
    source = await open_warehouse(tenant, "SRC")
    destination = await open_warehouse(tenant, "DST")
    await receive(tenant, sku, source, 2, serials=("S1", "S2"))
    with pytest.raises(SerialsNotTransferable):
        await tenant.container.use_cases.run(
            caller(tenant), RequestTransfer(source, destination, ((sku, 1),))
        )
