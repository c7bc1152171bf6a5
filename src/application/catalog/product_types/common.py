"""What the product type use cases share: attributes as sent, the snapshot the audit
diffs, loading a type.

A revision replaces the name and the attribute list as a whole. Products are checked
against the new definitions the next time they change (docs/catalog.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.product_type import ENTITY, AttributeDefinition, AttributeKind, ProductType
from domain.shared.errors import FieldError, NotFound, ValidationFailed

KINDS = [str(k) for k in AttributeKind]


@dataclass(frozen=True)
class AttributeInput:
    code: str
    name: str
    kind: str  # text | number | enum | boolean
    variant_axis: bool = False
    required: bool = False
    unit: str | None = None
    allowed_values: tuple[str, ...] = ()


def definitions(attributes: Sequence[AttributeInput]) -> list[AttributeDefinition]:
    """The domain's definitions; an unknown kind is a field error at its index."""
    errors = [
        FieldError(f"attributes[{i}].kind", "invalid_choice", {"allowed": KINDS})
        for i, a in enumerate(attributes)
        if a.kind not in KINDS
    ]
    if errors:
        raise ValidationFailed(errors)
    return [
        AttributeDefinition(
            code=a.code,
            name=a.name,
            kind=AttributeKind(a.kind),
            variant_axis=a.variant_axis,
            required=a.required,
            unit=a.unit,
            allowed_values=tuple(a.allowed_values),
        )
        for a in attributes
    ]


def snapshot(product_type: ProductType) -> dict[str, object]:
    return {
        "name": product_type.name,
        "attributes": [
            {
                "code": a.code,
                "name": a.name,
                "kind": str(a.kind),
                "variantAxis": a.variant_axis,
                "required": a.required,
                "unit": a.unit,
                "allowedValues": list(a.allowed_values),
            }
            for a in product_type.attributes
        ],
    }


async def load_product_type(uow: UnitOfWork, type_id: UUID) -> ProductType:
    product_type = await uow.of(CATALOG).product_types.get(type_id)
    if product_type is None:
        raise NotFound(entity=ENTITY)
    return product_type
