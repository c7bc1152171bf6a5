"""A reservation's shipment (the port fulfilment calls, INV-2) scans a serial-managed
SKU's serials out (INV-8): they decide its batches, unknown or issued ones are refused by
name and nothing ships, and a SKU without serials takes none. A pick lock holds its
batches until the shipment."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from application.inventory.batches.picking import BatchPicking
from application.inventory.batches.queries import GetSerial
from application.inventory.ports import INVENTORY, ReservationRequest
from application.inventory.reservations.commands import (
    CommitReservation,
    PickLockReservation,
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.stock.movements import IssueStock
from domain.inventory.batches import SerialsNotInStock
from domain.inventory.reservation import RequestedLine, ReservationStatus
from domain.inventory.stock import InsufficientStock
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.integration.inventory.test_batch_counts_transfers import batches_of
from tests.integration.inventory.test_batches import differences, managed, receive


async def reserved(tenant: TenantHandle, lines: tuple[RequestedLine, ...]) -> UUID:
    made = await tenant.container.use_cases.run(
        caller(tenant), ReserveStock(ReservationRequest(lines))
    )
    return made.id


async def in_stock(tenant: TenantHandle, sku: UUID, serial: str) -> bool:
    found = await tenant.container.use_cases.query(caller(tenant), GetSerial(sku, serial))
    return found.in_stock


async def test_a_shipment_scans_its_serials_out_of_their_batches(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-2, INV-8: the serials shipped decide the batches (not the suggestion)."""
    sku, plain = await make_skus(tenant, 2)
    await managed(tenant, sku, batches=True, serials=True)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 2, "EARLY", serials=("E1", "E2"))
    await receive(tenant, sku, main, 2, "LATE", serials=("L1", "L2"))
    await receive(tenant, plain, main, 3)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    reservation = await reserved(
        tenant, (RequestedLine(sku, 2, main), RequestedLine(plain, 1, main))
    )
    await run(ctx, PickLockReservation(reservation))
    shipped = await run(ctx, CommitReservation(reservation, ((sku, ("L2", "E1")),)))
    assert shipped.status is ReservationStatus.COMMITTED
    assert await batches_of(tenant, sku, main) == {"EARLY": (1, 0), "LATE": (1, 0)}
    assert [await in_stock(tenant, sku, s) for s in ("E1", "E2", "L1", "L2")] == [
        False,
        True,
        True,
        False,
    ]
    assert await differences(tenant) == []


async def test_serials_unknown_or_issued_are_refused_by_name_and_nothing_ships(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-2, INV-8: 409 naming them; the reservation stays open, every serial in stock."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku, batches=False, serials=True)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 3, serials=("S1", "S2", "S3"))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    first = await reserved(tenant, (RequestedLine(sku, 1, main),))
    await run(ctx, CommitReservation(first, ((sku, ("S3",)),)))
    second = await reserved(tenant, (RequestedLine(sku, 2, main),))
    with pytest.raises(SerialsNotInStock) as refused:
        await run(ctx, CommitReservation(second, ((sku, ("S3", "NOPE")),)))
    assert refused.value.params["unknown"] == "NOPE"
    assert refused.value.params["not_here"] == "S3"
    assert await in_stock(tenant, sku, "S1") and await in_stock(tenant, sku, "S2")
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        still = await uow.of(INVENTORY).reservations.get(second)
    assert still is not None and still.status is ReservationStatus.ACTIVE
    await run(ctx, CommitReservation(second, ((sku, ("S1", "S2")),)))
    assert await differences(tenant) == []


async def test_a_shipment_needs_serials_for_a_serial_managed_sku_and_only_for_it(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-2, INV-8: none scanned, too few, serials of a SKU that keeps none or that is not
    on the reservation: 422, nothing ships."""
    sku, plain = await make_skus(tenant, 2)
    await managed(tenant, sku, batches=False, serials=True)
    main = await open_warehouse(tenant, "MAIN")
    await receive(tenant, sku, main, 2, serials=("S1", "S2"))
    await receive(tenant, plain, main, 2)
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    reservation = await reserved(
        tenant, (RequestedLine(sku, 2, main), RequestedLine(plain, 1, main))
    )
    codes = []
    elsewhere = (UUID(int=7), ("X1",))  # a SKU not on the reservation
    for serials in [
        (),
        ((sku, ("S1",)),),
        ((sku, ("S1", "S2")), (plain, ("P1",))),
        ((sku, ("S1", "S2")), elsewhere),
    ]:
        with pytest.raises(ValidationFailed) as error:
            await run(ctx, CommitReservation(reservation, serials))
        codes.append(error.value.errors[0].code)
    assert codes == [
        "serials_required",
        "serial_count_mismatch",
        "not_serial_managed",
        "serials_not_on_reservation",
    ]
    await run(ctx, CommitReservation(reservation, ((sku, ("S1", "S2")),)))
    assert await differences(tenant) == []


async def test_a_pick_lock_holds_its_batches_until_the_shipment(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-8, INV-2: the batches are chosen when the reservation is pick-locked (LATE, the
    only one then); an earlier-expiring batch received afterwards does not change them,
    other movements cannot take the held units, the shipment takes them, and a release
    gives them back."""
    (sku,) = await make_skus(tenant, 1)
    await managed(tenant, sku)
    main = await open_warehouse(tenant, "MAIN")
    today = date.today()
    await receive(tenant, sku, main, 5, "LATE", today + timedelta(days=50))
    run, ctx = tenant.container.use_cases.run, caller(tenant)
    picking = await reserved(tenant, (RequestedLine(sku, 3, main),))
    await run(ctx, PickLockReservation(picking))
    await receive(tenant, sku, main, 5, "EARLY", today + timedelta(days=5))
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        free = await BatchPicking().suggest(uow, sku, main, 7)
    assert [(p.batch.number, p.quantity) for p in free] == [("EARLY", 5), ("LATE", 2)]
    with pytest.raises(InsufficientStock):
        await run(ctx, IssueStock(sku, main, 3, batch_no="LATE"))
    await run(ctx, IssueStock(sku, main, 4))  # by the suggestion: EARLY
    await run(ctx, CommitReservation(picking))
    assert await batches_of(tenant, sku, main) == {"EARLY": (1, 0), "LATE": (2, 0)}
    assert await differences(tenant) == []

    released = await reserved(tenant, (RequestedLine(sku, 2, main),))
    await run(ctx, PickLockReservation(released))
    await run(ctx, ReleaseReservation(released))
    await run(ctx, IssueStock(sku, main, 2, batch_no="LATE"))  # nothing held any more
    assert await batches_of(tenant, sku, main) == {"EARLY": (1, 0)}
    assert await differences(tenant) == []
