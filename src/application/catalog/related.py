"""Related products (CAT-9): show a product's cross-sells and up-sells, replace one kind.

A replacement names the whole list of one kind in display order and is checked by the
domain (no self link, no duplicates, at most 20) and against the tenant: every id must be
a product of the tenant (another tenant's id looks like an unknown one), and a product
newly linked must not be archived; a link to an archived product that is already stored
may stay. Shown lists leave archived products out. The product's own version does not
move (links are not product content); a replacement that changes nothing records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.repositories import RelatedProductSummary
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.catalog.related import RelationKind
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.events import DomainEvent

ENTITY = "product"


@dataclass(frozen=True)
class RelatedView:
    """Per kind, the linked products that are not archived, in display order."""

    product_id: UUID
    links: dict[RelationKind, list[RelatedProductSummary]]


def parse_kind(value: str) -> RelationKind:
    try:
        return RelationKind(value)
    except ValueError:
        allowed = ", ".join(str(k) for k in RelationKind)
        raise ValidationFailed.single("kind", "invalid_choice", allowed=allowed) from None


async def _view(uow: UnitOfWork, product_id: UUID) -> RelatedView:
    related = await uow.of(CATALOG).related_products.get(product_id)
    ids = [i for kind in RelationKind for i in related.of_kind(kind)]
    summaries = await uow.of(CATALOG).related_products.summaries(ids)
    return RelatedView(
        product_id,
        {
            kind: [
                summaries[i]
                for i in related.of_kind(kind)
                if i in summaries and not summaries[i].archived
            ]
            for kind in RelationKind
        },
    )


class RelatedProductService:
    def __init__(self, runner: CommandRunner, access: AccessPolicy) -> None:
        self._runner = runner
        self._access = access

    async def show(self, ctx: CallContext, product_id: UUID) -> RelatedView:
        async def read(uow: UnitOfWork) -> RelatedView:
            self._access.require(ctx, CATALOG_READ)
            await load_product(uow, product_id)
            return await _view(uow, product_id)

        return await self._runner.query(ctx, read)

    async def replace(
        self, ctx: CallContext, product_id: UUID, kind: RelationKind, related_ids: Sequence[UUID]
    ) -> RelatedView:
        async def command(uow: UnitOfWork) -> RelatedView:
            self._access.require(ctx, CATALOG_WRITE)
            await load_product(uow, product_id, changing=True)
            related = await uow.of(CATALOG).related_products.get(product_id)
            before = [str(i) for i in related.of_kind(kind)]
            stored = set(related.of_kind(kind))
            if not related.replace(kind, related_ids):  # the domain's checks first
                return await _view(uow, product_id)
            summaries = await uow.of(CATALOG).related_products.summaries(related_ids)
            errors = []
            for i, related_id in enumerate(related_ids):
                found = summaries.get(related_id)
                if found is None:
                    errors.append(FieldError(f"{kind}[{i}]", "unknown_product"))
                elif found.archived and related_id not in stored:
                    errors.append(FieldError(f"{kind}[{i}]", "related_product_archived"))
            if errors:
                raise ValidationFailed(errors)
            await uow.of(CATALOG).related_products.replace(product_id, kind, related.of_kind(kind))
            field = f"related.{kind}"
            await uow.audit.record(
                AuditEntry(
                    "product.related_update",
                    ENTITY,
                    product_id,
                    changes=diff({field: before}, {field: [str(i) for i in related_ids]}),
                )
            )
            await uow.outbox.add(
                DomainEvent("product.related_updated", ENTITY, product_id, changed_fields=(field,))
            )
            return await _view(uow, product_id)

        return await self._runner.run(
            ctx, "product.related_update", ENTITY, command, entity_id=product_id
        )
