"""The demo tenant's warehouses, opening stock and a channel's supply settings (INV-1),
made through the real use cases and only where missing, so ``demo load`` stays safe to run
twice."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from application.catalog.products import ListProducts
from application.catalog.reads import ListChannels
from application.inventory.stock.movements import ReceiveStock
from application.inventory.stock.queries import ListStockLevels
from application.inventory.supply import GetChannelSupply, SetChannelSupply
from application.inventory.warehouses.open import OpenWarehouse
from application.inventory.warehouses.queries import ListWarehouses
from application.shared.context import CallContext
from application.shared.pagination import every_page
from bootstrap import Container
from domain.inventory.availability import ShareKind
from domain.inventory.reservation import AllocationStrategy
from domain.inventory.warehouse import WarehouseKind

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ("catalog",)  # stocks the catalog's SKUs, sells on its channels
SUMMARY = "Demo stock: warehouses SH-MAIN (100 of each SKU) and GZ-3PL (40); tmall sells 80%"

T = TypeVar("T")

# code, name, kind, region, priority, opening quantity per SKU
WAREHOUSES = (
    ("SH-MAIN", "上海主仓", WarehouseKind.OWN, "上海", 1, 100),
    ("GZ-3PL", "广州云仓 (3PL)", WarehouseKind.THIRD_PARTY, "广东", 2, 40),
)
OPENING = "opening_balance"


async def load(c: Container, ctx: CallContext) -> None:
    """Create what is missing of the demo stock (idempotent)."""
    run, query = c.use_cases.run, c.use_cases.query
    existing = {
        w.code: w.id for w in await every_page(lambda p, n: query(ctx, ListWarehouses.window(p, n)))
    }
    opening: list[tuple[UUID, int]] = []
    for code, name, kind, region, priority, quantity in WAREHOUSES:
        if code not in existing:
            existing[code] = (await run(ctx, OpenWarehouse(code, name, kind, region, priority))).id
        opening.append((existing[code], quantity))
    products = await every_page(lambda p, n: query(ctx, ListProducts.window(p, n)))
    for view in products:
        for sku in view.product.skus:
            levels = await query(ctx, ListStockLevels(sku_id=sku.id, limit=1))
            if levels.items:
                continue  # this SKU has stock already: an earlier load (or a demo user)
            price = sku.list_price.amount if sku.list_price else None
            cost = (price * Decimal("0.55")).quantize(Decimal("0.01")) if price else None
            for warehouse_id, quantity in opening:
                await run(
                    ctx,
                    ReceiveStock(
                        sku.id,
                        warehouse_id,
                        quantity,
                        unit_cost=cost,
                        source_type=OPENING,
                        reason="demo opening stock",
                    ),
                )
    channels = await every_page(lambda p, n: query(ctx, ListChannels.window(p, n)))
    tmall = next((ch.id for ch in channels if ch.code == "tmall"), None)
    if tmall is not None and (await query(ctx, GetChannelSupply(tmall))).version == 0:
        await run(
            ctx,
            SetChannelSupply(
                tmall,
                (existing["GZ-3PL"], existing["SH-MAIN"]),
                AllocationStrategy.REGION,
                5,
                ShareKind.PERCENT,
                Decimal(80),
                0,
            ),
        )
