"""/api/v1/logistics: tracking events a carrier pushes, a shipment's tracking timeline,
and the tenant's logistics settings (LOG-2)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, JSONBody

from application.logistics.ports import LogisticsSettings
from application.logistics.settings import GetLogisticsSettings, SetLogisticsSettings
from application.logistics.tracking import AcceptTrackingEvents, GetTracking, Tracking
from entrypoints.http.conventions import Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.logistics.schemas import (
    AcceptedOut,
    SettingsIn,
    SettingsOut,
    TrackingEventOut,
    TrackingEventsIn,
    TrackingOut,
)
from entrypoints.http.permissions import needs


def tracking_out(tracking: Tracking) -> TrackingOut:
    events = [TrackingEventOut.of(event) for event in tracking.events]
    waybill = tracking.waybill
    if waybill is None:
        return TrackingOut(tracking.shipment_id, None, None, None, None, None, None, [], None, [])
    return TrackingOut.of(waybill, anomalies=list(waybill.anomalies), events=events)


def settings_out(settings: LogisticsSettings) -> SettingsOut:
    return SettingsOut.of(settings)


class TrackingController(Controller):
    @post(
        "/carriers/{carrier_id:uuid}/tracking-events",
        status_code=200,
        opt=needs(AcceptTrackingEvents),
    )
    async def accept_tracking_events(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        carrier_id: FromPath[UUID],
        data: JSONBody[TrackingEventsIn],
    ) -> Response[AcceptedOut]:
        """The carrier's callback: tracking events it pushes (each kept once; events of
        waybills the company did not book are passed over)."""
        command = AcceptTrackingEvents(carrier_id, tuple(e.event() for e in data.events))
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command), lambda n: Rendered(AcceptedOut(n))
        )

    @get("/shipments/{shipment_id:uuid}/tracking", opt=needs(GetTracking))
    async def get_tracking(
        self, ctx: Context, use_cases: Dispatch, shipment_id: FromPath[UUID]
    ) -> TrackingOut:
        """A shipment's waybill: its last status, the anomalies alerted and its timeline."""
        return tracking_out(await use_cases.query(ctx, GetTracking(shipment_id)))


class SettingsController(Controller):
    path = "/settings"

    @get("/", opt=needs(GetLogisticsSettings))
    async def get_settings(self, ctx: Context, use_cases: Dispatch) -> Response[SettingsOut]:
        """Hours without a scan before a parcel is stalled (default 48), the tolerance of a
        carrier's billed weight (percent, default 5)."""
        return etagged(settings_out, await use_cases.query(ctx, GetLogisticsSettings()))

    @put("/", opt=needs(SetLogisticsSettings))
    async def put_settings(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[SettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[SettingsOut]:
        """Set them (If-Match; "v0" the first time)."""
        command = data.to(SetLogisticsSettings, expected_version=expected_version)
        return etagged(settings_out, await use_cases.run(ctx, command))
