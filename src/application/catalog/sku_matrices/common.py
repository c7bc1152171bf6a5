"""Generating a product's SKUs from chosen variant values (CAT-5): preview, then apply.

The matrix is one SKU per combination of the values chosen for each variant axis of the
product's type (``domain.catalog.sku_matrix``: order, codes, the cap and its error).
Regenerating is idempotent: SKUs whose combination is still chosen keep their id, code
and prices; archived ones come back; active ones no longer chosen are archived (never
deleted). New codes avoid every SKU code of the tenant, not only the product's.

``apply`` is a revision of the product like a PUT: one transaction with its version,
search terms, audit record and ``product.updated`` event; nothing when nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.checks import to_decimal
from domain.catalog.codes import code_key
from domain.catalog.product import Product
from domain.catalog.product_type import ProductType
from domain.catalog.sku_matrix import SkuMatrix, generate_sku_matrix
from domain.shared.errors import ValidationFailed

# New codes that collide with other products' SKUs get -2, -3, …; each round learns the
# collisions of the last, so a few rounds always settle (a bound, not an expectation).
MAX_CODE_ROUNDS = 5


@dataclass(frozen=True)
class MatrixRequest:
    """Values chosen per axis (attribute code → values); defaults for new SKUs (the weight
    as decimal text); ``base_code`` defaults to the product code."""

    axes: Mapping[str, Sequence[object]]
    base_code: str | None = None
    list_price: Decimal | None = None
    weight_grams: str | None = None


@dataclass(frozen=True)
class MatrixPreview:
    matrix: SkuMatrix
    product: Product


async def type_of(uow: UnitOfWork, product: Product) -> ProductType:
    type_id = product.details.product_type_id
    product_type = await uow.of(CATALOG).product_types.get(type_id) if type_id else None
    if product_type is None or not product_type.axes:
        # Without variant attributes there is nothing to combine: one SKU, edited directly.
        raise ValidationFailed.single("productTypeId", "product_type_has_no_variant_axes")
    return product_type


def weight_of(request: MatrixRequest) -> Decimal | None:
    text = request.weight_grams
    weight = None if text is None else to_decimal(text)
    if text is not None and weight is None:
        raise ValidationFailed.single("weightGrams", "invalid_amount")
    return weight


async def matrix_for(
    uow: UnitOfWork, product: Product, product_type: ProductType, request: MatrixRequest
) -> SkuMatrix:
    """The matrix with new codes free in the whole tenant (archived SKUs' codes included)."""
    base = request.base_code or product.code
    taken: set[str] = set()
    for _ in range(MAX_CODE_ROUNDS):
        matrix = generate_sku_matrix(product_type, request.axes, base, product.skus, taken)
        new_codes = [row.code for row in matrix.new_rows]
        clashes = await uow.of(CATALOG).catalog_files.sku_owners([code_key(c) for c in new_codes])
        if not clashes:
            return matrix
        taken |= {c for c in new_codes if code_key(c) in clashes}
    raise ValidationFailed.single("baseCode", "sku_codes_exhausted")
