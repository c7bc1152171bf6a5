"""Related products (CAT-9): show a product's cross-sells and up-sells, replace one kind.

A replacement names the whole list of one kind in display order and is checked by the
domain (no self link, no duplicates, at most 20) and against the tenant: every id must be
a product of the tenant (another tenant's id looks like an unknown one), and a product
newly linked must not be archived; a link to an archived product that is already stored
may stay. Shown lists leave archived products out. The product's own version does not
move (links are not product content); a replacement that changes nothing records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.ports.repositories import RelatedProductSummary
from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.related import RelationKind
from domain.shared.errors import ValidationFailed

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
        allowed = [str(k) for k in RelationKind]
        raise ValidationFailed.single("kind", "invalid_choice", allowed=allowed) from None


async def related_view(uow: UnitOfWork, product_id: UUID) -> RelatedView:
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
