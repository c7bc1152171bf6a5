"""A case's page (售后单): what it is (kind, order, lines, reason, amount agreed), the
actions its kind's flow allows from where it stands (``AftersalesCase.next_actions``, the
domain's) as far as the role may run them — approve or reject, receive the return with
each line's inspection (resellable, damaged) into a returns warehouse, conclude the
inspection, refund against one of the order's payments, complete — and its history. Each
action is the API's use case, at the version the page showed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import Template

from application.aftersales.queries import GetCase
from application.aftersales.receiving import ReceiveCaseReturn
from application.aftersales.refunds import RefundCase
from application.aftersales.steps import ApproveCase, CompleteCase, InspectCase, RejectCase
from application.identity.users.queries import NameActors
from application.inventory.warehouses.queries import ListWarehouses
from application.orders.queries import GetOrder
from application.orders.sku_codes import GetOrderSkuCodes
from application.shared.use_case import Command
from domain.aftersales.case import AftersalesCase
from domain.aftersales.flows import CaseAction
from domain.aftersales.records import ReceivedUnits
from domain.inventory.warehouse import WarehouseKind
from domain.orders.order import Order
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import (
    Form,
    a_number,
    an_amount,
    an_id,
    replay_key,
    required,
    rows,
    version_of,
)
from entrypoints.web.orders.labels import PAYMENT
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


# The use case behind each action: the page shows an action the case allows only to a
# role that may run it.
USES: dict[CaseAction, type[Command[AftersalesCase]]] = {
    CaseAction.APPROVE: ApproveCase,
    CaseAction.REJECT: RejectCase,
    CaseAction.RECEIVE: ReceiveCaseReturn,
    CaseAction.INSPECT: InspectCase,
    CaseAction.REFUND: RefundCase,
    CaseAction.COMPLETE: CompleteCase,
}
Step = Callable[[UUID, int | None, str | None], Command[AftersalesCase]]


def _step(
    action: str, use_case: type[Command[AftersalesCase]], make: Step, said: str
) -> HTTPRouteHandler:
    """The POST of a step taken with a note (``reason``) at the version the page showed:
    ``make`` builds its command from the case, the version and the note; the case's page
    then says ``said``."""

    @post(f"/cases/{{case_id:uuid}}/{action}", status_code=303, opt=needs(use_case))
    async def take(
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        case_id: CaseId,
        data: Annotated[StepForm, Form],
    ) -> Response[Any]:
        command = make(case_id, version_of(data.version), data.reason.strip() or None)
        case = await use_cases.run(ctx, command)
        return done(request, f"{HOME}/{case.id}", said)

    return take


def _reject(case_id: UUID, version: int | None, reason: str | None) -> RejectCase:
    return RejectCase(case_id, reason or "", version)  # no reason: the case refuses it


STEPS = (
    _step("approve", ApproveCase, ApproveCase, "aftersales.approved"),
    _step("reject", RejectCase, _reject, "aftersales.rejected"),
    _step("inspect", InspectCase, InspectCase, "aftersales.inspected"),
    _step("complete", CompleteCase, CompleteCase, "aftersales.completed"),
)


def _items(order: Order | None, codes: dict[UUID, str]) -> dict[UUID, str]:
    """Each of the order's lines as people name it: the title the buyer saw (when kept)
    and the SKU's code; none without the order (a role that may not read it)."""
    if order is None:
        return {}
    named = {}
    for line in order.lines:
        code = codes.get(line.sku_id, str(line.sku_id))
        named[line.id] = f"{line.title} · {code}" if line.title else code
    return named


def _actors(case: AftersalesCase) -> set[str]:
    """Everyone who acted on the case: who opened it, each step's and each refund's."""
    return {
        case.created_by,
        *(e.actor for e in case.timeline),
        *(r.refunded_by for r in case.refunds),
    }


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
        order, codes = None, {}
        if view.can(GetOrder):
            order = (await use_cases.query(ctx, GetOrder(case.order_id))).order
            codes = await use_cases.query(ctx, GetOrderSkuCodes(case.order_id))
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
            items=_items(order, codes),
            people=await use_cases.query(ctx, NameActors(tuple(_actors(case)))),
            payments=PAYMENT,
            actions={a.value for a in case.next_actions if view.can(USES[a])},
            returns=returns,
            refund_key=replay_key("RF"),
        )

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
        await use_cases.query(ctx, GetCase(case_id))  # another company's case: not found
        lines = tuple(got for got in received if got.resellable or got.damaged)
        version = version_of(str(form.get("version", "")))
        command = ReceiveCaseReturn(case_id, required("warehouse", warehouse), lines, version)
        case = await use_cases.run(ctx, command)
        return done(request, f"{HOME}/{case.id}", "aftersales.received")

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
        command = RefundCase(
            case_id, required("payment", payment), required("amount", amount), data.key.strip()
        )
        case = await use_cases.run(ctx, command)
        return done(request, f"{HOME}/{case.id}", "aftersales.refunded")
