"""Waves (波次): the list, planning new ones from the approved orders (by warehouse and
carrier), and a wave's pick list in bin order with its scan field and its orders."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.fulfilment.documents import WaveDocuments
from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import (
    GetWave,
    ListWaves,
    ListWaveShipments,
    ScanPick,
)
from application.fulfilment.shortages import ShortenShipment
from application.inventory.warehouses.queries import ListWarehouses
from application.logistics.carriers import ListCarriers
from application.shared.use_cases import UseCases
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_required_number, an_id
from entrypoints.web.fulfilment.scans import ScanForm, pdf_download, scanned
from entrypoints.web.pages import View, done, page, view_of

HOME = "/console/fulfilment"
MAX_LISTED = 100  # the page's own window of carriers and warehouses to choose from


class PlanForm(msgspec.Struct):
    carrier: str = ""
    warehouse: str = ""
    limit: str = "200"


async def _choices(use_cases: UseCases, view: View) -> dict[str, Any]:
    """The warehouses and carriers to plan for, as far as the role may read them."""
    assert view.ctx is not None
    warehouses = carriers = None
    if view.can(ListWarehouses):
        warehouses = (await use_cases.query(view.ctx, ListWarehouses(None, MAX_LISTED))).items
    if view.can(ListCarriers):
        found = await use_cases.query(view.ctx, ListCarriers(None, MAX_LISTED))
        carriers = [c for c in found.items if c.active]
    return {"warehouses": warehouses, "carriers": carriers}


class WavePages(Controller):
    @get("/", name="console_waves", opt=needs(ListWaves))
    async def waves(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        view = await view_of(request, use_cases)
        found = await use_cases.query(ctx, ListWaves.window(cursor, None))
        choices = await _choices(use_cases, view)
        names = {w.id: w.name for w in choices["warehouses"] or ()}
        return await page(
            request,
            use_cases,
            "fulfilment/waves.html",
            view=view,
            waves=found.items,
            next_cursor=found.next_cursor,
            warehouse_names=names,
            can_plan=PlanWaves,
            **choices,
        )

    @post("/waves/plan", status_code=303, opt=needs(PlanWaves))
    async def plan(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        data: Annotated[PlanForm, Form],
    ) -> Response[Any]:
        command = PlanWaves(
            data.carrier.strip(),
            an_id("warehouse", data.warehouse),
            a_required_number("limit", data.limit),
        )
        waves = await use_cases.run(ctx, command)
        back = f"{HOME}/waves/{waves[0].id}" if len(waves) == 1 else HOME
        return done(request, back, "fulfilment.planned", count=len(waves))

    @get("/waves/{wave_id:uuid}", name="console_wave", opt=needs(GetWave))
    async def wave(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        wave_id: FromPath[UUID],
    ) -> Template:
        wave = await use_cases.query(ctx, GetWave(wave_id))
        shipments = await use_cases.query(ctx, ListWaveShipments(wave_id))
        return await page(
            request,
            use_cases,
            "fulfilment/wave.html",
            wave=wave,
            shipments=shipments,
            can_print=WaveDocuments,
            can_short=ShortenShipment,
            can_pick=ScanPick,
        )

    @post("/waves/{wave_id:uuid}/picks", opt=needs(ScanPick))
    async def pick(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        wave_id: FromPath[UUID],
        data: Annotated[ScanForm, Form],
    ) -> Template | Response[Any]:
        code = data.code.strip()
        wave = await use_cases.run(ctx, ScanPick(wave_id, code))
        back = f"{HOME}/waves/{wave_id}"
        return await scanned(request, use_cases, back, "fulfilment/_picklist.html", code, wave=wave)

    @get("/waves/{wave_id:uuid}/documents", media_type="application/pdf", opt=needs(WaveDocuments))
    async def documents(
        self, ctx: Context, use_cases: Dispatch, wave_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The wave's packing slips, one page a parcel, as a download."""
        pdf = await use_cases.query(ctx, WaveDocuments(wave_id))
        return pdf_download(pdf, f"wave-{wave_id}.pdf")
