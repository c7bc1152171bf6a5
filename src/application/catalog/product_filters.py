"""Checks of the product search and listing filters (CAT-12) before they are run.

A price range whose lower bound is above its upper bound, or a category, brand or channel
the tenant does not have, is a 422 field error named after the query parameter — not an
empty page that would look like "no such products".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from application.catalog.ports.repositories import ProductFilters
from application.catalog.references import brand_of, category_of, channel_of
from application.shared.references import Reference
from application.shared.unit_of_work import UnitOfWork
from domain.shared.errors import FieldError, ValidationFailed


def check_price_range(filters: ProductFilters) -> None:
    low, high = filters.min_price, filters.max_price
    for name, bound in (("minPrice", low), ("maxPrice", high)):
        if bound is not None and not bound.is_finite():  # "NaN" decodes as a Decimal
            raise ValidationFailed.single(name, "invalid_amount")
    if low is not None and high is not None and low > high:
        raise ValidationFailed.single("maxPrice", "invalid_price_range", min=str(low))


@dataclass(frozen=True)
class FilterReferences:
    """The filters as a caller names them (#9 item 16): an id, or a category's path, a
    brand's name, a channel's code (``application.catalog.references``)."""

    category: Reference | None = None
    brand: Reference | None = None
    channel: Reference | None = None


async def resolve_filters(
    uow: UnitOfWork, filters: ProductFilters, references: FilterReferences
) -> ProductFilters:
    """``filters`` with each reference as the id it names — a reference given, else the
    filter's own id, checked the same way; every unknown one a field error, together."""
    found: dict[str, UUID | None] = {}
    errors: list[FieldError] = []
    for field, reference, resolve in (
        ("category", references.category or filters.category_id, category_of),
        ("brand", references.brand or filters.brand_id, brand_of),
        ("channel", references.channel or filters.channel_id, channel_of),
    ):
        resolved = await resolve(uow, field, reference) if reference is not None else None
        if isinstance(resolved, FieldError):
            errors.append(resolved)
        found[field] = resolved if isinstance(resolved, UUID) else None
    if errors:
        raise ValidationFailed(errors)
    return replace(
        filters, category_id=found["category"], brand_id=found["brand"], channel_id=found["channel"]
    )
