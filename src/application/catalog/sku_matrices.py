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
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.catalog.priced_listings import refuse_unpriced_listings
from application.catalog.products import ProductView, save_product
from application.catalog.tenant_terms import tenant_terms
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.checks import to_decimal
from domain.catalog.codes import code_key
from domain.catalog.permissions import CATALOG_READ_COST, CATALOG_WRITE
from domain.catalog.product import ENTITY, Product
from domain.catalog.product_type import ProductType
from domain.catalog.sku_matrix import SkuMatrix, generate_sku_matrix, matrix_sku_inputs
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


class SkuMatrixService:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def preview(
        self, ctx: CallContext, product_id: UUID, request: MatrixRequest
    ) -> MatrixPreview:
        """The rows the request would give, changing nothing."""

        async def read(uow: UnitOfWork) -> MatrixPreview:
            self._access.require(ctx, CATALOG_WRITE)
            product = await load_product(uow, product_id)
            matrix = await _matrix(uow, product, await _type_of(uow, product), request)
            return MatrixPreview(matrix, product)

        return await self._runner.query(ctx, read)

    async def apply(
        self,
        ctx: CallContext,
        product_id: UUID,
        request: MatrixRequest,
        expected_version: int | None,
    ) -> ProductView:
        async def command(uow: UnitOfWork) -> ProductView:
            self._access.require(ctx, CATALOG_WRITE)
            product = await load_product(uow, product_id)
            check_version(expected_version, product.version)
            weight = _weight(request)
            product_type = await _type_of(uow, product)
            matrix = await _matrix(uow, product, product_type, request)
            new_ids = [self._ids.new_id() for _ in matrix.new_rows]
            skus = matrix_sku_inputs(
                product.skus,
                matrix,
                new_ids,
                list_price=request.list_price,
                weight_grams=weight,
            )
            details, _ = product.as_input()
            read_version, now = product.version, self._clock.now()
            currency = (await tenant_terms(uow)).currency
            if product.revise(details, skus, product_type, currency, now):
                product.version = read_version + 1
                await save_product(ctx, uow, product, read_version, "product.generate_skus")
                await refuse_unpriced_listings(uow, product)  # after the row is held
            return ProductView(product, not self._access.allows(ctx, CATALOG_READ_COST))

        return await self._runner.run(
            ctx, "product.generate_skus", ENTITY, command, entity_id=product_id
        )


async def _type_of(uow: UnitOfWork, product: Product) -> ProductType:
    type_id = product.details.product_type_id
    product_type = await uow.of(CATALOG).product_types.get(type_id) if type_id else None
    if product_type is None or not product_type.axes:
        # Without variant attributes there is nothing to combine: one SKU, edited directly.
        raise ValidationFailed.single("productTypeId", "product_type_has_no_variant_axes")
    return product_type


def _weight(request: MatrixRequest) -> Decimal | None:
    text = request.weight_grams
    weight = None if text is None else to_decimal(text)
    if text is not None and weight is None:
        raise ValidationFailed.single("weightGrams", "invalid_amount")
    return weight


async def _matrix(
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
