"""What the promotion use cases share (CAT-10). A promotional price of one SKU during
``[startsAt, endsAt)``, on one channel or on all of them (the precedence rule,
``domain.catalog.pricing``).

Times come as instants (with an offset) or as wall-clock times of the tenant's time zone
(no offset: ``pricing.local_window`` reads them, DST gaps and folds included); they are
stored as instants and shown in the tenant's zone. Managing promotions needs
``catalog:publish``. Events ``promotion.created|updated|deleted`` carry the SKU id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.channels import StoredPromotion
from application.catalog.ports.store import CATALOG
from application.catalog.price_changes import record_price_change
from application.catalog.references import channel_of
from application.shared.references import Reference, resolved_or_raise
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.catalog.pricing import Promotion, local_window
from domain.shared.audit import AuditChange
from domain.shared.errors import NotFound, ValidationFailed

ENTITY = "promotion"


@dataclass(frozen=True)
class PromotionData:
    amount: Decimal  # in the tenant currency
    starts_at: datetime  # with an offset, or wall-clock time of the tenant's zone
    ends_at: datetime | None = None  # None: open-ended
    # None: every channel; an id (``channelId``), or a code or an id as text (``channel``)
    channel_id: Reference | None = None


@dataclass(frozen=True)
class PromotionView:
    stored: StoredPromotion
    time_zone: str  # the tenant's, to show the window in


def instant(value: datetime, time_zone: str) -> datetime:
    """An aware datetime as is; a wall-clock time read in the tenant's zone."""
    if value.tzinfo is not None:
        return value
    return local_window(value, None, time_zone)[0]


def state(stored: StoredPromotion | None) -> dict[str, object]:
    if stored is None:
        return {}
    p = stored.promotion
    return {
        "amount": str(p.amount.amount),
        "startsAt": p.starts_at.isoformat(),
        "endsAt": p.ends_at.isoformat() if p.ends_at else None,
        "channelId": str(p.channel_id) if p.channel_id else None,
    }


async def load_promotion(uow: UnitOfWork, promotion_id: UUID) -> StoredPromotion:
    stored = await uow.of(CATALOG).prices.promotion(promotion_id)
    if stored is None:
        raise NotFound(entity=ENTITY)
    return stored


async def promotion_of(
    uow: UnitOfWork, promotion_id: UUID, data: PromotionData
) -> tuple[Promotion, str]:
    """The domain's promotion from what was sent, and the tenant's time zone."""
    terms = await tenant_terms(uow)
    channel_id = data.channel_id
    if isinstance(channel_id, str):
        channel_id = await resolved_or_raise(uow, channel_of, "channel", channel_id)
    elif channel_id is not None and await uow.of(CATALOG).channels.get(channel_id) is None:
        raise ValidationFailed.single("channelId", "unknown_channel")
    promotion = Promotion.create(
        promotion_id,
        data.amount,
        terms.currency,
        instant(data.starts_at, terms.time_zone),
        instant(data.ends_at, terms.time_zone) if data.ends_at is not None else None,
        channel_id,
    )
    return promotion, terms.time_zone


def record(
    work: Work, verb: str, stored: StoredPromotion, changes: tuple[AuditChange, ...]
) -> None:
    record_price_change(work, ENTITY, verb, stored.id, stored.sku_id, stored.version, changes, {})
