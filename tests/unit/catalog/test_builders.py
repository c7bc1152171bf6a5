"""Builders the catalog tests share (no tests here): a product type with variant axes and
specifications, and products of it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from domain.catalog.product import Product, ProductInput, SkuInput
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType

CURRENCY = "CNY"
AT = datetime(2026, 1, 1, tzinfo=UTC)
LATER = datetime(2026, 1, 2, tzinfo=UTC)

COLOR = AttributeDefinition(
    "color", "颜色", AttributeKind.ENUM, variant_axis=True, allowed_values=("红色", "Blue", "黑色")
)
SIZE = AttributeDefinition(
    "size", "尺码", AttributeKind.ENUM, variant_axis=True, allowed_values=("S", "M", "L", "XL")
)
FABRIC = AttributeDefinition("fabric", "面料", AttributeKind.TEXT, required=True)
CAPACITY = AttributeDefinition("capacity", "容量", AttributeKind.NUMBER, unit="ml")
WATERPROOF = AttributeDefinition("waterproof", "防水", AttributeKind.BOOLEAN)


def apparel_type() -> ProductType:
    return ProductType.create(uuid.UUID(int=1), "服装", [COLOR, SIZE, FABRIC, CAPACITY, WATERPROOF])


def sku(
    code: str,
    color: str = "红色",
    size: str = "M",
    price: str | None = "99.00",
    **fields: object,
) -> SkuInput:
    return SkuInput(
        id=uuid.uuid4(),
        code=code,
        list_price=Decimal(price) if price is not None else None,
        axis_values={"color": color, "size": size},
        **fields,  # type: ignore[arg-type]
    )


def tee_input(**fields: object) -> ProductInput:
    values: dict[str, object] = {
        "name": "纯棉 T恤",
        "description": "夏季新款",
        "attributes": {"fabric": "棉", "capacity": "0", "waterproof": "否"},
    }
    values.update(fields)
    return ProductInput(**values)  # type: ignore[arg-type]


def tee(skus: Sequence[SkuInput] | None = None, **fields: object) -> Product:
    product = Product.create(
        uuid.uuid4(),
        "TEE",
        tee_input(**fields),
        skus if skus is not None else [sku("TEE-RED-M"), sku("TEE-RED-L", size="L")],
        apparel_type(),
        CURRENCY,
        AT,
    )
    product.events.clear()
    return product
