"""Transfers between warehouses (调拨, INV-5), as ``/api/v1/inventory/transfers`` drives
them: the list and a form to request one (source, destination, SKUs by code and
quantities); a transfer's page to ship it, cancel it, or receive what arrived (per SKU:
sound, damaged, short — several receipts until all is accounted for)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.identity.users.queries import NameActors
from application.inventory.transfers.commands import (
    CancelTransfer,
    GetTransfer,
    ListTransfers,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.inventory.transfer import Transfer
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import (
    Form,
    VersionForm,
    a_number,
    a_required_number,
    rows,
    version_of,
)
from entrypoints.web.inventory.common import codes_of, shown, sku_named, warehouses
from entrypoints.web.pages import done, view_of

TRANSFERS = "/console/inventory/transfers"
LINES = 5  # the rows of the request form
FIGURES = ("received", "damaged", "short")  # a receipt's fields, each <figure>.<SKU id>
TransferId = FromPath[UUID]
Step = type[ShipTransfer | CancelTransfer]
_STEPS: dict[Step, str] = {  # each step's message
    ShipTransfer: "inventory.transfer_was_shipped",
    CancelTransfer: "inventory.transfer_was_cancelled",
}


async def _step(
    request: Request[Any, Any, Any],
    ctx: CallContext,
    use_cases: UseCases,
    step: Step,
    transfer_id: UUID,
    data: VersionForm,
) -> Response[Any]:
    """A step at the version the page showed, then the transfer's page with its message."""
    await use_cases.run(ctx, step(transfer_id, version_of(data.version)))
    return done(request, f"{TRANSFERS}/{transfer_id}", _STEPS[step])


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
        for i, (code, quantity) in enumerate(rows(form, "sku", "quantity")):
            if code.strip():
                named = await sku_named(use_cases, ctx, code, f"lines[{i}].sku")
                lines.append((named.id, a_required_number(f"lines[{i}].quantity", quantity)))
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
        transfer_id: TransferId,
    ) -> Template:
        found: Transfer = await use_cases.query(ctx, GetTransfer(transfer_id))
        places = await warehouses(use_cases, ctx)
        view = await view_of(request, use_cases)
        return await shown(
            request,
            use_cases,
            "inventory/transfer.html",
            view=view,
            people=await use_cases.query(ctx, NameActors((found.created_by,))),
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
        transfer_id: TransferId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, ShipTransfer, transfer_id, data)

    @post("/{transfer_id:uuid}/cancel", status_code=303, opt=needs(CancelTransfer))
    async def cancel(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: TransferId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, CancelTransfer, transfer_id, data)

    @post("/{transfer_id:uuid}/receipts", status_code=303, opt=needs(ReceiveTransfer))
    async def receive(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        transfer_id: TransferId,
    ) -> Response[Any]:
        found: Transfer = await use_cases.query(ctx, GetTransfer(transfer_id))
        form = await request.form()
        lines = []
        for line in found.lines:
            received, damaged, short = (
                a_number(f"{name}.{line.sku_id}", str(form.get(f"{name}.{line.sku_id}", "")))
                for name in FIGURES
            )
            if received or damaged or short:
                lines.append(ReceivedQuantities(line.sku_id, received, damaged, short))
        command = ReceiveTransfer(
            transfer_id,
            tuple(lines),
            version_of(str(form.get("version", ""))),
            str(form.get("note", "")).strip() or None,
        )
        await use_cases.run(ctx, command)
        return done(request, f"{TRANSFERS}/{transfer_id}", "inventory.transfer_was_received")
