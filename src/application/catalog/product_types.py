"""Product types (CAT-5): create and revise a type with its attributes; read them.

A revision replaces the name and the attribute list as a whole. Products are checked
against the new definitions the next time they change (docs/catalog.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from application.catalog.common import id_after, id_page
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import FieldError, NotFound, ValidationFailed
from domain.shared.events import DomainEvent

ENTITY = "product_type"
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


def _snapshot(product_type: ProductType) -> dict[str, object]:
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


async def _load(uow: UnitOfWork, type_id: UUID) -> ProductType:
    product_type = await uow.of(CATALOG).product_types.get(type_id)
    if product_type is None:
        raise NotFound(entity=ENTITY)
    return product_type


class ProductTypeService:
    """``create``, ``revise`` and ``get``, ``list_types``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def create(
        self, ctx: CallContext, name: str, attributes: Sequence[AttributeInput]
    ) -> ProductType:
        async def command(uow: UnitOfWork) -> ProductType:
            self._access.require(ctx, CATALOG_WRITE)
            product_type = ProductType.create(self._ids.new_id(), name, definitions(attributes))
            await uow.of(CATALOG).product_types.add(product_type, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "product_type.create",
                    ENTITY,
                    product_type.id,
                    changes=diff({}, _snapshot(product_type)),
                )
            )
            await uow.outbox.add(DomainEvent("product_type.created", ENTITY, product_type.id))
            return product_type

        return await self._runner.run(ctx, "product_type.create", ENTITY, command)

    async def revise(
        self,
        ctx: CallContext,
        type_id: UUID,
        name: str | None,
        attributes: Sequence[AttributeInput] | None,
        expected_version: int | None,
    ) -> ProductType:
        """``None``: keep the current name / attributes."""

        async def command(uow: UnitOfWork) -> ProductType:
            self._access.require(ctx, CATALOG_WRITE)
            product_type = await _load(uow, type_id)
            check_version(expected_version, product_type.version)
            before, read_version = _snapshot(product_type), product_type.version
            changed = product_type.revise(
                product_type.name if name is None else name,
                product_type.attributes if attributes is None else definitions(attributes),
            )
            if not changed:
                return product_type  # nothing changed: no write, no version, nothing recorded
            await uow.of(CATALOG).product_types.save(product_type, read_version, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "product_type.update",
                    ENTITY,
                    product_type.id,
                    changes=diff(before, _snapshot(product_type)),
                    detail={"version": product_type.version},
                )
            )
            await uow.outbox.add(
                DomainEvent("product_type.updated", ENTITY, product_type.id, changed_fields=changed)
            )
            return product_type

        return await self._runner.run(
            ctx, "product_type.update", ENTITY, command, entity_id=type_id
        )

    async def get(self, ctx: CallContext, type_id: UUID) -> ProductType:
        async def read(uow: UnitOfWork) -> ProductType:
            self._access.require(ctx, CATALOG_READ)
            return await _load(uow, type_id)

        return await self._runner.query(ctx, read)

    async def list_types(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[ProductType]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[ProductType]:
            self._access.require(ctx, CATALOG_READ)
            return await id_page(uow.of(CATALOG).product_types.page, after, size)

        return await self._runner.query(ctx, read)
