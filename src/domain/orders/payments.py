"""Recording payments and refunds on an order (ORD-3); the records are payment_records.py.

A payment moves an unpaid order to paid once it is covered (an interrupted one returns to
paid when released). A platform transaction id is recorded once: a connector that pulls
the same page twice records nothing new. A refund returns money of one payment, never
more than that payment still holds, and never for goods already shipped — unless
after-sales returns it for goods sent back (``record_return_refund``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from domain.orders.errors import PaymentRefused
from domain.orders.payment_records import Payment, Refund
from domain.orders.state import OrderState
from domain.orders.status import OrderStatus
from domain.orders.timeline import Actor, SystemReason, TimelineKind
from domain.orders.values import ZERO, clean_text, exact
from domain.shared.errors import ValidationFailed


class OrderPayments(OrderState):
    def record_payment(self, payment: Payment, actor: Actor) -> bool:
        """Record ``payment``; False (nothing changes) when its transaction id is already
        recorded on this order."""
        if self.status is OrderStatus.CANCELLED or self.retired:
            raise PaymentRefused(reason="order_closed", status=self.status.value)
        exact(payment.amount, self.currency, "payment.amount")
        if payment.amount == 0:
            raise ValidationFailed.single("payment.amount", "amount_zero")
        known = {p.transaction_id for p in self.payments if p.transaction_id}
        if payment.transaction_id and payment.transaction_id in known:
            return False
        if any(p.id == payment.id for p in self.payments):
            return False
        self.payments = (*self.payments, payment)
        detail = {"method": payment.method.value, "amount": str(payment.amount)}
        self._log(payment.paid_at, actor, TimelineKind.PAYMENT_RECORDED, detail=detail)
        self._changed("order.payment_recorded", ("payments",), payment=str(payment.id))
        if self.is_fully_paid:
            self._now_paid(payment.paid_at, actor)
        # a cause settled (unpaid, a balance owed) closes; an overpayment is the caller's
        # to open once the order has reached the status it was paid into
        self.recheck_causes(payment.paid_at, actor)
        return True

    def _now_paid(self, at: datetime, actor: Actor) -> None:
        if self.paid_at is None:
            self.paid_at = at
        if self.status is OrderStatus.PENDING_PAYMENT:
            self._transition(OrderStatus.PAID, at, actor, SystemReason.FULLY_PAID, None)
        elif self.resume_status is OrderStatus.PENDING_PAYMENT:
            self.resume_status = OrderStatus.PAID

    def refundable(self) -> Decimal:
        """What may still be refunded before after-sales: what was paid, less the value of
        the goods already shipped (their share of each line's net amount)."""
        shipped = ZERO
        for line in self.lines:
            sent = self.shipped_quantities.get(line.id, 0)
            if sent:
                shipped += line.net * sent / line.quantity
        return max(self.paid_amount - shipped, ZERO)

    def record_refund(self, refund: Refund, actor: Actor) -> None:
        self._refund(refund, actor, returned_goods=False)

    def record_return_refund(self, refund: Refund, actor: Actor) -> bool:
        """After-sales (ORD-6): money for goods the buyer returned (or never needs to,
        refund only) — shipped goods too — never more than the payment still holds.
        False (nothing changes) when a refund of this id is recorded already."""
        if any(r.id == refund.id for r in self.refunds):
            return False
        self._refund(refund, actor, returned_goods=True)
        return True

    def _refund(self, refund: Refund, actor: Actor, *, returned_goods: bool) -> None:
        exact(refund.amount, self.currency, "refund.amount")
        if refund.amount == 0:
            raise ValidationFailed.single("refund.amount", "amount_zero")
        if not clean_text(refund.reason, "refund.reason", 200):
            raise ValidationFailed.single("refund.reason", "required")
        payment = next((p for p in self.payments if p.id == refund.payment_id), None)
        if payment is None:
            raise PaymentRefused(reason="unknown_payment", payment=str(refund.payment_id))
        returned = sum((r.amount for r in self.refunds if r.payment_id == payment.id), ZERO)
        if refund.amount > payment.amount - returned:
            raise PaymentRefused(
                reason="more_than_payment_holds",
                amount=str(refund.amount),
                available=str(payment.amount - returned),
            )
        if not returned_goods and refund.amount > self.refundable():
            raise PaymentRefused(
                reason="goods_already_shipped",
                amount=str(refund.amount),
                available=str(self.refundable()),
            )
        self.refunds = (*self.refunds, refund)
        detail = {"payment": str(payment.id), "amount": str(refund.amount)}
        if returned_goods:
            detail["after_sales"] = "true"
        self._log(
            refund.refunded_at,
            actor,
            TimelineKind.REFUND_RECORDED,
            reason=refund.reason,
            detail=detail,
        )
        self._changed("order.refund_recorded", ("refunds",), refund=str(refund.id))
        self.recheck_causes(refund.refunded_at, actor)  # settles a difference, never opens one
