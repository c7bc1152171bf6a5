"""The return parcel received (ORD-6): per case line, the units resellable and damaged,
counted into a returns warehouse through inventory's port (resellable → available,
damaged → non-sellable) in the case's transaction, a batch-managed SKU's into the batch
named and a serial-managed SKU's with its serials (INV-8: inventory refuses a batch or
serials missing or wrong, and the whole receipt with them); partial receipts allowed, never more
than a line still expects. An exchange's held replacement is released once every unit
is back.

A returned serial must be one this order shipped: the serial's last issue from stock
(inventory's ledger) was a reservation of the case's order — else 422
``serial_not_shipped_with_order`` on the line's ``serials`` or ``damagedSerials``, and
nothing moves.
"""

from __future__ import annotations

from uuid import UUID

from application.aftersales.common import changed
from application.inventory.ports import INVENTORY, ReturnedGoods, ReturnReceipts
from application.orders.ports import AftersalesOrders
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.permissions import AFTERSALES_WRITE
from domain.aftersales.records import ReceivedUnits
from domain.inventory.stock import InspectionResult, MovementKind
from domain.shared.errors import ValidationFailed

ORDER_SOURCE, RESERVATION_SOURCE = "order", "reservation"  # as orders and inventory name them


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


async def _shipped_with(uow: UnitOfWork, order_id: UUID, sku_id: UUID, serial: str) -> bool:
    """Whether ``serial``'s last issue from stock was a reservation of ``order_id``."""
    inventory = uow.of(INVENTORY)
    record = await inventory.batches.serial(sku_id, serial)
    issues = [m for m in (record.moves if record else ()) if m.kind is MovementKind.ISSUE]
    last = issues[-1] if issues else None
    if last is None or last.source_type != RESERVATION_SOURCE or last.source_id is None:
        return False
    reservation = await inventory.reservations.get(last.source_id)
    return (
        reservation is not None
        and reservation.source_type == ORDER_SOURCE
        and reservation.source_id == order_id
    )


async def _check_shipped_serials(
    uow: UnitOfWork, case: AftersalesCase, lines: tuple[ReceivedUnits, ...]
) -> None:
    """Every serial the receipt names was shipped with the case's order (422 otherwise)."""
    skus = {line.line_no: line.sku_id for line in case.lines}
    for i, got in enumerate(lines):
        for field, serials in (("serials", got.serials), ("damagedSerials", got.damaged_serials)):
            for serial in serials:
                if not await _shipped_with(uow, case.order_id, skus[got.line_no], serial):
                    raise ValidationFailed.single(
                        f"lines[{i}].{field}", "serial_not_shipped_with_order", serial=serial
                    )


class ReceiveCaseReturnHandler:
    def __init__(self, receipts: ReturnReceipts, orders: AftersalesOrders) -> None:
        self._receipts = receipts
        self._orders = orders

    async def handle(self, command: ReceiveCaseReturn, work: Work) -> AftersalesCase:
        async def receive(case: AftersalesCase) -> None:
            case.receive(command.lines, work.clock.now(), work.ctx.actor.label)
            await _check_shipped_serials(work.uow, case, command.lines)
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
