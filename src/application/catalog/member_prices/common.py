"""What the member price use cases share (CAT-10). Member prices: one price per SKU and
membership tier, an offer to buyers of that tier on every channel (the precedence rule,
``domain.catalog.pricing``). Managing them needs ``catalog:publish``. Events
``member_price.created|updated|deleted`` carry the SKU id and the tier."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.ports.store import CATALOG
from application.catalog.price_changes import record_price_change
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.shared.audit import AuditChange
from domain.shared.errors import NotFound

ENTITY = "member_price"


async def load_sku(uow: UnitOfWork, sku_id: UUID) -> UUID:
    """The SKU's product; an unknown SKU (named in the path) is a 404."""
    product_id = await uow.of(CATALOG).prices.product_of_sku(sku_id)
    if product_id is None:
        raise NotFound(entity="sku")
    return product_id


async def load_member_price(uow: UnitOfWork, price_id: UUID) -> StoredMemberPrice:
    price = await uow.of(CATALOG).prices.member_price(price_id)
    if price is None:
        raise NotFound(entity=ENTITY)
    return price


def state(price: StoredMemberPrice | None) -> dict[str, object]:
    if price is None:
        return {}
    return {"tier": price.price.tier, "amount": str(price.price.amount.amount)}


def record(
    work: Work, verb: str, price: StoredMemberPrice, changes: tuple[AuditChange, ...]
) -> None:
    record_price_change(
        work,
        ENTITY,
        verb,
        price.id,
        price.sku_id,
        price.version,
        changes,
        {"tier": price.price.tier},
    )
