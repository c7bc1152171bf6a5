"""Stock movements on the real database, as shopkeeper_app under RLS (INV-1, INV-2, INV-6).

The headline: 200 reservations of one unit racing for 50 available units, each in its own
transaction on its own connection, reserve exactly 50; the other 150 get a clean
``insufficient_stock`` naming the SKU and what is available (0), and the figures still
equal the sums of the ledger afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import text

from application.inventory.ports import INVENTORY, ReservationRequest
from application.inventory.reservations.commands import (
    CommitReservation,
    GetReservation,
    PickLockReservation,
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.reservations.expiry import ExpireReservations, ReservationExpiry
from application.inventory.stock.check import CheckLedger, LedgerCheck
from application.inventory.stock.movements import (
    AdjustStock,
    ChangeStockState,
    IssueStock,
    ReceiveReturn,
    ReceiveStock,
)
from application.inventory.stock.queries import ListLedger
from application.inventory.warehouses.change import CloseWarehouse
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.inventory.reservation import RequestedLine, ReservationStatus
from domain.inventory.stock import Deltas, InspectionResult, InsufficientStock, Target
from domain.inventory.warehouse import WarehouseClosed, WarehouseKind
from domain.shared.errors import NotFound, ValidationFailed
from tests.conftest import TenantHandle, support_context
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.databases import TestDatabase


async def figures(tenant: TenantHandle, sku: uuid.UUID, warehouse: uuid.UUID) -> Deltas:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        level = await uow.of(INVENTORY).stock.level(sku, warehouse)
    return level.figures if level else Deltas()


async def differences(tenant: TenantHandle) -> list[object]:
    return list(await tenant.container.use_cases.query(caller(tenant), CheckLedger()))


async def test_movements_change_their_figures_and_the_ledger_agrees(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    returns = await open_warehouse(tenant, "RET", WarehouseKind.RETURNS)
    stock = tenant.container.use_cases
    ctx = caller(tenant)
    await stock.run(ctx, ReceiveStock(sku, main, 10, unit_cost=Decimal("12.345678")))
    await stock.run(ctx, IssueStock(sku, main, 3, reason="sample"))
    await stock.run(ctx, AdjustStock(sku, main, -1, "broken on the shelf"))
    moved = await stock.run(ctx, ChangeStockState(sku, main, 2, Target.NON_SELLABLE))
    assert moved.figures == Deltas(on_hand=4, non_sellable=2)
    await stock.run(ctx, ReceiveReturn(sku, returns, 1, InspectionResult.RESELLABLE))
    await stock.run(ctx, ReceiveReturn(sku, returns, 2, InspectionResult.DAMAGED))
    assert await figures(tenant, sku, returns) == Deltas(on_hand=1, non_sellable=2)
    with pytest.raises(ValidationFailed):
        await stock.run(ctx, ReceiveReturn(sku, main, 1, InspectionResult.DAMAGED))
    with pytest.raises(InsufficientStock) as refused:
        await stock.run(ctx, IssueStock(sku, main, 5))
    assert refused.value.params.pop("sku_code").startswith("P-")  # the catalog's code
    assert refused.value.params == {
        "sku": str(sku),
        "warehouse": str(main),
        "requested": 5,
        "available": 4,
    }
    with pytest.raises(ValidationFailed):
        await stock.run(ctx, AdjustStock(sku, main, 1, "  "))  # a reason is required
    with pytest.raises(NotFound):
        await stock.run(ctx, ReceiveStock(uuid.uuid4(), main, 1))  # no such SKU
    page = await stock.query(ctx, ListLedger(sku_id=sku, warehouse_id=main, limit=2))
    assert [e.kind.value for e in page.page.items] == ["receipt", "issue"]
    assert page.page.items[0].unit_cost == Decimal("12.345678")
    rest = await stock.query(
        ctx, ListLedger(sku_id=sku, warehouse_id=main, cursor=page.page.next_cursor)
    )
    assert [e.kind.value for e in rest.page.items] == ["adjustment", "state_change"]
    assert await differences(tenant) == []


async def test_each_ledger_row_carries_its_levels_figures_after_it_on_every_page(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    """INV-6 (#14 item 2): the ledger query answers each row's SKU × warehouse figures
    after it, computed with the page — a later page starts from the rows before it, two
    warehouses' rows run apart, and the last row of each is its stock level."""
    (sku,) = await make_skus(tenant, 1)
    main, other = await open_warehouse(tenant, "MAIN"), await open_warehouse(tenant, "OTHER")
    stock, ctx = tenant.container.use_cases, caller(tenant)
    await stock.run(ctx, ReceiveStock(sku, main, 10))
    await stock.run(ctx, ReceiveStock(sku, other, 7))
    await stock.run(ctx, IssueStock(sku, main, 3))
    await stock.run(ctx, ChangeStockState(sku, main, 2, Target.NON_SELLABLE))
    await stock.run(ctx, ReceiveStock(sku, other, 1))
    first = await stock.query(ctx, ListLedger(sku_id=sku, limit=2))
    second = await stock.query(ctx, ListLedger(sku_id=sku, cursor=first.page.next_cursor))
    rows = [*first.page.items, *second.page.items]
    assert len(second.page.items) == 3 and second.page.next_cursor is None
    after = [(e.warehouse_id, e.figures_after) for e in rows]
    assert after == [
        (main, Deltas(on_hand=10)),
        (other, Deltas(on_hand=7)),
        (main, Deltas(on_hand=7)),  # page 2 starts from main's rows on page 1
        (main, Deltas(on_hand=5, non_sellable=2)),
        (other, Deltas(on_hand=8)),
    ]
    assert rows[3].figures_after == await figures(tenant, sku, main)
    assert rows[4].figures_after == await figures(tenant, sku, other)
    only_main = await stock.query(ctx, ListLedger(sku_id=sku, warehouse_id=main, limit=1))
    rest = await stock.query(
        ctx, ListLedger(sku_id=sku, warehouse_id=main, cursor=only_main.page.next_cursor)
    )
    assert [e.figures_after for e in rest.page.items] == [
        Deltas(on_hand=7),
        Deltas(on_hand=5, non_sellable=2),
    ]


async def test_unit_costs_are_hidden_without_costing(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    stock = tenant.container.use_cases
    await stock.run(caller(tenant), ReceiveStock(sku, main, 1, unit_cost=Decimal("3.5")))
    reader = caller(tenant, frozenset({INVENTORY_READ, INVENTORY_WRITE}))
    page = await stock.query(reader, ListLedger(sku_id=sku))
    assert not page.costs_shown and page.page.items[0].unit_cost is None
    from domain.shared.errors import PermissionDenied

    with pytest.raises(PermissionDenied):  # entering a cost needs costing too
        await stock.run(reader, ReceiveStock(sku, main, 1, unit_cost=Decimal("3.5")))


async def test_a_closed_warehouse_takes_no_new_stock_but_ships_what_it_has(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    ctx = caller(tenant)
    stock = tenant.container.use_cases
    await stock.run(ctx, ReceiveStock(sku, main, 5))
    await tenant.container.use_cases.run(ctx, CloseWarehouse(main, 1))
    with pytest.raises(WarehouseClosed):
        await stock.run(ctx, ReceiveStock(sku, main, 1))
    await stock.run(ctx, IssueStock(sku, main, 2))
    assert (await figures(tenant, sku, main)).on_hand == 3


async def test_the_ledger_is_append_only_for_the_app_role(
    tenant: TenantHandle, make_skus: MakeSkus, container: Container
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await container.use_cases.run(caller(tenant), ReceiveStock(sku, main, 5))
    for statement in ("UPDATE stock_ledger SET d_on_hand = 500", "DELETE FROM stock_ledger"):
        async with container.uow_factory.for_tenant(caller(tenant)) as uow:
            conn = uow.of(INVENTORY).stock._conn  # type: ignore[attr-defined]
            with pytest.raises(Exception, match="permission denied"):
                await conn.execute(text(statement))


async def test_200_concurrent_reservations_of_50_units_reserve_exactly_50(
    tenant: TenantHandle, make_skus: MakeSkus, container: Container
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await container.use_cases.run(caller(tenant), ReceiveStock(sku, main, 50))
    reservations = container.use_cases
    start = asyncio.Event()

    async def reserve_one() -> str:
        await start.wait()
        try:
            request = ReservationRequest((RequestedLine(sku, 1),), source_type="order")
            await reservations.run(caller(tenant), ReserveStock(request))
            return "reserved"
        except InsufficientStock as error:
            assert error.params["sku"] == str(sku)
            assert error.params["available"] == 0 and error.params["requested"] == 1
            return "insufficient"

    tasks = [asyncio.create_task(reserve_one()) for _ in range(200)]
    await asyncio.sleep(0)
    start.set()
    outcomes = await asyncio.gather(*tasks)
    assert outcomes.count("reserved") == 50
    assert outcomes.count("insufficient") == 150
    assert await figures(tenant, sku, main) == Deltas(on_hand=50, reserved=50)
    assert await differences(tenant) == []


async def test_a_reservation_is_all_or_nothing_and_follows_the_lifecycle(
    tenant: TenantHandle, make_skus: MakeSkus
) -> None:
    a, b = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN", priority=1)
    spare = await open_warehouse(tenant, "SPARE", priority=2)
    ctx = caller(tenant)
    stock = tenant.container.use_cases
    reservations = tenant.container.use_cases
    await stock.run(ctx, ReceiveStock(a, main, 5))
    await stock.run(ctx, ReceiveStock(a, spare, 10))
    await stock.run(ctx, ReceiveStock(b, main, 1))
    with pytest.raises(InsufficientStock) as refused:
        await reservations.run(
            ctx, ReserveStock(ReservationRequest((RequestedLine(a, 2), RequestedLine(b, 2))))
        )
    assert refused.value.params["sku"] == str(b) and refused.value.params["available"] == 1
    assert (await figures(tenant, a, main)).reserved == 0  # line a was rolled back
    # Priority order: 5 fit in MAIN; 7 do not, so SPARE serves the line whole.
    first = await reservations.run(ctx, ReserveStock(ReservationRequest((RequestedLine(a, 5),))))
    second = await reservations.run(ctx, ReserveStock(ReservationRequest((RequestedLine(a, 7),))))
    assert [line.warehouse_id for line in first.lines] == [main]
    assert [line.warehouse_id for line in second.lines] == [spare]
    picked = await reservations.run(ctx, PickLockReservation(first.id))
    assert picked.status is ReservationStatus.PICKING
    assert await figures(tenant, a, main) == Deltas(on_hand=5, pick_locked=5)
    shipped = await reservations.run(ctx, CommitReservation(first.id))
    assert shipped.status is ReservationStatus.COMMITTED
    assert await figures(tenant, a, main) == Deltas()
    released = await reservations.run(ctx, ReleaseReservation(second.id))
    assert released.status is ReservationStatus.RELEASED
    assert await figures(tenant, a, spare) == Deltas(on_hand=10)
    assert await differences(tenant) == []


async def test_expired_reservations_are_released_once_with_two_sweepers_racing(
    tenant: TenantHandle, make_skus: MakeSkus, container: Container, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    ctx = caller(tenant)
    await container.use_cases.run(ctx, ReceiveStock(sku, main, 20))
    reservations = container.use_cases
    soon = datetime.now(UTC) + timedelta(seconds=30)
    made = [
        await reservations.run(
            ctx, ReserveStock(ReservationRequest((RequestedLine(sku, 1),), expires_at=soon))
        )
        for _ in range(12)
    ]
    await reservations.run(
        ctx, ReserveStock(ReservationRequest((RequestedLine(sku, 1),)))
    )  # no expiry
    owner = await asyncpg.connect(database.owner_url)
    try:  # time passes: the holds are due
        await owner.execute(
            "UPDATE reservations SET expires_at = now() - interval '1 minute'"
            " WHERE tenant_id = $1 AND expires_at IS NOT NULL",
            tenant.id,
        )
    finally:
        await owner.close()
    expiry = container.get(ReservationExpiry)

    async def sweep() -> int:
        return await container.use_cases.run(ctx, ExpireReservations(limit=5)) + (
            await expiry.expire_tenant(ctx, limit=5)
        )

    def in_tenant(tenant_id: uuid.UUID) -> CallContext:
        return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "sweep"), ALL_PERMISSIONS)

    async def scheduled_sweep() -> int:  # what the scheduler's task runs, every tenant
        return (await expiry.expire_all(in_tenant)).get(tenant.id, 0)

    counts = await asyncio.gather(sweep(), scheduled_sweep(), sweep())
    assert sum(counts) == 12
    assert await expiry.expire_tenant(ctx) == 0
    assert tenant.id not in await expiry.expire_all(in_tenant)
    for reservation in made:
        assert (
            await reservations.query(ctx, GetReservation(reservation.id))
        ).status is ReservationStatus.EXPIRED
    assert await figures(tenant, sku, main) == Deltas(on_hand=20, reserved=1)
    async with container.uow_factory.for_tenant(ctx) as uow:
        ledger = await uow.of(INVENTORY).stock.ledger(sku, main, None, 100)
    assert sum(1 for e in ledger if e.kind.value == "release") == 12
    report = await container.get(LedgerCheck).check_tenant(support_context(), tenant.id)
    assert report.ok


async def test_a_release_racing_the_expiry_sweep_happens_once(
    tenant: TenantHandle, make_skus: MakeSkus, container: Container, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    ctx = caller(tenant)
    use_cases = container.use_cases
    await use_cases.run(ctx, ReceiveStock(sku, main, 10))
    soon = datetime.now(UTC) + timedelta(seconds=30)
    for _ in range(5):
        request = ReservationRequest((RequestedLine(sku, 1),), expires_at=soon)
        reservation = await use_cases.run(ctx, ReserveStock(request))
        owner = await asyncpg.connect(database.owner_url)
        try:
            await owner.execute(
                "UPDATE reservations SET expires_at = now() WHERE tenant_id = $1 AND id = $2",
                tenant.id,
                reservation.id,
            )
        finally:
            await owner.close()
        released, expired = await asyncio.gather(
            use_cases.run(ctx, ReleaseReservation(reservation.id)),
            use_cases.run(ctx, ExpireReservations()),
            return_exceptions=True,
        )
        if isinstance(released, Exception):  # the sweep got there first
            assert getattr(released, "code", None) == "reservation_not_open", released
            assert expired == 1
        else:
            assert expired == 0
    assert await figures(tenant, sku, main) == Deltas(on_hand=10)
    async with container.uow_factory.for_tenant(ctx) as uow:
        ledger = await uow.of(INVENTORY).stock.ledger(sku, main, None, 100)
    assert sum(1 for e in ledger if e.kind.value == "release") == 5
    assert await differences(tenant) == []
