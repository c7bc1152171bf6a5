"""Products and SKUs as rows of ``products`` and ``skus`` (``tables.py``): the one
mapping from the domain's ``Product``, shared by the repository's writes (products.py) and
the import's set-based writes (files.py), and the unique keys such writes may violate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from adapters.postgres.catalog.tables import products, skus
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.product import Product, Sku
from domain.catalog.search_terms import product_terms
from domain.shared.audit import AuditChange
from domain.shared.errors import Conflict, DomainError

# What a product's save may change (not its keys, code or birth).
PRODUCT_UPDATED = [
    c.name
    for c in products.c
    if c.name not in ("tenant_id", "id", "code", "code_key", "created_at")
]
# A SKU's columns an upsert may change (not its keys or its product).
SKU_UPDATED = [c.name for c in skus.c if c.name not in ("tenant_id", "id", "product_id")]


def product_row(tenant_id: UUID, product: Product) -> dict[str, Any]:
    """Every column of the product's ``products`` row (``attributes`` as JSON data)."""
    d = product.details
    return {
        "tenant_id": tenant_id,
        "id": product.id,
        "code": product.code,
        "code_key": code_key(product.code),
        "name": d.name,
        "description": d.description,
        "material": d.material,
        "kind": str(d.kind),
        "preorder_allowed": d.preorder_allowed,
        "sell_out_of_stock_allowed": d.sell_out_of_stock_allowed,
        "product_type_id": d.product_type_id,
        "category_id": d.category_id,
        "brand_id": d.brand_id,
        "attributes": product.snapshot()["attributes"],
        "lifecycle": str(product.lifecycle),
        "archived_at": product.archived_at,
        "version": product.version,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }


def sku_row(tenant_id: UUID, product_id: UUID, position: int, sku: Sku) -> dict[str, Any]:
    """Every column of the SKU's ``skus`` row (``axis_values`` as JSON data)."""
    return {
        "tenant_id": tenant_id,
        "id": sku.id,
        "product_id": product_id,
        "position": position,
        "code": sku.code,
        "code_key": code_key(sku.code),
        "barcode": sku.barcode,
        "barcode_key": barcode_key(sku.barcode) if sku.barcode else None,
        "axis_values": dict(sku.axis_values),
        "list_price": sku.list_price.amount if sku.list_price else None,
        "cost": sku.cost.amount if sku.cost else None,
        "weight_grams": sku.weight_grams,
        "archived": sku.archived,
    }


def changes_data(changes: Sequence[AuditChange]) -> list[dict[str, Any]]:
    return [{"field": c.field, "before": c.before, "after": c.after} for c in changes]


def held_terms(product: Product) -> frozenset[str]:
    """The search terms the product is found by (name, codes, barcodes)."""
    return product_terms(
        product.details.name,
        [product.code, *(s.code for s in product.skus)],
        [s.barcode for s in product.skus if s.barcode],
    )


def key_conflicts(written: Sequence[Product]) -> dict[str, Callable[[], DomainError]]:
    """The unique keys a product write may violate, as the conflicts they mean. The
    violation names the index, not the row: the conflict names the written values."""

    def named(values: Sequence[str]) -> str:
        return ", ".join(dict.fromkeys(values))

    return {
        "products_code_key": lambda: Conflict(
            "product_code_taken", product_code=named([p.code for p in written])
        ),
        "skus_code_key": lambda: Conflict(
            "sku_code_taken", sku_code=named([s.code for p in written for s in p.skus])
        ),
        "skus_barcode_key": lambda: Conflict(
            "barcode_taken",
            barcode=named([s.barcode for p in written for s in p.skus if s.barcode]),
        ),
    }
