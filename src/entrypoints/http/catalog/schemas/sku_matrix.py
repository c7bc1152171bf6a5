"""Bodies of the SKU matrix routes (CAT-5)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from domain.catalog.product_type import ATTRIBUTE_CODE
from entrypoints.http.limits import stated
from entrypoints.http.wire import AmountIn, WireIn, WireOut


class SkuMatrixIn(WireIn):
    """The values chosen per variant attribute, e.g. ``{"color": ["红", "蓝"], "size":
    ["S", "M"]}``; defaults for the new SKUs; the base of their codes (the product code by
    default): ``TS-RED-S``."""

    # attribute code → the values chosen (text, a number or a yes/no, as the type defines)
    axes: dict[Annotated[str, stated(pattern=ATTRIBUTE_CODE)], list[str | int | float | bool]]
    base_code: str | None = None
    list_price: AmountIn | None = None  # in the company currency
    weight_grams: str | None = None


class SkuMatrixRowOut(WireOut):
    code: str
    axis_values: dict[str, str]
    sku_id: UUID | None  # the existing SKU of this combination; null: a new one
    status: str  # existing | revived (archived, comes back) | new


class SkuMatrixOut(WireOut):
    rows: list[SkuMatrixRowOut]
    retired: list[UUID]  # active SKUs whose combination is no longer chosen: archived
