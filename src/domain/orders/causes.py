"""The abnormal types the order's own figures decide (ORD-5): opened when the order shows
their cause, closed automatically once it no longer does.

- ``address_incomplete``: the receiver lacks a name, a phone or a part of the address
  (province, city, district, street). Opened at intake and by an address change;
  closed when the address is completed.
- ``paid_amount_mismatch``: a paid order whose payments, less refunds, no longer equal
  its total — an edit raised or lowered it, or more was paid than is due — and no refund
  the buyer asked for explains it. Opened by an edit, at intake and when a payment is
  recorded, while the order can still be stopped (before it ships); a refund alone never
  opens it (it is the merchant's own act). Closed when the balance is settled (the
  difference paid, or refunded).
- ``unpaid_too_long`` (a rule's ``unpaid_for_hours`` opens it): closed once paid.
- ``refund_requested`` (the intake opens it): closed when the request is withdrawn.

A rule that marks ``address_incomplete`` (say, on words such as 自提点 in the address)
judged more than the figures show, so only a person closes that one; what the check
opened itself carries no rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from domain.orders.abnormal import AbnormalType
from domain.orders.state import OrderState
from domain.orders.timeline import SystemReason


def _address_incomplete(order: OrderState) -> bool:
    return not order.receiver.is_complete


def _paid_amount_mismatch(order: OrderState) -> bool:
    # A refund the buyer asked for explains a difference: ``refund_requested`` says so.
    return order.paid_at is not None and not order.refund_requested and order.balance_due != 0


def _unpaid(order: OrderState) -> bool:
    return not order.is_fully_paid


def _refund_requested(order: OrderState) -> bool:
    return order.refund_requested


CAUSES: Mapping[AbnormalType, Callable[[OrderState], bool]] = {
    AbnormalType.ADDRESS_INCOMPLETE: _address_incomplete,
    AbnormalType.PAID_AMOUNT_MISMATCH: _paid_amount_mismatch,
    AbnormalType.UNPAID_TOO_LONG: _unpaid,
    AbnormalType.REFUND_REQUESTED: _refund_requested,
}
"""Each type's cause: True while the order shows it."""

DETECTED: Mapping[AbnormalType, str] = {
    AbnormalType.ADDRESS_INCOMPLETE: "receiver incomplete",
    AbnormalType.PAID_AMOUNT_MISMATCH: "paid amount differs from the total",
}
"""The types the check opens itself, with the note it records."""

GONE: Mapping[AbnormalType, SystemReason] = {
    AbnormalType.ADDRESS_INCOMPLETE: SystemReason.ADDRESS_COMPLETED,
    AbnormalType.PAID_AMOUNT_MISMATCH: SystemReason.BALANCE_SETTLED,
    AbnormalType.UNPAID_TOO_LONG: SystemReason.FULLY_PAID,
    AbnormalType.REFUND_REQUESTED: SystemReason.REFUND_WITHDRAWN,
}
"""The reason the timeline gives when a type's cause went away."""


def missing_parts(order: OrderState) -> str:
    """The receiver's empty parts, as field names (codes, no personal data)."""
    receiver, address = order.receiver, order.receiver.address
    parts = {
        "name": receiver.name,
        "phone": receiver.phone,
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "line": address.line,
    }
    return ",".join(name for name, value in parts.items() if not value.strip())
