"""The demo tenant's small catalog, made through the real use cases (CAT-1…CAT-12).

A category tree (服装 > 男装 > T恤, 数码 > 耳机), two brands, a clothing type with colour
and size axes, six products with their SKUs, two sales channels (the own shop and a Tmall
store), listings with channel prices, membership tiers with a member price, and a
promotion. Everything is looked up by its natural key first (category path, brand name,
type name, channel code, product code, …) and only what is missing is created, so loading
twice changes nothing; what a demo user has changed since is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from application.catalog.brands.create import CreateBrand
from application.catalog.categories import CreateCategory
from application.catalog.channels import CreateChannel
from application.catalog.listings import ListingsOf, PublishListing
from application.catalog.member_prices import (
    CreateMemberPrice,
    MemberPricesOfSku,
)
from application.catalog.membership_tiers import GetTiers, ReplaceTiers
from application.catalog.product_types import AttributeInput, CreateProductType
from application.catalog.products import (
    CreateProduct,
    ListProducts,
    ProductData,
    SkuData,
)
from application.catalog.promotions import (
    CreatePromotion,
    PromotionData,
    PromotionsOfSku,
)
from application.catalog.reads import ListBrands, ListCategories, ListChannels, ListProductTypes
from application.shared.context import CallContext
from application.shared.pagination import every_page
from application.shared.reads import id_window
from bootstrap import Container
from domain.catalog.channel import must_unpublish
from domain.catalog.product import Product
from domain.shared.errors import Conflict

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ()  # the modules whose demo data this one needs
SUMMARY = "Demo catalog: 服装 > 男装 > T恤, 数码 > 耳机; 6 products; channels own_shop, tmall"

T = TypeVar("T")

CLOTHING_TYPE = "服装"
TIERS = (("silver", "银卡会员"), ("gold", "金卡会员"))
CHANNELS = (
    ("own_shop", "演示官网商城", "own_shop", None),
    ("tmall", "演示天猫旗舰店", "marketplace", "tmall"),
)
CATEGORIES = (("服装", None), ("男装", "服装"), ("T恤", "男装"), ("数码", None), ("耳机", "数码"))
BRANDS = ("棉语 Cotton Talk", "声悦 SoundJoy")


@dataclass(frozen=True)
class DemoProduct:
    code: str
    name: str
    category: str
    brand: str
    lifecycle: str
    # SKU code → (list price, colour, size); no axes without the clothing type
    skus: dict[str, tuple[str, str | None, str | None]]
    on: dict[str, dict[str, str]] = field(default_factory=dict)  # channel → SKU → price
    description: str = ""


PRODUCTS = (
    DemoProduct(
        "TEE-001",
        "纯棉T恤",
        "T恤",
        BRANDS[0],
        "active",
        {
            "TEE-001-WH-M": ("79.00", "白色", "M"),
            "TEE-001-WH-L": ("79.00", "白色", "L"),
            "TEE-001-BK-M": ("79.00", "黑色", "M"),
            "TEE-001-BK-L": ("79.00", "黑色", "L"),
        },
        {"own_shop": {}, "tmall": {"TEE-001-WH-M": "89.00", "TEE-001-BK-M": "89.00"}},
        "100% 新疆长绒棉，夏季基础款。",
    ),
    DemoProduct(
        "TEE-002",
        "圆领短袖T恤",
        "T恤",
        BRANDS[0],
        "active",
        {"TEE-002-WH-M": ("59.00", "白色", "M"), "TEE-002-WH-L": ("59.00", "白色", "L")},
        {"own_shop": {}},
    ),
    DemoProduct(
        "SHIRT-001",
        "男士休闲衬衫",
        "男装",
        BRANDS[0],
        "new",
        {"SHIRT-001-BK-M": ("159.00", "黑色", "M"), "SHIRT-001-BK-L": ("159.00", "黑色", "L")},
    ),
    DemoProduct(
        "EAR-001",
        "蓝牙耳机",
        "耳机",
        BRANDS[1],
        "active",
        {"EAR-001": ("299.00", None, None)},
        {"own_shop": {}, "tmall": {"EAR-001": "279.00"}},
        "入耳式无线蓝牙耳机，续航 24 小时。",
    ),
    DemoProduct(
        "EAR-002",
        "降噪蓝牙耳机 Pro",
        "耳机",
        BRANDS[1],
        "active",
        {"EAR-002": ("599.00", None, None)},
        {"tmall": {}},
    ),
    DemoProduct(
        "EAR-003",
        "有线耳机",
        "耳机",
        BRANDS[1],
        "phasing_out",
        {"EAR-003": ("49.00", None, None)},
        {"own_shop": {}},
    ),
)
# The member price and the promotion: (product code, SKU code, amount).
MEMBER_PRICE = ("EAR-001", "EAR-001", "gold", "269.00")
PROMOTION = ("EAR-001", "EAR-001", "tmall", "249.00")


async def load(c: Container, ctx: CallContext) -> None:
    """Create what is missing of the demo catalog (idempotent)."""
    categories = await _categories(c, ctx)
    brands = {
        b.name: b.id
        for b in await every_page(lambda p, n: c.use_cases.query(ctx, ListBrands.window(p, n)))
    }
    for name in BRANDS:
        if name not in brands:
            brands[name] = (await c.use_cases.run(ctx, CreateBrand(name))).id
    clothing = await _clothing_type(c, ctx)
    channels = {
        ch.code: ch.id
        for ch in await every_page(lambda p, n: c.use_cases.query(ctx, ListChannels.window(p, n)))
    }
    for code, name, kind, platform in CHANNELS:
        if code not in channels:
            channels[code] = (
                await c.use_cases.run(ctx, CreateChannel(code, name, kind, platform))
            ).id
    stored = {
        v.product.code: v.product
        for v in await every_page(lambda p, n: c.use_cases.query(ctx, ListProducts.window(p, n)))
    }
    for demo in PRODUCTS:
        product = stored.get(demo.code)
        if product is None:
            try:
                product = await _create(c, ctx, demo, categories, brands[demo.brand], clothing)
            except Conflict as taken:  # archived by a demo user (lists leave it out)
                if taken.code != "product_code_taken":
                    raise
                continue
            stored[demo.code] = product
        await _publish(c, ctx, demo, product, channels)
    await _prices(c, ctx, stored, channels)


async def _categories(c: Container, ctx: CallContext) -> dict[str, UUID]:
    """Demo category names → ids (each demo name is unique in the tree it builds)."""
    found = await every_page(lambda p, n: c.use_cases.query(ctx, ListCategories.window(p, n)))
    by_place = {(cat.parent_id, cat.name): cat.id for cat in found}
    ids: dict[str, UUID] = {}
    for name, parent in CATEGORIES:
        parent_id = ids[parent] if parent else None
        known = by_place.get((parent_id, name))
        ids[name] = known or (await c.use_cases.run(ctx, CreateCategory(name, parent_id))).id
    return ids


async def _clothing_type(c: Container, ctx: CallContext) -> UUID:
    for product_type in await every_page(
        lambda p, n: c.use_cases.query(ctx, ListProductTypes.window(p, n))
    ):
        if product_type.name == CLOTHING_TYPE:
            return product_type.id
    axes = [
        AttributeInput("color", "颜色", "enum", True, True, allowed_values=("白色", "黑色")),
        AttributeInput("size", "尺码", "enum", True, True, allowed_values=("M", "L")),
        AttributeInput("fabric", "面料", "text"),
    ]
    return (await c.use_cases.run(ctx, CreateProductType(CLOTHING_TYPE, axes))).id


async def _create(
    c: Container,
    ctx: CallContext,
    demo: DemoProduct,
    categories: dict[str, UUID],
    brand_id: UUID,
    clothing: UUID,
) -> Product:
    typed = any(colour for _, colour, _ in demo.skus.values())
    skus = [
        SkuData(
            code,
            list_price=Decimal(price),
            axis_values={"color": colour, "size": size} if typed else {},
            barcode="6901234567892" if code == "EAR-001" else None,
        )
        for code, (price, colour, size) in demo.skus.items()
    ]
    data = ProductData(
        name=demo.name,
        description=demo.description,
        product_type_id=clothing if typed else None,
        category_id=categories[demo.category],
        brand_id=brand_id,
        attributes={"fabric": "纯棉"} if typed else {},
        lifecycle=demo.lifecycle,
        skus=skus,
    )
    return (await c.use_cases.run(ctx, CreateProduct(demo.code, data))).product


def _sku_id(product: Product, code: str) -> UUID | None:
    return next((s.id for s in product.skus if s.code == code and not s.archived), None)


async def _publish(
    c: Container, ctx: CallContext, demo: DemoProduct, product: Product, channels: dict[str, UUID]
) -> None:
    """Publishing what is published with the same prices changes nothing; a product a demo
    user archived or discontinued stays off sale."""
    if must_unpublish(product):
        return
    listed = {li.channel_id for li in await c.use_cases.query(ctx, ListingsOf(product.id))}
    for channel, prices in demo.on.items():
        if channels[channel] in listed:
            continue  # published (or taken off sale) before: left as it is
        by_id = {
            sku: Decimal(price) for code, price in prices.items() if (sku := _sku_id(product, code))
        }
        await c.use_cases.run(ctx, PublishListing(product.id, channels[channel], by_id or None))


async def _prices(
    c: Container, ctx: CallContext, products: dict[str, Product], channels: dict[str, UUID]
) -> None:
    tiers = await c.use_cases.query(ctx, GetTiers())
    if not tiers.tiers:
        tiers = await c.use_cases.run(ctx, ReplaceTiers(TIERS, tiers.version))
    product_code, sku_code, tier, amount = MEMBER_PRICE
    sku = _sku_id(products[product_code], sku_code) if product_code in products else None
    if (
        sku
        and tier in {t.code for t in tiers.tiers}
        and all(m.price.tier != tier for m in await c.use_cases.query(ctx, MemberPricesOfSku(sku)))
    ):
        await c.use_cases.run(ctx, CreateMemberPrice(sku, tier, Decimal(amount)))
    product_code, sku_code, channel, amount = PROMOTION
    sku = _sku_id(products[product_code], sku_code) if product_code in products else None
    if sku and not (await c.use_cases.query(ctx, PromotionsOfSku(sku, *id_window(None, 1)))).items:
        start = datetime.now(UTC).replace(microsecond=0)
        window = PromotionData(
            Decimal(amount), start, start + timedelta(days=30), channels[channel]
        )
        await c.use_cases.run(ctx, CreatePromotion(sku, window))
