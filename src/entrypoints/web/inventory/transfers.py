"""Transfers between warehouses (调拨, INV-5), as ``/api/v1/inventory/transfers`` drives
them: the list and a form to request one (source, destination, SKUs by code and
quantities); a transfer's page to ship it, cancel it, or receive what arrived (per SKU:
sound, damaged, short — several receipts until all is accounted for)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.inventory.transfers.commands import (
    CancelTransfer,
    GetTransfer,
    ListTransfers,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from domain.inventory.transfer import Transfer
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form
from entrypoints.web.inventory.common import (
    codes_of,
    required_whole,
    shown,
    sku_named,
    warehouses,
    whole,
)
from entrypoints.web.pages import done

TRANSFERS = "/console/inventory/transfers"
LINES = 5  # the rows of the request form
FIGURES = ("received", "damaged", "short")  # a receipt's fields, each <figure>.<SKU id>


class StepForm(msgspec.Struct):
    version: str = ""


class TransferPages(Controller):
    path = "/transfers"

    @get("/", name="console_transfers", opt=needs(ListTransfers))
    async def transfers(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        cursor: FromQuery[str] = "",
    ) -> Template:
        places = await warehouses(use_cases, ctx)
        return await shown(
            request,
            use_cases,
            "inventory/transfers.html",
            transfers=await use_cases.query(ctx, ListTransfers.window(cursor or None, None)),
            places=places,
            names={w.id: w.code for w in places},
            rows=range(LINES),
            requests=RequestTransfer,
        )

    @post("/", status_code=303, opt=needs(RequestTransfer))
    async def request_transfer(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        form = await request.form()
        lines = []
        for i, (code, quantity) in enumerate(
            zip(form.getall("sku", []), form.getall("quantity", []), strict=False)
        ):
            if str(code).strip():
                named = await sku_named(use_cases, ctx, str(code), f"lines[{i}].sku")
                lines.append((named.id, required_whole(str(quantity), f"lines[{i}].quantity")))
        command = RequestTransfer(
            str(form.get("source", "")),
            str(form.get("destination", "")),
            tuple(lines),
            str(form.get("note", "")).strip() or None,
        )
        transfer = await use_cases.run(ctx, command)
        return done(request, f"{TRANSFERS}/{transfer.id}", "inventory.transfer_created")

    @get("/{transfer_id:uuid}", name="console_transfer", opt=needs(GetTransfer))
    async def transfer(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: FromPath[UUID],
    ) -> Template:
        found: Transfer = await use_cases.query(ctx, GetTransfer(transfer_id))
        places = await warehouses(use_cases, ctx)
        return await shown(
            request,
            use_cases,
            "inventory/transfer.html",
            transfer=found,
            codes=await codes_of(use_cases, ctx, (li.sku_id for li in found.lines)),
            names={w.id: w.code for w in places},
            ship=ShipTransfer,
            receive=ReceiveTransfer,
        )

    @post("/{transfer_id:uuid}/ship", status_code=303, opt=needs(ShipTransfer))
    async def ship(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: FromPath[UUID],
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        await use_cases.run(ctx, ShipTransfer(transfer_id, whole(data.version, "version")))
        return done(request, f"{TRANSFERS}/{transfer_id}", "inventory.transfer_was_shipped")

    @post("/{transfer_id:uuid}/cancel", status_code=303, opt=needs(CancelTransfer))
    async def cancel(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: FromPath[UUID],
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        await use_cases.run(ctx, CancelTransfer(transfer_id, whole(data.version, "version")))
        return done(request, f"{TRANSFERS}/{transfer_id}", "inventory.transfer_was_cancelled")

    @post("/{transfer_id:uuid}/receipts", status_code=303, opt=needs(ReceiveTransfer))
    async def receive(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: FromPath[UUID],
    ) -> Response[Any]:
        found: Transfer = await use_cases.query(ctx, GetTransfer(transfer_id))
        form = await request.form()
        lines = []
        for line in found.lines:
            received, damaged, short = (
                whole(str(form.get(f"{name}.{line.sku_id}", "")), f"{name}.{line.sku_id}") or 0
                for name in FIGURES
            )
            if received or damaged or short:
                lines.append(ReceivedQuantities(line.sku_id, received, damaged, short))
        command = ReceiveTransfer(
            transfer_id,
            tuple(lines),
            whole(str(form.get("version", "")), "version"),
            str(form.get("note", "")).strip() or None,
        )
        await use_cases.run(ctx, command)
        return done(request, f"{TRANSFERS}/{transfer_id}", "inventory.transfer_was_received")
