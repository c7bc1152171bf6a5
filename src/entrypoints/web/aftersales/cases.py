"""The cases (售后单) with filters (kind, status, order), and opening a case on an order:
its lines with the units to name, the kind, the reason, the amount agreed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.aftersales.opening import OpenCase
from application.aftersales.ports import CaseFilter
from application.aftersales.queries import FindCases
from application.orders.queries import GetOrder
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.records import ReturnReason
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import a_choice, a_number, an_amount, an_id, required, rows
from entrypoints.web.pages import done, is_htmx, page

HOME = "/console/aftersales"


class CaseListPages(Controller):
    @get("/", name="console_cases", opt=needs(FindCases))
    async def cases(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        kind: FromQuery[str] = "",
        status: FromQuery[str] = "",
        order: FromQuery[str] = "",
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        where = CaseFilter(
            a_choice(CaseKind, "kind", kind),
            a_choice(CaseStatus, "status", status),
            an_id("order", order),
        )
        found = await use_cases.query(ctx, FindCases.window(where, cursor, None))
        chosen = {"kind": kind, "status": status, "order": order}
        template = "aftersales/_case_rows.html" if is_htmx(request) else None
        return await page(
            request,
            use_cases,
            template or "aftersales/cases.html",
            cases=found.items,
            next_cursor=found.next_cursor,
            chosen=chosen,
            kinds=list(CaseKind),
            statuses=list(CaseStatus),
        )

    @get("/new", name="console_case_new", opt=needs(OpenCase))
    async def new(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        order: FromQuery[str] = "",
    ) -> Template:
        order_id = an_id("order", order)
        stored = None
        if order_id is not None:
            stored = await use_cases.query(ctx, GetOrder(order_id))
        return await page(
            request,
            use_cases,
            "aftersales/new.html",
            order=stored.order if stored else None,
            kinds=list(CaseKind),
            reasons=list(ReturnReason),
        )

    @post("/new", status_code=303, opt=needs(OpenCase))
    async def open(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        form = await request.form()
        order_id = required("order", an_id("order", str(form.get("order", ""))))
        units = rows(form, "line", "quantity")
        lines = tuple(
            (line_id, count)
            for line, quantity in units
            if (count := a_number("quantity", str(quantity)))
            and (line_id := an_id("line", str(line)))
        )
        command = OpenCase(
            order_id,
            required("kind", a_choice(CaseKind, "kind", form.get("kind"))),
            required("reason", a_choice(ReturnReason, "reason", form.get("reason"))),
            lines,
            str(form.get("reason_text", "")).strip() or None,
            (),
            str(form.get("tracking_no", "")).strip() or None,
            an_amount("refund_amount", str(form.get("refund_amount", ""))),
        )
        case = await use_cases.run(ctx, command)
        return done(request, f"{HOME}/cases/{case.id}", "aftersales.opened")
