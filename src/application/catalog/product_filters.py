"""Checks of the product search and listing filters (CAT-12) before they are run.

A price range whose lower bound is above its upper bound, or a category, brand or channel
the tenant does not have, is a 422 field error named after the query parameter — not an
empty page that would look like "no such products".
"""

from __future__ import annotations

from application.catalog.ports.repositories import ProductFilters
from application.catalog.ports.store import CATALOG
from application.shared.unit_of_work import UnitOfWork
from domain.shared.errors import FieldError, ValidationFailed


def check_price_range(filters: ProductFilters) -> None:
    low, high = filters.min_price, filters.max_price
    for name, bound in (("minPrice", low), ("maxPrice", high)):
        if bound is not None and not bound.is_finite():  # "NaN" decodes as a Decimal
            raise ValidationFailed.single(name, "invalid_amount")
    if low is not None and high is not None and low > high:
        raise ValidationFailed.single("maxPrice", "invalid_price_range", min=str(low))


async def check_filter_references(uow: UnitOfWork, filters: ProductFilters) -> None:
    errors: list[FieldError] = []
    category, brand = filters.category_id, filters.brand_id
    if category is not None and await uow.of(CATALOG).categories.get(category) is None:
        errors.append(FieldError("category", "unknown_category", {"path": str(category)}))
    if brand is not None and await uow.of(CATALOG).brands.get(brand) is None:
        errors.append(FieldError("brand", "unknown_brand", {"name": str(brand)}))
    if (
        filters.channel_id is not None
        and await uow.of(CATALOG).channels.get(filters.channel_id) is None
    ):
        errors.append(FieldError("channel", "unknown_channel"))
    if errors:
        raise ValidationFailed(errors)
