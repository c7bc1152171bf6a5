"""When a parcel cannot go as planned (LOG-1): a short pick (缺货: the units there are, the
rest shipped later), an interception (拦截: stopped before dispatch, or the carrier asked
to stop it), a report to its sales channel again. The parcel's page offers each only when
the shipment says its status allows it (``shortenable``, ``interceptable``,
``report_due``) and the role may run its use case; each posts the version the page
showed."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.params import FromPath

from application.fulfilment.reporting import ReportShipmentAgain
from application.fulfilment.scanning import GetShipment
from application.fulfilment.shipping import InterceptShipment
from application.fulfilment.shortages import ShortenShipment, ShortLine
from domain.fulfilment.shipment import ShipmentStatus
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_number, an_id, required, rows, version_of
from entrypoints.web.fulfilment.shipments import VersionForm
from entrypoints.web.pages import done

HOME = "/console/fulfilment/shipments"
ShipmentId = FromPath[UUID]


class InterceptForm(msgspec.Struct):
    version: str = ""
    reason: str = ""


class ShipmentInterventions(Controller):
    path = "/shipments"

    @post("/{shipment_id:uuid}/short", status_code=303, opt=needs(ShortenShipment))
    async def short_pick(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
    ) -> Response[Any]:
        """Per parcel line (``line``), the units there are (``units``; left empty: all of
        them, the line is not short)."""
        await use_cases.query(ctx, GetShipment(shipment_id))  # another company's: not found
        form = await request.form()
        counted = rows(form, "line", "units")
        lines = tuple(
            ShortLine(required("line", an_id("line", line)), a_number("units", units))
            for line, units in counted
            if units.strip()
        )
        version = version_of(str(form.get("version", "")))
        shipment = await use_cases.run(ctx, ShortenShipment(shipment_id, lines, version))
        units = sum(line.quantity for line in shipment.lines)
        return done(request, f"{HOME}/{shipment_id}", "fulfilment.shortened", units=units)

    @post("/{shipment_id:uuid}/intercept", status_code=303, opt=needs(InterceptShipment))
    async def intercept(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[InterceptForm, Form],
    ) -> Response[Any]:
        version, reason = version_of(data.version), data.reason.strip()
        command = (
            InterceptShipment(shipment_id, version, reason)
            if reason
            else InterceptShipment(shipment_id, version)  # the use case's own reason
        )
        shipment = await use_cases.run(ctx, command)
        back = f"{HOME}/{shipment_id}"
        if shipment.status is ShipmentStatus.INTERCEPTED:
            return done(request, back, "fulfilment.intercepted", order=shipment.order_number)
        tracking = shipment.tracking_no or ""
        return done(request, back, "fulfilment.interception_requested", tracking=tracking)

    @post("/{shipment_id:uuid}/report", status_code=303, opt=needs(ReportShipmentAgain))
    async def report_again(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        shipment_id: ShipmentId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        command = ReportShipmentAgain(shipment_id, version_of(data.version))
        shipment = await use_cases.run(ctx, command)
        back = f"{HOME}/{shipment_id}"
        if shipment.channel_reported:
            return done(request, back, "fulfilment.reported")
        return done(request, back, "fulfilment.report_failed")
