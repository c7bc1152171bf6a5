"""Shipments told to the sales channel (CHN-2 shipment side; LOG-1), and told again.

- ``ChannelReport``: a shipped parcel reported per platform order with its sub-orders
  through orders' connector (``ShipmentReports``). Told: ``channel_reported`` True. Not
  told (the platform did not answer, or the channel has no connector): a failed attempt
  on the shipment, the next one planned with backoff; the ``REPORT_ATTEMPTS``-th failure
  stops the retries and tells the roles concerned (inbox and email), once. Each attempt
  is audited on the shipment with its outcome. Ship (``shipping.py``) makes the first.
- ``RetryChannelReports`` (the sweep ``fulfilment.report_shipments``): the tenant's
  shipments due for another attempt, locked ``FOR UPDATE SKIP LOCKED`` and reported in
  the same transaction — two schedulers or workers never report a shipment twice, and a
  report the platform took but whose transaction failed is one the platform already has:
  it keeps one confirmation per sub-orders and tracking number.
- ``ReportShipmentAgain`` (a support engineer, ``fulfilment:ship``): one attempt now, its
  count re-armed so the sweep retries it again afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from application.fulfilment.common import load_shipment, store_of
from application.fulfilment.notices import report_failed
from application.fulfilment.ports import DueReports, ShipmentReports
from application.notifications.ports import Notifier
from application.orders.ports import ChannelError
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from application.shared.versions import check_version
from domain.fulfilment.permissions import FULFILMENT_SHIP
from domain.fulfilment.shipment import ENTITY, Shipment

BATCH = 50


class RetryChannelReports(
    Command[int], action="shipment.report_retry", entity=ENTITY, permission=FULFILMENT_SHIP
):
    limit: int = BATCH


class ReportShipmentAgain(
    Command[Shipment], action="shipment.report", entity=ENTITY, permission=FULFILMENT_SHIP
):
    shipment_id: UUID
    expected_version: int | None


class ChannelReport:
    def __init__(self, reports: ShipmentReports, notifier: Notifier) -> None:
        self._reports = reports
        self._notifier = notifier

    async def tell(self, work: Work, shipment: Shipment, now: datetime) -> None:
        """One attempt at telling the channel of ``shipment`` (shipped, with a channel);
        the shipment changed, not saved."""
        if await self._told(work, shipment):
            shipment.channel_told(now)
            work.audit(shipment.id, detail={"channelReport": "told"})
            return
        gave_up = shipment.channel_not_told(now)
        retry = shipment.next_report_at
        detail: dict[str, object] = {
            "channelReport": "failed",
            "attempts": shipment.report_attempts,
            "nextReportAt": retry.isoformat() if retry else None,
        }
        work.audit(shipment.id, detail=detail)
        if gave_up:
            await self._notifier.notify(work.uow, report_failed(shipment))

    async def _told(self, work: Work, shipment: Shipment) -> bool:
        if shipment.channel_id is None:
            return False
        subs: dict[str, list[str]] = {}
        for line in shipment.lines:
            if line.platform_order_id and line.platform_sub_order_id:
                subs.setdefault(line.platform_order_id, []).append(line.platform_sub_order_id)
        try:
            for platform_order_id, sub_order_ids in subs.items():
                told = await self._reports.report(
                    work.uow,
                    shipment.channel_id,
                    platform_order_id,
                    sub_order_ids,
                    shipment.carrier_code,
                    shipment.tracking_no or "",
                )
                if not told:
                    return False
        except ChannelError:  # the platform did not take it: a failed attempt
            return False
        return bool(subs)


class RetryChannelReportsHandler:
    def __init__(self, report: ChannelReport) -> None:
        self._report = report

    async def handle(self, command: RetryChannelReports, work: Work) -> int:
        shipments, now = store_of(work.uow).shipments, work.clock.now()
        due = await shipments.lock_reports_due(now, command.limit)
        for shipment in due:
            read_version = shipment.version
            await self._report.tell(work, shipment, now)
            await shipments.save(shipment, read_version)
            work.publish(shipment)
        return sum(1 for s in due if s.channel_reported)


class ReportShipmentAgainHandler:
    def __init__(self, report: ChannelReport) -> None:
        self._report = report

    async def handle(self, command: ReportShipmentAgain, work: Work) -> Shipment:
        shipment = await load_shipment(work.uow, command.shipment_id, for_update=True)
        check_version(command.expected_version, shipment.version)
        read_version = shipment.version
        shipment.rearm_report()
        await self._report.tell(work, shipment, work.clock.now())
        await store_of(work.uow).shipments.save(shipment, read_version)
        work.publish(shipment)
        return shipment


class ShipmentSweeps:
    """The report retries across tenants, each tenant in its own context (the worker's):
    one batch a tenant and run, the rest at the next run."""

    def __init__(self, use_cases: UseCases, due: DueReports, clock: Clock) -> None:
        self._use_cases = use_cases
        self._due = due
        self._clock = clock

    @runs(RetryChannelReports)
    async def report_everywhere(
        self, context_for: Callable[[UUID], CallContext]
    ) -> dict[UUID, int]:
        told: dict[UUID, int] = {}
        for tenant_id in await self._due.tenants_with_reports_due(self._clock.now()):
            told[tenant_id] = await self._use_cases.run(
                context_for(tenant_id), RetryChannelReports()
            )
        return told
