"""Per-channel availability on the real database (CHN-1/CHN-2 stock side): the number a
channel may sell follows its settings, and a change is announced once per SKU × channel
per command — coalesced, and only when the number changed."""

from __future__ import annotations

import json
from decimal import Decimal
from uuid import UUID

import asyncpg

from application.inventory.availability import GetChannelAvailability
from application.inventory.common import store_of
from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import ReserveStock
from application.inventory.stock.movements import ReceiveStock
from application.inventory.supply import SetChannelSupply
from domain.inventory.availability import ShareKind
from domain.inventory.reservation import AllocationStrategy, RequestedLine
from domain.inventory.warehouse import WarehouseKind
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, make_channel, open_warehouse
from tests.support.databases import TestDatabase


async def announced(database: TestDatabase, tenant: TenantHandle) -> list[tuple[UUID, str, str]]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch(
            "SELECT entity_id, data FROM outbox WHERE tenant_id = $1"
            " AND event_type = 'inventory.channel_availability_changed' ORDER BY occurred_at",
            tenant.id,
        )
    finally:
        await conn.close()
    return [
        (
            row["entity_id"],
            json.loads(row["data"])["channelId"],
            json.loads(row["data"])["sellable"],
        )
        for row in rows
    ]


async def test_changes_are_announced_once_per_sku_and_channel_when_they_change(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    a, b = await make_skus(tenant, 2)
    main = await open_warehouse(tenant, "MAIN", priority=1)
    spare = await open_warehouse(tenant, "SPARE", priority=2)
    returns = await open_warehouse(tenant, "RET", WarehouseKind.RETURNS)
    shop = await make_channel(database, tenant, "own_shop")
    ctx = caller(tenant)
    use_cases = tenant.container.use_cases
    await use_cases.run(
        ctx,
        SetChannelSupply(
            shop,
            (main, spare),
            AllocationStrategy.PRIORITY,
            2,
            ShareKind.CAP,
            Decimal(5),
            0,
        ),
    )
    await use_cases.run(ctx, ReceiveStock(a, main, 3))  # 3 − 2 safety = 1
    await use_cases.run(ctx, ReceiveStock(b, spare, 20))  # capped at 5
    assert sorted(await announced(database, tenant)) == sorted(
        [(a, str(shop), "1"), (b, str(shop), "5")]
    )
    await use_cases.run(ctx, ReceiveStock(b, main, 4))  # still capped at 5: nothing new
    await use_cases.run(ctx, ReceiveStock(a, returns, 9))  # not a supplying warehouse
    assert len(await announced(database, tenant)) == 2
    # One reservation of three lines of two SKUs: one event per SKU whose number changed.
    await use_cases.run(
        ctx,
        ReserveStock(
            ReservationRequest((RequestedLine(a, 1), RequestedLine(a, 1), RequestedLine(b, 20)))
        ),
    )
    # a: 3 − 2 reserved = 1 available − 2 safety → 0; b: 24 − 20 = 4 − 2 = 2.
    assert sorted((await announced(database, tenant))[2:]) == sorted(
        [(a, str(shop), "0"), (b, str(shop), "2")]
    )
    found = await use_cases.query(ctx, GetChannelAvailability(shop, b))
    assert (found.sellable, found.total_available) == (2, 4)
    assert found.explanation() == "available 4 + 0 = 4; minus safety stock 2 = 2; capped at 5 = 2"
    # A change of the settings announces the SKUs whose number it changes, once.
    await use_cases.run(
        ctx,
        SetChannelSupply(
            shop, (main, spare), AllocationStrategy.PRIORITY, 2, ShareKind.CAP, Decimal(1), 1
        ),
    )
    assert (await announced(database, tenant))[4:] == [(b, str(shop), "1")]  # a stays 0
    await use_cases.run(
        ctx,
        SetChannelSupply(
            shop, (main, spare), AllocationStrategy.PRIORITY, 0, ShareKind.CAP, Decimal(1), 2
        ),
    )  # a: 1 available, cap 1 → 1; b: still 1
    assert (await announced(database, tenant))[5:] == [(a, str(shop), "1")]


async def test_warehouses_and_supplies_read_together_equal_each_read_alone_inv2(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    """A reservation reads the warehouses and every channel's settings in one statement
    (INV-2, statements per reservation): the same as the two reads it replaces, with a
    channel's warehouse order, its share and safety stock, and a channel without a list."""
    ctx = caller(tenant)
    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        assert await store_of(uow).warehouses.all_with_supplies() == ([], [])
    main = await open_warehouse(tenant, "MAIN", priority=1)
    spare = await open_warehouse(tenant, "SPARE", priority=2)
    shop = await make_channel(database, tenant, "shop")
    market = await make_channel(database, tenant, "market")
    settings = (
        SetChannelSupply(
            shop,
            (spare, main),
            AllocationStrategy.REGION,
            2,
            ShareKind.PERCENT,
            Decimal("12.50"),
            0,
        ),
        SetChannelSupply(
            market, (), AllocationStrategy.MOST_AVAILABLE, 0, ShareKind.CAP, Decimal(80), 0
        ),
    )
    for command in settings:
        await tenant.container.use_cases.run(ctx, command)

    async with tenant.container.uow_factory.for_tenant(ctx) as uow:
        store = store_of(uow)
        warehouses, supplies = await store.warehouses.all_with_supplies()
        assert warehouses == await store.warehouses.all()
        assert [w.id for w in warehouses] == [main, spare]
        alone = await store.channel_supply.all()
    by_channel = {s.channel_id: s for s in supplies}
    assert by_channel == {s.channel_id: s for s in alone}
    assert by_channel[shop].warehouse_ids == (spare, main)
    assert by_channel[shop].share_value == Decimal("12.50")
    assert by_channel[market].warehouse_ids == ()
