"""A product's content as sent, and the domain's inputs made from it (CAT-1, CAT-11)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.catalog.references import brand_of, category_of
from application.shared.clock import IdGenerator
from application.shared.references import Reference, Resolver
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.catalog.checks import to_decimal
from domain.catalog.permissions import CATALOG_READ_COST
from domain.catalog.product import Lifecycle, Product, ProductInput, ProductKind, SkuInput
from domain.catalog.product_type import ProductType
from domain.shared.errors import FieldError, ValidationFailed

KINDS = [str(k) for k in ProductKind]
LIFECYCLES = [str(s) for s in Lifecycle]


@dataclass(frozen=True)
class SkuData:
    """One SKU as sent: ``id`` names an existing SKU of the product (None: a new one); the
    weight as decimal text ("99.5")."""

    code: str
    id: UUID | None = None
    barcode: str | None = None
    list_price: Decimal | None = None
    cost: Decimal | None = None
    weight_grams: str | None = None
    axis_values: Mapping[str, object] = field(default_factory=dict)
    archived: bool = False


@dataclass(frozen=True)
class ProductData:
    """The whole content of a product; SKUs left out of a revision are archived (kept)."""

    name: str
    description: str = ""
    material: str | None = None
    kind: str = "physical"
    preorder_allowed: bool = False
    sell_out_of_stock_allowed: bool = False
    product_type_id: UUID | None = None
    # an id (``categoryId``), or the category's path or its id as text (``category``)
    category_id: Reference | None = None
    # an id (``brandId``), or the brand's name or its id as text (``brand``)
    brand_id: Reference | None = None
    attributes: Mapping[str, object] = field(default_factory=dict)
    lifecycle: str | None = None  # None: "new" on create, unchanged on revise
    skus: Sequence[SkuData] = ()


def check_lifecycle(value: str) -> None:
    if value not in LIFECYCLES:
        raise ValidationFailed([FieldError("lifecycle", "invalid_choice", {"allowed": LIFECYCLES})])


def _amount(errors: list[FieldError], path: str, value: Decimal | None) -> Decimal | None:
    """Reported with the form's other errors (the domain checks the rest: sign, places)."""
    if value is not None and not value.is_finite():
        errors.append(FieldError(path, "invalid_amount"))
    return value


def _weight(errors: list[FieldError], path: str, value: str | None) -> Decimal | None:
    if value is None:
        return None
    number = to_decimal(value)
    if number is None:
        errors.append(FieldError(path, "invalid_amount"))
    return number


async def _named(
    uow: UnitOfWork,
    errors: list[FieldError],
    resolve: Resolver,
    reference: Reference | None,
    field: str,
) -> UUID | None:
    """The id ``reference`` names; an unknown one is an error on the field it came in:
    ``<field>Id`` for an id, ``<field>`` for a path, a name or an id as text."""
    if reference is None:
        return None
    found = await resolve(uow, f"{field}Id" if isinstance(reference, UUID) else field, reference)
    if isinstance(found, FieldError):
        errors.append(found)
        return None
    return found


async def product_inputs(
    work: Work, ids: IdGenerator, data: ProductData, current: Product | None
) -> tuple[ProductInput, list[SkuInput], ProductType | None]:
    """The domain's inputs: references resolved (unknown ones are field errors), new
    SKUs given ids, and costs kept as stored for writers without read_cost."""
    store = work.uow.of(CATALOG)
    errors: list[FieldError] = []
    if data.kind not in KINDS:
        errors.append(FieldError("kind", "invalid_choice", {"allowed": KINDS}))
    product_type = None
    if data.product_type_id is not None:
        product_type = await store.product_types.get(data.product_type_id)
        if product_type is None:
            errors.append(
                FieldError(
                    "productTypeId", "unknown_product_type", {"name": str(data.product_type_id)}
                )
            )
    category_id = await _named(work.uow, errors, category_of, data.category_id, "category")
    brand_id = await _named(work.uow, errors, brand_of, data.brand_id, "brand")
    sees_cost = work.allows(CATALOG_READ_COST)
    skus: list[SkuInput] = []
    for i, sku in enumerate(data.skus):
        path = f"skus[{i}]"
        existing = current.sku(sku.id) if current and sku.id else None
        if sku.id is not None and existing is None:
            errors.append(FieldError(f"{path}.id", "unknown_sku"))
        if not sees_cost and sku.cost is not None:
            errors.append(
                FieldError(f"{path}.cost", "permission_denied", {"permission": CATALOG_READ_COST})
            )
        cost = _amount(errors, f"{path}.cost", sku.cost)
        if not sees_cost:
            cost = existing.cost.amount if existing and existing.cost else None
        skus.append(
            SkuInput(
                id=sku.id or ids.new_id(),
                code=sku.code,
                list_price=_amount(errors, f"{path}.listPrice", sku.list_price),
                cost=cost,
                barcode=sku.barcode,
                weight_grams=_weight(errors, f"{path}.weightGrams", sku.weight_grams),
                axis_values=dict(sku.axis_values),
                archived=sku.archived,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    product_input = ProductInput(
        name=data.name,
        description=data.description,
        material=data.material,
        kind=ProductKind(data.kind),
        preorder_allowed=data.preorder_allowed,
        sell_out_of_stock_allowed=data.sell_out_of_stock_allowed,
        category_id=category_id,
        brand_id=brand_id,
        attributes=dict(data.attributes),
    )
    return product_input, skus, product_type
