"""Related products (CAT-9): cross-sell (goes with it: a case for the phone) and up-sell
(a better one: the Pro model), shown on a product's page.

Links are directed and ordered: A → B does not imply B → A, and the merchant's order is
the display order. No link to the product itself, no link twice within a kind (the same
product may be both a cross-sell and an up-sell), at most ``MAX_LINKS_PER_KIND`` per kind.
Whether the linked product exists in the tenant is the adapter's job (a foreign key);
links to archived products stay stored and are left out when shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from domain.catalog.checks import FieldChecks
from domain.shared.errors import FieldError

MAX_LINKS_PER_KIND = 20


class RelationKind(StrEnum):
    CROSS_SELL = "cross_sell"
    UP_SELL = "up_sell"


@dataclass(frozen=True)
class RelatedLink:
    product_id: UUID
    related_product_id: UUID
    kind: RelationKind
    position: int  # 0-based display order within the kind


@dataclass
class RelatedProducts:
    product_id: UUID
    links: Mapping[RelationKind, tuple[UUID, ...]] = field(default_factory=dict)

    def of_kind(self, kind: RelationKind) -> tuple[UUID, ...]:
        return tuple(self.links.get(kind, ()))

    def replace(self, kind: RelationKind, related_ids: Sequence[UUID]) -> bool:
        """Set the links of one kind, in display order. Returns whether anything changed."""
        check = FieldChecks()
        path = str(kind)
        if len(related_ids) > MAX_LINKS_PER_KIND:
            check.add(FieldError(path, "too_many", {"max": MAX_LINKS_PER_KIND}))
        seen: set[UUID] = set()
        for i, related_id in enumerate(related_ids):
            if related_id == self.product_id:
                check.add(FieldError(f"{path}[{i}]", "related_to_itself"))
            elif related_id in seen:
                check.add(FieldError(f"{path}[{i}]", "duplicate"))
            seen.add(related_id)
        check.raise_if_failed()
        new = tuple(related_ids)
        if new == self.of_kind(kind):
            return False
        self.links = {**self.links, kind: new}
        return True

    def add(self, kind: RelationKind, related_id: UUID) -> bool:
        if related_id in self.of_kind(kind):
            return False
        return self.replace(kind, [*self.of_kind(kind), related_id])

    def remove(self, kind: RelationKind, related_id: UUID) -> bool:
        if related_id not in self.of_kind(kind):
            return False
        return self.replace(kind, [r for r in self.of_kind(kind) if r != related_id])

    def rows(self) -> list[RelatedLink]:
        """As stored: one row per link, ``(tenant_id, product_id, kind, related_product_id)``."""
        return [
            RelatedLink(self.product_id, related, kind, position)
            for kind in RelationKind
            for position, related in enumerate(self.of_kind(kind))
        ]
