"""A case's page (售后单): what it is (kind, order, lines, reason, amount agreed), the
actions its kind's flow allows from where it stands — approve or reject, receive the
return with each line's inspection (resellable, damaged) into a returns warehouse,
conclude the inspection, refund against one of the order's payments, complete — and its
history. Each action is the API's use case, at the version the page showed."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.aftersales.queries import GetCase
from application.aftersales.receiving import ReceiveCaseReturn
from application.aftersales.refunds import RefundCase
from application.aftersales.steps import ApproveCase, CompleteCase, InspectCase, RejectCase
from application.inventory.warehouses.queries import ListWarehouses
from application.orders.queries import GetOrder
from application.shared.context import CallContext
from application.shared.use_case import Command
from application.shared.use_cases import UseCases
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import FLOWS
from domain.aftersales.records import ReceivedUnits
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import Form, a_number, an_amount, an_id, rows, version_of
from entrypoints.web.pages import done, page, view_of

HOME = "/console/aftersales/cases"
CaseId = FromPath[UUID]
MAX_WAREHOUSES = 200


class StepForm(msgspec.Struct):
    version: str = ""
    reason: str = ""


class RefundForm(msgspec.Struct):
    payment: str = ""
    amount: str = ""
    key: str = ""


async def _step(
    request: Request[Any, Any, Any],
    ctx: CallContext,
    use_cases: UseCases,
    command: Command[AftersalesCase],
    key: str,
) -> Response[Any]:
    case = await use_cases.run(ctx, command)
    return done(request, f"{HOME}/{case.id}", key)


class CasePages(Controller):
    path = "/cases"

    @get("/{case_id:uuid}", name="console_case", opt=needs(GetCase))
    async def case(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
    ) -> Template:
        view = await view_of(request, use_cases)
        case = await use_cases.query(ctx, GetCase(case_id))
        order = None
        if view.can(GetOrder):
            order = (await use_cases.query(ctx, GetOrder(case.order_id))).order
        returns = None
        if view.can(ListWarehouses):
            found = await use_cases.query(ctx, ListWarehouses(None, MAX_WAREHOUSES))
            returns = [w for w in found.items if w.kind is WarehouseKind.RETURNS]
        return await page(
            request,
            use_cases,
            "aftersales/case.html",
            view=view,
            case=case,
            order=order,
            titles={line.id: line.title for line in order.lines} if order else {},
            next={s.value for s in FLOWS[case.kind].get(case.status, frozenset())},
            returns=returns,
            refund_key=f"RF-{secrets.token_hex(4).upper()}",
            uses={
                "approve": ApproveCase,
                "reject": RejectCase,
                "receive": ReceiveCaseReturn,
                "inspect": InspectCase,
                "refund": RefundCase,
                "complete": CompleteCase,
            },
        )

    @post("/{case_id:uuid}/approve", status_code=303, opt=needs(ApproveCase))
    async def approve(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        command = ApproveCase(case_id, version_of(data.version), data.reason.strip() or None)
        return await _step(request, ctx, use_cases, command, "aftersales.approved")

    @post("/{case_id:uuid}/reject", status_code=303, opt=needs(RejectCase))
    async def reject(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        command = RejectCase(case_id, data.reason.strip(), version_of(data.version))
        return await _step(request, ctx, use_cases, command, "aftersales.rejected")

    @post("/{case_id:uuid}/inspect", status_code=303, opt=needs(InspectCase))
    async def inspect(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        command = InspectCase(case_id, version_of(data.version), data.reason.strip() or None)
        return await _step(request, ctx, use_cases, command, "aftersales.inspected")

    @post("/{case_id:uuid}/complete", status_code=303, opt=needs(CompleteCase))
    async def complete(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        command = CompleteCase(case_id, version_of(data.version), data.reason.strip() or None)
        return await _step(request, ctx, use_cases, command, "aftersales.completed")

    @post("/{case_id:uuid}/receipts", status_code=303, opt=needs(ReceiveCaseReturn))
    async def receive(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
    ) -> Response[Any]:
        """Per case line (``line_no``), the units back resellable and damaged."""
        form = await request.form()
        warehouse = an_id("warehouse", str(form.get("warehouse", "")))
        counted = rows(form, "line_no", "resellable", "damaged")
        received = [
            ReceivedUnits(
                a_number("line_no", str(line_no)),
                a_number("resellable", str(resellable)),
                a_number("damaged", str(damaged)),
            )
            for line_no, resellable, damaged in counted
        ]
        version = StepForm(version=str(form.get("version", "")))
        await use_cases.query(ctx, GetCase(case_id))  # another company's case: not found
        if warehouse is None:
            raise ValidationFailed.single("warehouse", "required")
        lines = tuple(got for got in received if got.resellable or got.damaged)
        command = ReceiveCaseReturn(case_id, warehouse, lines, version_of(version.version))
        return await _step(request, ctx, use_cases, command, "aftersales.received")

    @post("/{case_id:uuid}/refunds", status_code=303, opt=needs(RefundCase))
    async def refund(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[RefundForm, Form],
    ) -> Response[Any]:
        payment = an_id("payment", data.payment)
        amount = an_amount("amount", data.amount)
        await use_cases.query(ctx, GetCase(case_id))  # another company's case: not found
        if payment is None or amount is None:
            raise ValidationFailed.single("payment" if payment is None else "amount", "required")
        command = RefundCase(case_id, payment, amount, data.key.strip())
        return await _step(request, ctx, use_cases, command, "aftersales.refunded")
