"""A parcel (发货单) from its wave to the carrier: verify every unit by scan (验货; a wrong
item or an extra unit refused with the problem's message), weigh it (称重; a deviation
beyond the tolerance flagged), book the waybill (打单), print the packing slip, ship
(发货)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.fulfilment.documents import ShipmentDocuments
from application.fulfilment.reporting import ReportShipmentAgain
from application.fulfilment.scanning import GetShipment, ScanVerify, WeighShipment
from application.fulfilment.shipping import BookWaybill, InterceptShipment, ShipShipment
from application.fulfilment.shortages import ShortenShipment
from domain.fulfilment.shipment import ShipmentStep
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_number, version_of
from entrypoints.web.fulfilment.scans import ScanForm, pdf_download, scanned
from entrypoints.web.pages import done, page, view_of

HOME = "/console/fulfilment/shipments"
PDF = "application/pdf"
ShipmentId = FromPath[UUID]
USES = {  # the use case behind each step: the role's permission for its button
    ShipmentStep.VERIFY: ScanVerify,
    ShipmentStep.SHORTEN: ShortenShipment,
    ShipmentStep.WEIGH: WeighShipment,
    ShipmentStep.BOOK: BookWaybill,
    ShipmentStep.SHIP: ShipShipment,
    ShipmentStep.INTERCEPT: InterceptShipment,
    ShipmentStep.REPORT: ReportShipmentAgain,
}


class WeighForm(msgspec.Struct):
    grams: str = ""
    packages: str = "1"


class VersionForm(msgspec.Struct):
    """A step taken on the parcel as the page showed it (its version, as If-Match)."""

    version: str = ""


class ShipmentPages(Controller):
    path = "/shipments"

    @get("/{shipment_id:uuid}", name="console_shipment", opt=needs(GetShipment))
    async def shipment(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
    ) -> Template:
        view = await view_of(request, use_cases)
        shipment = await use_cases.query(ctx, GetShipment(shipment_id))
        return await page(
            request,
            use_cases,
            "fulfilment/shipment.html",
            view=view,
            shipment=shipment,
            steps={s.value for s in shipment.next_steps if view.can(USES[s])},
            can_print=ShipmentDocuments,
        )

    @post("/{shipment_id:uuid}/verify", opt=needs(ScanVerify))
    async def verify(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[ScanForm, Form],
    ) -> Template | Response[Any]:
        code = data.code.strip()
        command = ScanVerify(shipment_id, code, data.serial.strip() or None)
        shipment = await use_cases.run(ctx, command)
        back = f"{HOME}/{shipment_id}"
        if all(line.verified >= line.quantity for line in shipment.lines):
            # The last unit: the whole page again (weighing is next), not the lines alone.
            return done(request, back, "fulfilment.verified_all", scanned=code)
        return await scanned(
            request, use_cases, back, "fulfilment/_parcel.html", code, shipment=shipment
        )

    @post("/{shipment_id:uuid}/weigh", status_code=303, opt=needs(WeighShipment))
    async def weigh(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[WeighForm, Form],
    ) -> Response[Any]:
        # Empty is 0, which the shipment refuses in its own words (weight_out_of_range)
        # once it is found: another company's parcel stays a 404 whatever the form says.
        grams, packages = a_number("grams", data.grams), a_number("packages", data.packages)
        shipment = await use_cases.run(ctx, WeighShipment(shipment_id, grams, packages))
        key = "fulfilment.weighed_flagged" if shipment.weight_flagged else "fulfilment.weighed"
        return done(request, f"{HOME}/{shipment_id}", key, grams=grams)

    @post("/{shipment_id:uuid}/waybill", status_code=303, opt=needs(BookWaybill))
    async def book(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        shipment = await use_cases.run(ctx, BookWaybill(shipment_id, version_of(data.version)))
        back = f"{HOME}/{shipment_id}"
        return done(request, back, "fulfilment.booked", tracking=shipment.tracking_no or "")

    @post("/{shipment_id:uuid}/ship", status_code=303, opt=needs(ShipShipment))
    async def ship(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        shipment = await use_cases.run(ctx, ShipShipment(shipment_id, version_of(data.version)))
        back = f"{HOME}/{shipment_id}"
        return done(request, back, "fulfilment.shipped", tracking=shipment.tracking_no or "")

    @get("/{shipment_id:uuid}/documents", media_type=PDF, opt=needs(ShipmentDocuments))
    async def documents(
        self, ctx: Context, use_cases: Dispatch, shipment_id: ShipmentId
    ) -> Response[bytes]:
        """The packing slip (and the label once booked) as a download."""
        pdf = await use_cases.query(ctx, ShipmentDocuments(shipment_id))
        return pdf_download(pdf, f"shipment-{shipment_id}.pdf")
