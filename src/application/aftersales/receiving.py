"""The return parcel received (ORD-6): per case line, the units resellable and damaged,
counted into a returns warehouse through inventory's port (resellable → available,
damaged → non-sellable) in the case's transaction, a batch-managed SKU's into the batch
named and a serial-managed SKU's with its serials (INV-8: inventory refuses a batch or
serials missing or wrong, and the whole receipt with them); partial receipts allowed, never more
than a line still expects. An exchange's held replacement is released once every unit
is back.
"""

from __future__ import annotations

from uuid import UUID

from application.aftersales.common import changed
from application.inventory.ports import ReturnedGoods, ReturnReceipts
from application.orders.ports import AftersalesOrders
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.permissions import AFTERSALES_WRITE
from domain.aftersales.records import ReceivedUnits
from domain.inventory.stock import InspectionResult


class ReceiveCaseReturn(
    Command[AftersalesCase],
    action="aftersales_case.receive",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
    target="case_id",
):
    case_id: UUID
    warehouse_id: UUID  # a returns warehouse
    lines: tuple[ReceivedUnits, ...]
    expected_version: int | None


class ReceiveCaseReturnHandler:
    def __init__(self, receipts: ReturnReceipts, orders: AftersalesOrders) -> None:
        self._receipts = receipts
        self._orders = orders

    async def handle(self, command: ReceiveCaseReturn, work: Work) -> AftersalesCase:
        async def receive(case: AftersalesCase) -> None:
            case.receive(command.lines, work.clock.now(), work.ctx.actor.label)
            skus = {line.line_no: line.sku_id for line in case.lines}
            for got in command.lines:
                for units, result, serials in (
                    (got.resellable, InspectionResult.RESELLABLE, got.serials),
                    (got.damaged, InspectionResult.DAMAGED, got.damaged_serials),
                ):
                    if units or serials:
                        goods = ReturnedGoods(
                            skus[got.line_no],
                            command.warehouse_id,
                            units,
                            result,
                            ENTITY,
                            case.id,
                            batch_no=got.batch_no,
                            serials=serials or None,
                        )
                        await self._receipts.receive(work, goods)
            if (
                case.kind is CaseKind.EXCHANGE
                and case.status is CaseStatus.RECEIVED
                and case.replacement_order_id is not None
            ):
                reason = f"returned goods received for after-sales case {case.id}"
                await self._orders.release_replacement(work, case.replacement_order_id, reason)

        return await changed(work, command.case_id, command.expected_version, receive)
