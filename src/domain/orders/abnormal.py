"""Abnormal order types (ORD-5): a typed queue, each type saying how it is released and
how soon staff should have dealt with it.

``automatic`` types are released by the system when their cause goes away (stock arrives,
the SKU gets mapped, the payment is completed); ``manual`` ones only by a person with
``orders:review``. The target time is the age after which the order is overdue in the
work queue (ORD-8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.orders.timeline import RuleRef


class AbnormalType(StrEnum):
    OUT_OF_STOCK = "out_of_stock"
    ADDRESS_INCOMPLETE = "address_incomplete"
    BLACKLISTED_BUYER = "blacklisted_buyer"
    MESSAGE_TO_READ = "message_to_read"  # buyer message or seller memo to read
    PRICE_BELOW_COST = "price_below_cost"
    PRICE_FAR_BELOW_LIST = "price_far_below_list"
    SUSPECTED_FRAUD = "suspected_fraud"
    UNPAID_TOO_LONG = "unpaid_too_long"
    LIKELY_DUPLICATE = "likely_duplicate"
    REFUND_REQUESTED = "refund_requested"
    PAID_AMOUNT_MISMATCH = "paid_amount_mismatch"
    SKU_NOT_MAPPED = "sku_not_mapped"


class Release(StrEnum):
    AUTOMATIC = "automatic"  # when the cause goes away (a person may release it too)
    MANUAL = "manual"  # only a person


@dataclass(frozen=True)
class AbnormalPolicy:
    release: Release
    target: timedelta


_H = timedelta(hours=1)

POLICIES: Mapping[AbnormalType, AbnormalPolicy] = {
    AbnormalType.OUT_OF_STOCK: AbnormalPolicy(Release.AUTOMATIC, 48 * _H),
    AbnormalType.ADDRESS_INCOMPLETE: AbnormalPolicy(Release.AUTOMATIC, 4 * _H),
    AbnormalType.BLACKLISTED_BUYER: AbnormalPolicy(Release.MANUAL, 4 * _H),
    AbnormalType.MESSAGE_TO_READ: AbnormalPolicy(Release.MANUAL, 2 * _H),
    AbnormalType.PRICE_BELOW_COST: AbnormalPolicy(Release.MANUAL, 4 * _H),
    AbnormalType.PRICE_FAR_BELOW_LIST: AbnormalPolicy(Release.MANUAL, 4 * _H),
    AbnormalType.SUSPECTED_FRAUD: AbnormalPolicy(Release.MANUAL, 2 * _H),
    AbnormalType.UNPAID_TOO_LONG: AbnormalPolicy(Release.AUTOMATIC, 24 * _H),
    AbnormalType.LIKELY_DUPLICATE: AbnormalPolicy(Release.MANUAL, 4 * _H),
    AbnormalType.REFUND_REQUESTED: AbnormalPolicy(Release.AUTOMATIC, 2 * _H),
    AbnormalType.PAID_AMOUNT_MISMATCH: AbnormalPolicy(Release.AUTOMATIC, 8 * _H),
    AbnormalType.SKU_NOT_MAPPED: AbnormalPolicy(Release.AUTOMATIC, 8 * _H),
}


@dataclass(frozen=True)
class Abnormality:
    """One open reason an order is abnormal. ``detail`` holds codes and ids only (the
    SKUs out of stock, the duplicate's id); a suspected fraud carries its score and reasons."""

    type: AbnormalType
    since: datetime
    note: str | None = None
    detail: Mapping[str, str] = field(default_factory=dict)
    risk_score: int | None = None
    risk_reasons: tuple[str, ...] = ()
    rule: RuleRef | None = None

    @property
    def policy(self) -> AbnormalPolicy:
        return POLICIES[self.type]

    def due(self) -> datetime:
        return self.since + self.policy.target

    def is_overdue(self, now: datetime) -> bool:
        return now > self.due()

    def age(self, now: datetime) -> timedelta:
        return now - self.since
