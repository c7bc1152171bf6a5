"""The order's timeline: every transition and every edit, with who, why and which rule.

"Why is this order held?" is answered by the order itself: the entry that held it names
the actor, the reason and — when a rule did it — the rule's id and version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Who acted: "user:<uuid>", "api_key:<uuid>", "rule_engine", "channel:<code>", "system:<job>".
# The application layer writes it from the call context; the domain only records it.
Actor = str


class SystemReason(StrEnum):
    """The reasons the system itself gives on a timeline (stored as these words, as before;
    every client may show its own words for them). A prefixed one (``rejoined: <reason>``)
    carries the person's reason after it."""

    APPROVED = "approved"
    FULLY_PAID = "fully paid"
    WAITING_FOR_REVIEW = "waiting for review"
    WAVE_PLANNED = "wave planned"
    SIGNED_FOR = "signed for"
    UNPAID_TIMEOUT = "unpaid_timeout"
    REJOINED = "rejoined"
    UNMERGED = "unmerged"
    INTERCEPTED = "intercepted"
    ADDRESS_COMPLETED = "address completed"
    BALANCE_SETTLED = "balance settled"
    REFUND_WITHDRAWN = "refund request withdrawn"
    RECEIPT_CONFIRMED = "receipt confirmed"  # completed once the return window passed

    def because(self, reason: str) -> str:
        """This reason with a person's after it: ``rejoined: 合并发货``."""
        return f"{self.value}: {reason}"


class TimelineKind(StrEnum):
    """What a timeline entry records: every kind the orders module writes (an entry read
    back keeps its kind as text)."""

    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    HOLD_SET = "hold_set"
    HOLD_RELEASED = "hold_released"
    ABNORMAL_MARKED = "abnormal_marked"
    ABNORMAL_RESOLVED = "abnormal_resolved"
    WAREHOUSE_ASSIGNED = "warehouse_assigned"
    CARRIER_ASSIGNED = "carrier_assigned"
    MERGE_ELIGIBLE = "merge_eligible"
    PRIORITY_SET = "priority_set"
    SHIPMENT_RECORDED = "shipment_recorded"
    REFUND_REQUESTED = "refund_requested"
    REFUND_REQUEST_WITHDRAWN = "refund_request_withdrawn"
    LINE_ADDED = "line_added"
    GIFT_ADDED = "gift_added"
    LINE_REMOVED = "line_removed"
    QUANTITY_CHANGED = "quantity_changed"
    PRICE_ADJUSTED = "price_adjusted"
    ADDRESS_CHANGED = "address_changed"
    REVIEW_AGAIN = "review_again"
    PAYMENT_RECORDED = "payment_recorded"
    REFUND_RECORDED = "refund_recorded"
    SPLIT_FROM = "split_from"
    SPLIT_INTO = "split_into"
    SPLIT_REQUESTED = "split_requested"
    SPLIT_REFUSED = "split_refused"
    REJOINED = "rejoined"
    MERGED = "merged"
    MERGED_INTO = "merged_into"
    UNMERGED = "unmerged"
    STOCK_NOT_MOVED = "stock_not_moved"
    PARCEL_DELIVERED = "parcel_delivered"
    WAVE_PLANNED = "wave_planned"
    SHORT_PICK = "short_pick"
    INTERCEPTED = "intercepted"
    INTERCEPTION_REQUESTED = "interception_requested"


@dataclass(frozen=True)
class RuleRef:
    rule_id: str
    version: int

    def __str__(self) -> str:
        return f"{self.rule_id}@v{self.version}"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: Actor
    kind: str  # a TimelineKind's value
    reason: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    rule: RuleRef | None = None
    detail: Mapping[str, str] = field(default_factory=dict)
