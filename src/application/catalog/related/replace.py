"""Replace one kind of a product's related products (CAT-9), as a whole list in display
order; the product's own version does not move."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.catalog.related.common import ENTITY, RelatedView, related_view
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.related import RelationKind
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.events import DomainEvent


class ReplaceRelated(
    Command[RelatedView], action="product.related_update", permission=CATALOG_WRITE
):
    product_id: UUID
    kind: RelationKind
    related_ids: Sequence[UUID]


class ReplaceRelatedHandler:
    async def handle(self, command: ReplaceRelated, work: Work) -> RelatedView:
        uow, product_id, kind = work.uow, command.product_id, command.kind
        links = uow.of(CATALOG).related_products
        await load_product(uow, product_id, changing=True)
        related = await links.get(product_id)
        before = [str(i) for i in related.of_kind(kind)]
        stored = set(related.of_kind(kind))
        if not related.replace(kind, command.related_ids):  # the domain's checks first
            return await related_view(uow, product_id)
        summaries = await links.summaries(command.related_ids)
        errors = []
        for i, related_id in enumerate(command.related_ids):
            found = summaries.get(related_id)
            if found is None:
                errors.append(FieldError(f"{kind}[{i}]", "unknown_product"))
            elif found.archived and related_id not in stored:
                errors.append(FieldError(f"{kind}[{i}]", "related_product_archived"))
        if errors:
            raise ValidationFailed(errors)
        await links.replace(product_id, kind, related.of_kind(kind))
        field = f"related.{kind}"
        work.audit(product_id, {field: before}, {field: [str(i) for i in command.related_ids]})
        work.emit(
            DomainEvent("product.related_updated", ENTITY, product_id, changed_fields=(field,))
        )
        return await related_view(uow, product_id)
