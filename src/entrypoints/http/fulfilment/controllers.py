"""/api/v1/fulfilment (LOG-1): waves and their pick lists, pick and verify scans,
weighing, waybills, documents, shipping, channel reports again and interception."""

from __future__ import annotations

from collections.abc import Awaitable
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, JSONBody

from application.fulfilment.documents import ShipmentDocuments, WaveDocuments
from application.fulfilment.planning import PlanWaves
from application.fulfilment.ports import FulfilmentSettings
from application.fulfilment.reporting import ReportShipmentAgain
from application.fulfilment.scanning import (
    GetFulfilmentSettings,
    GetShipment,
    GetWave,
    ListWaves,
    ListWaveShipments,
    ScanPick,
    ScanVerify,
    SetFulfilmentSettings,
    WeighShipment,
)
from application.fulfilment.shipping import BookWaybill, InterceptShipment, ShipShipment
from application.fulfilment.shortages import ShortenShipment
from application.shared.context import CallContext
from application.shared.use_case import Command
from application.shared.use_cases import UseCases
from domain.fulfilment.shipment import Shipment, ShipmentStep
from domain.fulfilment.wave import Wave
from entrypoints.http.conventions import Cursor, Idempotency, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.fulfilment.schemas import (
    InterceptIn,
    PickIn,
    PlanIn,
    SettingsIn,
    SettingsOut,
    ShipmentLineOut,
    ShipmentOut,
    ShortIn,
    VerifyIn,
    WaveLineOut,
    WaveOut,
    WavePageOut,
    WeighIn,
)
from entrypoints.http.permissions import needs

PDF = "application/pdf"


def wave_out(wave: Wave) -> WaveOut:
    return WaveOut.of(
        wave,
        lines=[WaveLineOut.of(line, serials=list(line.serials)) for line in wave.lines],
        order_ids=list(wave.order_ids),
        zones=list(wave.zones),
    )


def shipment_out(shipment: Shipment) -> ShipmentOut:
    return ShipmentOut.of(
        shipment,
        next_steps=[step for step in ShipmentStep if step in shipment.next_steps],
        lines=[ShipmentLineOut.of(line, serials=list(line.serials)) for line in shipment.lines],
        expected_grams=shipment.expected_grams,
        weight_deviation_percent=shipment.deviation(),
    )


def _shipment(shipment: Shipment) -> Rendered[ShipmentOut]:
    return Rendered(shipment_out(shipment), version=shipment.version)


def _step(
    ctx: CallContext, use_cases: UseCases, idempotency: Idempotency, command: Command[Shipment]
) -> Awaitable[Response[ShipmentOut]]:
    """A step on a shipment, run once per Idempotency-Key: the shipment with its ETag."""
    return idempotency.respond(lambda: use_cases.run(ctx, command), _shipment)


def settings_out(settings: FulfilmentSettings) -> SettingsOut:
    return SettingsOut.of(settings)


class WavesController(Controller):
    path = "/waves"

    @get("/", opt=needs(ListWaves))
    async def list_waves(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> WavePageOut:
        """The company's waves, oldest first."""
        return WavePageOut.of_page(
            await use_cases.query(ctx, ListWaves.window(cursor, limit)), wave_out
        )

    @post("/plan", status_code=200, opt=needs(PlanWaves))
    async def plan_waves(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[PlanIn]
    ) -> Response[list[WaveOut]]:
        """Group the approved and allocated orders into waves (by warehouse and carrier,
        single-SKU orders apart); their stock is pick-locked and they move to picking."""
        command = data.to(PlanWaves)
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda waves: Rendered([wave_out(w) for w in waves]),
        )

    @get("/{wave_id:uuid}", opt=needs(GetWave))
    async def get_wave(
        self, ctx: Context, use_cases: Dispatch, wave_id: FromPath[UUID]
    ) -> Response[WaveOut]:
        """One wave with its pick list (its SKUs in bin order)."""
        return etagged(wave_out, await use_cases.query(ctx, GetWave(wave_id)))

    @get("/{wave_id:uuid}/shipments", opt=needs(ListWaveShipments))
    async def wave_shipments(
        self, ctx: Context, use_cases: Dispatch, wave_id: FromPath[UUID]
    ) -> list[ShipmentOut]:
        """The wave's shipments (one per order), in order number order."""
        found = await use_cases.query(ctx, ListWaveShipments(wave_id))
        return [shipment_out(s) for s in found]

    @post("/{wave_id:uuid}/picks", status_code=200, opt=needs(ScanPick))
    async def scan_pick(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        wave_id: FromPath[UUID],
        data: JSONBody[PickIn],
    ) -> Response[WaveOut]:
        """A pick scan: units of the SKU scanned taken from its bin (409 for a SKU not in
        the wave or units beyond what it needs); a serial-managed SKU's with its serials,
        one a unit, each in stock in the wave's warehouse."""
        command = data.to(ScanPick, wave_id=wave_id, serials=tuple(data.serials))
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command), lambda w: Rendered(wave_out(w), version=w.version)
        )

    @get("/{wave_id:uuid}/documents", media_type=PDF, opt=needs(WaveDocuments))
    async def wave_documents(
        self, ctx: Context, use_cases: Dispatch, wave_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The wave's packing slips and labels, one page a shipment (PDF)."""
        return Response(await use_cases.query(ctx, WaveDocuments(wave_id)), media_type=PDF)


class ShipmentsController(Controller):
    path = "/shipments"

    @get("/{shipment_id:uuid}", opt=needs(GetShipment))
    async def get_shipment(
        self, ctx: Context, use_cases: Dispatch, shipment_id: FromPath[UUID]
    ) -> Response[ShipmentOut]:
        """One shipment."""
        return etagged(shipment_out, await use_cases.query(ctx, GetShipment(shipment_id)))

    @post("/{shipment_id:uuid}/verify", status_code=200, opt=needs(ScanVerify))
    async def scan_verify(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        data: JSONBody[VerifyIn],
    ) -> Response[ShipmentOut]:
        """A verify scan (验货): one unit into the parcel, with its serial where the SKU
        keeps them; a wrong item or an extra unit is refused (409)."""
        command = data.to(ScanVerify, shipment_id=shipment_id)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/weigh", status_code=200, opt=needs(WeighShipment))
    async def weigh(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        data: JSONBody[WeighIn],
    ) -> Response[ShipmentOut]:
        """Record the package weight (称重); beyond the tolerance it is flagged."""
        command = data.to(WeighShipment, shipment_id=shipment_id)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/short", status_code=200, opt=needs(ShortenShipment))
    async def short_pick(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        expected_version: ExpectedVersion,
        data: JSONBody[ShortIn],
    ) -> Response[ShipmentOut]:
        """A short pick (缺货, If-Match): the parcel's lines cut to the units there are; it
        ships those and the order ships the rest in a later wave (a partial shipment)."""
        lines = tuple(line.short() for line in data.lines)
        command = ShortenShipment(shipment_id, lines, expected_version)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/waybill", status_code=200, opt=needs(BookWaybill))
    async def book_waybill(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[ShipmentOut]:
        """Book the waybill with the carrier (打单, If-Match)."""
        command = BookWaybill(shipment_id, expected_version)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/ship", status_code=200, opt=needs(ShipShipment))
    async def ship(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[ShipmentOut]:
        """Dispatch (发货, If-Match): stock issued, the order shipped, the channel told."""
        command = ShipShipment(shipment_id, expected_version)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/report", status_code=200, opt=needs(ReportShipmentAgain))
    async def report_again(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[ShipmentOut]:
        """Report a shipped parcel to its sales channel again (If-Match), when it was not
        told: one attempt now (``channelReported`` says how it went) and the automatic
        retries re-armed; 409 ``shipment_report_not_due`` otherwise."""
        command = ReportShipmentAgain(shipment_id, expected_version)
        return await _step(ctx, use_cases, idempotency, command)

    @post("/{shipment_id:uuid}/intercept", status_code=200, opt=needs(InterceptShipment))
    async def intercept(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        shipment_id: FromPath[UUID],
        expected_version: ExpectedVersion,
        data: JSONBody[InterceptIn],
    ) -> Response[ShipmentOut]:
        """Intercept (拦截, If-Match): before dispatch the stock goes back and the order is
        cancelled; after, the carrier is asked to stop the parcel."""
        command = data.to(
            InterceptShipment, shipment_id=shipment_id, expected_version=expected_version
        )
        return await _step(ctx, use_cases, idempotency, command)

    @get("/{shipment_id:uuid}/documents", media_type=PDF, opt=needs(ShipmentDocuments))
    async def shipment_documents(
        self, ctx: Context, use_cases: Dispatch, shipment_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The shipment's packing slip and label (PDF)."""
        return Response(await use_cases.query(ctx, ShipmentDocuments(shipment_id)), media_type=PDF)


class SettingsController(Controller):
    path = "/settings"

    @get("/", opt=needs(GetFulfilmentSettings))
    async def get_settings(self, ctx: Context, use_cases: Dispatch) -> Response[SettingsOut]:
        """The weight tolerance (percent, default 5)."""
        return etagged(settings_out, await use_cases.query(ctx, GetFulfilmentSettings()))

    @put("/", opt=needs(SetFulfilmentSettings))
    async def put_settings(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[SettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[SettingsOut]:
        """Set the weight tolerance (If-Match; "v0" the first time)."""
        command = data.to(SetFulfilmentSettings, expected_version=expected_version)
        return etagged(settings_out, await use_cases.run(ctx, command))
