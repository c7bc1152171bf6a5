"""Tracking (LOG-2): a carrier's events into the waybill register, anomalies alerted once,
a delivery telling orders.

- ``TrackingDesk.accept``: each event of a waybill in the register (others — another
  tenant's or an unknown number — are passed over) is kept once; a new one moves the
  waybill (``Waybill.track``): a delivery failed, a return (not one logistics asked for
  by interception) or a loss raises its alert, once per waybill, to the roles concerned
  (inbox and email); the first ``delivered`` tells orders (``OrderDeliveries``: signed).
- ``AcceptTrackingEvents``: the events a carrier pushes (its callback, HTTP).
- ``PullTracking`` (the sweep ``logistics.track``, per tenant): each active, connected
  carrier's events since its cursor, through its gateway; then the waybills with no scan
  for the tenant's ``stall_hours`` are alerted as stalled, once each. A carrier that does
  not answer is passed over until the next run.
- ``GetTracking``: a shipment's waybill with its timeline (none before it is booked).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from application.fulfilment.ports import FULFILMENT
from application.logistics.carriers import all_carriers, load_carrier
from application.logistics.ports import (
    LOGISTICS,
    CarrierGateways,
    CarrierRefused,
    CarrierUnavailable,
    TrackedTenants,
    TrackingEvent,
)
from application.notifications.ports import Notifier
from application.orders.ports import OrderDeliveries
from application.shared.context import CallContext
from application.shared.use_case import Command, Query, Reading, Work, runs
from application.shared.use_cases import UseCases
from domain.logistics.permissions import LOGISTICS_READ, LOGISTICS_WRITE
from domain.logistics.waybill import (
    ENTITY,
    MAX_LOCATION,
    MAX_TRACKING_NO,
    STATUSES,
    Anomaly,
    Waybill,
)
from domain.notifications.notification import Channel, Notification
from domain.shared.errors import DomainError, NotFound, ValidationFailed, bounded_text

CONCERNED_ROLES = ("warehouse", "customer_service")  # who ships and who answers the buyer
STALL_BATCH = 200
MAX_PUSHED = 500


class AcceptTrackingEvents(
    Command[int],
    action="tracking.accept",
    entity=ENTITY,
    permission=LOGISTICS_WRITE,
    target="carrier_id",
):
    carrier_id: UUID
    events: tuple[TrackingEvent, ...]


class PullTracking(Command[int], action="tracking.pull", entity=ENTITY, permission=LOGISTICS_WRITE):
    pass


@dataclass(frozen=True)
class Tracking:
    shipment_id: UUID
    waybill: Waybill | None  # None: no waybill booked yet
    events: tuple[TrackingEvent, ...]


class GetTracking(Query[Tracking], entity=ENTITY, permission=LOGISTICS_READ, target="shipment_id"):
    shipment_id: UUID


def _alert(waybill: Waybill, anomaly: Anomaly) -> Notification:
    template = f"parcel.{anomaly.value}"
    return Notification(
        topic=template,
        template=template,
        params={
            "orderNumber": waybill.order_number,
            "trackingNo": waybill.tracking_no,
            "carrier": waybill.carrier_code,
            "lastStatus": waybill.last_status or "booked",
        },
        roles=CONCERNED_ROLES,
        link=f"/logistics/shipments/{waybill.shipment_id}/tracking",
        channels=frozenset({Channel.INBOX, Channel.EMAIL}),
    )


class TrackingDesk:
    def __init__(self, notifier: Notifier, orders: OrderDeliveries) -> None:
        self._notifier = notifier
        self._orders = orders

    async def accept(self, work: Work, carrier_code: str, events: Sequence[TrackingEvent]) -> int:
        """The events new to the register, taken in; answers how many."""
        store, now, taken = work.uow.of(LOGISTICS), work.clock.now(), 0
        # Every waybill of the batch locked first, in tracking-number order (a push and the
        # pull sweep over the same parcels would otherwise lock them in opposite orders).
        numbers = [event.tracking_no for event in events]
        await store.waybills.by_tracking_nos(carrier_code, numbers, for_update=True)
        for event in sorted(events, key=lambda e: e.occurred_at):
            waybill = await store.waybills.by_tracking_no(
                carrier_code, event.tracking_no, for_update=True
            )
            if waybill is None or not await store.tracking.add(waybill.shipment_id, event, now):
                continue
            taken += 1
            read_version, was_delivered = waybill.version, waybill.delivered_at is not None
            anomaly = waybill.track(event.status, event.occurred_at)
            await store.waybills.save(waybill, read_version)
            if anomaly is not None:
                await self.alert(work, waybill, anomaly)
            if waybill.delivered_at is not None and not was_delivered:
                parcels = await store.waybills.of_order(waybill.order_id)
                last = all(p.delivered_at is not None for p in parcels if not p.cancelled)
                await self._orders.delivered(
                    work, waybill.order_id, waybill.tracking_no, event.occurred_at, last=last
                )
        return taken

    async def alert(self, work: Work, waybill: Waybill, anomaly: Anomaly) -> None:
        await self._notifier.notify(work.uow, _alert(waybill, anomaly))
        work.audit(
            waybill.shipment_id,
            detail={"anomaly": anomaly.value, "trackingNo": waybill.tracking_no},
            action="tracking.anomaly",
        )


def checked_events(events: Sequence[TrackingEvent]) -> tuple[TrackingEvent, ...]:
    """Pushed events: at most ``MAX_PUSHED``, each of a status logistics knows."""
    if len(events) > MAX_PUSHED:
        raise ValidationFailed.single("events", "too_many_items", max=MAX_PUSHED)
    for i, event in enumerate(events):
        if event.status not in STATUSES:
            raise ValidationFailed.single(f"events[{i}].status", "unknown_tracking_status")
        bounded_text(f"events[{i}].trackingNo", event.tracking_no, MAX_TRACKING_NO)
        if len(event.location) > MAX_LOCATION:
            raise ValidationFailed.single(f"events[{i}].location", "too_long", max=MAX_LOCATION)
    return tuple(events)


def usable_pulled(events: Sequence[TrackingEvent]) -> tuple[TrackingEvent, ...]:
    """Pulled events a carrier sent: those logistics can take (a status it knows, a
    tracking number and location within bounds, a moment with its zone). The rest are
    passed over rather than refused: refusing would hold the carrier's cursor, and every
    later event behind it, for ever."""
    return tuple(
        event
        for event in events
        if event.status in STATUSES
        and 0 < len(event.tracking_no) <= MAX_TRACKING_NO
        and len(event.location) <= MAX_LOCATION
        and event.occurred_at.tzinfo is not None
    )


class AcceptTrackingEventsHandler:
    def __init__(self, desk: TrackingDesk) -> None:
        self._desk = desk

    async def handle(self, command: AcceptTrackingEvents, work: Work) -> int:
        carrier = await load_carrier(work.uow, command.carrier_id)
        return await self._desk.accept(work, carrier.code, checked_events(command.events))


class PullTrackingHandler:
    def __init__(self, desk: TrackingDesk, gateways: CarrierGateways) -> None:
        self._desk = desk
        self._gateways = gateways

    async def handle(self, command: PullTracking, work: Work) -> int:
        store, taken = work.uow.of(LOGISTICS), 0
        for carrier in await all_carriers(work.uow):
            if not carrier.active or carrier.gateway_kind is None or carrier.endpoint is None:
                continue
            gateway = self._gateways.gateway(carrier.gateway_kind, carrier.endpoint)
            try:
                page = await gateway.events(carrier.code, await store.tracking.cursor(carrier.code))
            except (CarrierUnavailable, CarrierRefused):
                continue  # the next run asks again from the same cursor
            taken += await self._desk.accept(work, carrier.code, usable_pulled(page.events))
            await store.tracking.set_cursor(carrier.code, page.cursor)
        await self._stalls(work)
        return taken

    async def _stalls(self, work: Work) -> None:
        store, now = work.uow.of(LOGISTICS), work.clock.now()
        hours = (await store.settings.get()).stall_hours
        for waybill in await store.waybills.lock_quiet(now - timedelta(hours=hours), STALL_BATCH):
            read_version = waybill.version
            anomaly = waybill.stalled(now, hours)
            if anomaly is not None:
                await store.waybills.save(waybill, read_version)
                await self._desk.alert(work, waybill, anomaly)


class GetTrackingHandler:
    async def handle(self, query: GetTracking, reading: Reading) -> Tracking:
        if await reading.uow.of(FULFILMENT).shipments.get(query.shipment_id) is None:
            raise NotFound(entity="shipment")
        store = reading.uow.of(LOGISTICS)
        waybill = await store.waybills.get(query.shipment_id)
        events = await store.tracking.of_shipment(query.shipment_id) if waybill else []
        return Tracking(query.shipment_id, waybill, tuple(events))


class TrackingSweeps:
    """The tracking pull across tenants, each in its own context (the worker's)."""

    def __init__(self, use_cases: UseCases, tenants: TrackedTenants) -> None:
        self._use_cases = use_cases
        self._tenants = tenants

    @runs(PullTracking)
    async def track_everywhere(self, context_for: Callable[[UUID], CallContext]) -> dict[UUID, int]:
        """Each tenant's pull; one refused (audited as failed by the runner) does not stop
        the others'."""
        taken: dict[UUID, int] = {}
        for tenant_id in await self._tenants.tenants_with_carriers():
            try:
                taken[tenant_id] = await self._use_cases.run(context_for(tenant_id), PullTracking())
            except DomainError:
                continue
        return taken
