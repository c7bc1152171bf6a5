"""Stock counts (盘点, INV-4), as ``/api/v1/inventory/counts`` drives them: the list and a
form to open a count (a whole warehouse, or the SKUs named); a count's page with its next
step (start, submit, post, cancel) and, once submitted, the variance report; and the blind
entry page for a phone — one big field per SKU, no book quantity shown, and a scan field
(a scanner types the code or barcode and Enter: ``ScanCount`` counts one more unit in the
database, so two counters scanning the same SKU both count)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.identity.users.queries import NameActors
from application.inventory.counts.commands import (
    ApproveCount,
    CancelCount,
    CountView,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.counts.queries import CountSheet, CountVariances, GetCount, ListCounts
from application.inventory.counts.scans import ScanCount
from application.shared.context import CallContext
from application.shared.use_case import Command
from application.shared.use_cases import UseCases
from domain.inventory.count import CountKind, CountStatus
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, VersionForm, a_number, by_id, version_of
from entrypoints.web.inventory.common import shown, sku_named, warehouses
from entrypoints.web.pages import done, view_of

COUNTS = "/console/inventory/counts"
COUNTED = "counted."  # an entry field's name: counted.<SKU id>
SKU_CODES = re.compile(r"[\s,，;；]+")
CountId = FromPath[UUID]


class CountForm(msgspec.Struct):
    warehouse: str = ""
    kind: str = CountKind.CYCLE.value
    skus: str = ""  # SKU codes or barcodes, one per line (a cycle count)
    note: str = ""


class ScanForm(msgspec.Struct):
    code: str = ""
    cursor: str = ""


def _entry_url(count_id: UUID, cursor: str = "") -> str:
    return f"{COUNTS}/{count_id}/entry" + (f"?{urlencode({'cursor': cursor})}" if cursor else "")


def _count_url(count_id: UUID) -> str:
    return f"{COUNTS}/{count_id}"


Step = type[StartCount | SubmitCount | ApproveCount | CancelCount]
# Each step: the message it flashes and the page it goes on to.
_STEPS: dict[Step, tuple[str, Callable[[UUID], str]]] = {
    StartCount: ("inventory.count_started", _entry_url),
    SubmitCount: ("inventory.count_was_submitted", _count_url),
    ApproveCount: ("inventory.count_was_posted", _count_url),
    CancelCount: ("inventory.count_was_cancelled", _count_url),
}


async def _step(
    request: Request[Any, Any, Any],
    ctx: CallContext,
    use_cases: UseCases,
    step: Step,
    count_id: UUID,
    data: VersionForm,
) -> Response[Any]:
    """A step at the version the page showed, then its message on the next page."""
    command: Command[Any] = step(count_id, version_of(data.version))
    await use_cases.run(ctx, command)
    key, then = _STEPS[step]
    return done(request, then(count_id), key)


class CountPages(Controller):
    path = "/counts"

    @get("/", name="console_counts", opt=needs(ListCounts))
    async def counts(
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
            "inventory/counts.html",
            counts=await use_cases.query(ctx, ListCounts.window(cursor or None, None)),
            places=[w for w in places if not w.closed],
            names={w.id: w.code for w in places},
        )

    @post("/", status_code=303, opt=needs(CreateCount))
    async def create(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        data: Annotated[CountForm, Form],
    ) -> Response[Any]:
        if data.kind not in set(CountKind):
            raise ValidationFailed.single("kind", "invalid_choice", allowed=list(CountKind))
        codes = [c for c in SKU_CODES.split(data.skus) if c]
        skus = [(await sku_named(use_cases, ctx, c, "skus")).id for c in codes]
        command = CreateCount(
            data.warehouse, CountKind(data.kind), tuple(skus), (), data.note.strip() or None
        )
        session = await use_cases.run(ctx, command)
        return done(request, f"{COUNTS}/{session.id}", "inventory.count_created")

    @get("/{count_id:uuid}", name="console_count", opt=needs(GetCount))
    async def count(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
    ) -> Template:
        view: CountView = await use_cases.query(ctx, GetCount(count_id))
        report = None
        if view.session.status in (CountStatus.SUBMITTED, CountStatus.POSTED):
            report = await use_cases.query(ctx, CountVariances(count_id))
        places = await warehouses(use_cases, ctx)
        seen = await view_of(request, use_cases)
        return await shown(
            request,
            use_cases,
            "inventory/count.html",
            view=seen,
            people=await use_cases.query(ctx, NameActors((view.session.created_by,))),
            count=view,
            report=report,
            names={w.id: w.code for w in places},
            steps={
                "start": StartCount,
                "submit": SubmitCount,
                "approve": ApproveCount,
                "cancel": CancelCount,
            },
        )

    @post("/{count_id:uuid}/start", status_code=303, opt=needs(StartCount))
    async def start(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, StartCount, count_id, data)

    @post("/{count_id:uuid}/submit", status_code=303, opt=needs(SubmitCount))
    async def submit(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, SubmitCount, count_id, data)

    @post("/{count_id:uuid}/approve", status_code=303, opt=needs(ApproveCount))
    async def approve(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, ApproveCount, count_id, data)

    @post("/{count_id:uuid}/cancel", status_code=303, opt=needs(CancelCount))
    async def cancel(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        data: Annotated[VersionForm, Form],
    ) -> Response[Any]:
        return await _step(request, ctx, use_cases, CancelCount, count_id, data)

    @get("/{count_id:uuid}/entry", name="console_count_entry", opt=needs(CountSheet))
    async def entry(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        cursor: FromQuery[str] = "",
    ) -> Template:
        view: CountView = await use_cases.query(ctx, GetCount(count_id))
        sheet = await use_cases.query(ctx, CountSheet(count_id, cursor or None))
        return await shown(
            request,
            use_cases,
            "inventory/count_entry.html",
            count=view,
            sheet=sheet,
            cursor=cursor,
            field=COUNTED,
            submit=SubmitCount,
            scan=ScanCount,
        )

    @post("/{count_id:uuid}/entry", status_code=303, opt=needs(EnterCounts))
    async def enter(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
    ) -> Response[Any]:
        await use_cases.query(ctx, GetCount(count_id))  # another company's count: a 404
        form = await request.form()
        entries = tuple(
            Entry(sku_id, a_number(f"{COUNTED}{sku_id}", text))
            for sku_id, text in by_id(form, COUNTED).items()
        )
        entered = await use_cases.run(ctx, EnterCounts(count_id, entries))
        return done(
            request,
            _entry_url(count_id, str(form.get("cursor", ""))),
            "inventory.counts_entered",
            count=entered.entered,
            uncounted=entered.uncounted,
        )

    @post("/{count_id:uuid}/scan", status_code=303, opt=needs(ScanCount))
    async def scan(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        count_id: CountId,
        data: Annotated[ScanForm, Form],
    ) -> Response[Any]:
        scanned = await use_cases.run(ctx, ScanCount(count_id, code=data.code))
        return done(
            request,
            _entry_url(count_id, data.cursor),
            "inventory.scanned",
            sku=scanned.sku_code,
            count=scanned.counted,
        )
