"""Bulk export (CAT-2): a product's rows in the one layout of ``file_layout.py``."""

from __future__ import annotations

from collections.abc import Sequence

from domain.catalog.checks import canonical_decimal
from domain.catalog.file_layout import attribute_column, escape_cell, export_header
from domain.catalog.product import Product, Sku
from domain.catalog.product_type import ProductType, value_text


def export_rows(
    product: Product,
    *,
    product_type: ProductType | None,
    category_path: Sequence[str],
    brand_name: str | None,
    attribute_codes: Sequence[str],
    include_cost: bool,
) -> list[list[str]]:
    """The product's rows under ``export_header(attribute_codes, include_cost=…)``,
    escaped. Archived products are not exported (an import refuses them)."""
    details = product.details
    axes = {a.code for a in product_type.axes} if product_type else set()
    product_cells = {
        "product_code": product.code,
        "product_name": details.name,
        "description": details.description,
        "product_type": product_type.name if product_type else "",
        "category": " > ".join(category_path),
        "brand": brand_name or "",
        "kind": str(details.kind),
        "material": details.material or "",
        "preorder_allowed": _flag(details.preorder_allowed),
        "sell_out_of_stock_allowed": _flag(details.sell_out_of_stock_allowed),
        "lifecycle": str(product.lifecycle),
    }
    for code in attribute_codes:
        if code not in axes and code in details.attributes:
            product_cells[attribute_column(code)] = value_text(details.attributes[code])
    header = export_header(attribute_codes, include_cost=include_cost)
    rows: list[list[str]] = []
    skus: tuple[Sku | None, ...] = product.skus or (None,)
    for sku in skus:
        cells = dict(product_cells)
        if sku is not None:
            cells.update(
                {
                    "sku_code": sku.code,
                    "barcode": sku.barcode or "",
                    "list_price": str(sku.list_price.amount) if sku.list_price else "",
                    "cost": str(sku.cost.amount) if sku.cost else "",
                    "weight_grams": (
                        canonical_decimal(sku.weight_grams) if sku.weight_grams is not None else ""
                    ),
                    "sku_archived": _flag(sku.archived),
                }
            )
            for code in attribute_codes:
                if code in axes and code in sku.axis_values:
                    cells[attribute_column(code)] = sku.axis_values[code]
        rows.append([escape_cell(cells.get(column, "")) for column in header])
    return rows


def _flag(value: bool) -> str:
    return "true" if value else "false"
