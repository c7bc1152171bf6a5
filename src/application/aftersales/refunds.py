"""A case's refund (ORD-6), recorded against the order's payment it returns through
orders' port: exact to the fen, never more than the payment holds (orders refuses) nor
more than the case agreed (the case refuses), once per key — the same refund sent twice
records once. Unversioned, like a payment: refunds arrive from outside and add up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import UUID

from application.aftersales.common import changed
from application.orders.ports import AftersalesOrders
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.permissions import AFTERSALES_REFUND
from domain.aftersales.records import CaseRefund
from domain.orders.payment_records import Refund
from domain.shared.errors import ValidationFailed

MAX_KEY = 64
# A provider's refund id: letters, digits and the punctuation ids use.
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$")


class RefundCase(
    Command[AftersalesCase],
    action="aftersales_case.refund",
    entity=ENTITY,
    permission=AFTERSALES_REFUND,
    target="case_id",
):
    case_id: UUID
    payment_id: UUID
    amount: Decimal
    key: str  # the refund's own reference (a provider's refund id): once per case


class RefundCaseHandler:
    def __init__(self, orders: AftersalesOrders) -> None:
        self._orders = orders

    async def handle(self, command: RefundCase, work: Work) -> AftersalesCase:
        key = command.key
        if not KEY.match(key):
            raise ValidationFailed.single("key", "invalid_refund_key", max=MAX_KEY)

        async def refund(case: AftersalesCase) -> None:
            now, actor = work.clock.now(), work.ctx.actor.label
            recorded = CaseRefund(
                work.ids.new_id(), command.payment_id, command.amount, key, actor, now
            )
            if not case.record_refund(recorded):
                return  # this key is recorded already: nothing again
            reason = f"after-sales case {case.id}"
            await self._orders.refund_returned(
                work,
                case.order_id,
                Refund(recorded.id, command.payment_id, command.amount, reason, now, key),
            )

        return await changed(work, command.case_id, None, refund, versioned=False)
