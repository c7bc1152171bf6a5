"""/api/v1/aftersales/cases (售后, ORD-6): open a case, move it along its kind's flow
(approve, reject, receive the return, inspect, refund, complete), its tracking number,
shipping-insurance claims and replenishment requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody

from application.aftersales.extras import ClaimInsurance, RequestReplenishment
from application.aftersales.opening import OpenCase
from application.aftersales.queries import GetCase, ListCases
from application.aftersales.receiving import ReceiveCaseReturn
from application.aftersales.refunds import RefundCase
from application.aftersales.steps import (
    ApproveCase,
    CompleteCase,
    InspectCase,
    RejectCase,
    SetTracking,
)
from domain.aftersales.case import AftersalesCase
from domain.aftersales.records import ReceivedUnits
from entrypoints.http.aftersales.schemas import (
    CaseIn,
    CaseOut,
    CasePageOut,
    CaseReasonIn,
    CaseReceiptIn,
    CaseRefundIn,
    ClaimIn,
    OptionalReasonIn,
    ReplenishIn,
    TrackingIn,
    case_out,
)
from entrypoints.http.conventions import Cursor, Idempotency, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

PATH = "/api/v1/aftersales/cases"
CaseId = FromPath[UUID]


def _rendered(case: AftersalesCase) -> Rendered[CaseOut]:
    return Rendered(case_out(case), f"{PATH}/{case.id}", case.version)


def _respond(
    idempotency: Idempotency, run: Callable[[], Awaitable[AftersalesCase]]
) -> Awaitable[Response[CaseOut]]:
    return idempotency.respond(run, _rendered)


class CasesController(Controller):
    path = "/cases"

    @get("/", opt=needs(ListCases))
    async def list_cases(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> CasePageOut:
        """Cases, oldest first."""
        page = await use_cases.query(ctx, ListCases.window(cursor, limit))
        return CasePageOut.of_page(page, case_out)

    @post("/", opt=needs(OpenCase))
    async def open_case(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[CaseIn]
    ) -> Response[CaseOut]:
        """Open a case on an order: never more of a line than was sold less what the
        order's earlier cases claim; a refund never above what its payments hold."""
        command = OpenCase(
            data.order_id,
            data.kind,
            data.reason,
            tuple((line.order_line_id, line.quantity) for line in data.lines),
            data.reason_text,
            tuple(data.evidence),
            data.tracking_no,
            data.refund_amount,
        )
        return await idempotency.created(lambda: use_cases.run(ctx, command), _rendered)

    @get("/{case_id:uuid}", opt=needs(GetCase))
    async def get_case(
        self, ctx: Context, use_cases: Dispatch, case_id: CaseId
    ) -> Response[CaseOut]:
        """A case with its lines, receipts, refunds, claims and timeline."""
        return etagged(case_out, await use_cases.query(ctx, GetCase(case_id)))

    @post("/{case_id:uuid}/approve", status_code=200, opt=needs(ApproveCase))
    async def approve(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[OptionalReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """Approve (If-Match). A return or an exchange then awaits the goods; an exchange
        places its replacement order (held until the goods arrive unless the tenant ships
        exchanges first) and a resend its zero-amount order."""
        command = ApproveCase(case_id, expected_version, data.reason)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/reject", status_code=200, opt=needs(RejectCase))
    async def reject(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[CaseReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """Reject a case in review, with a reason (If-Match)."""
        command = RejectCase(case_id, data.reason, expected_version)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/receipts", status_code=200, opt=needs(ReceiveCaseReturn))
    async def receive(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[CaseReceiptIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """The return parcel's goods into a returns warehouse (If-Match): per case line the
        units resellable (available) and damaged (non-sellable); partial receipts allowed."""
        lines = tuple(
            ReceivedUnits(
                g.line_no,
                g.resellable,
                g.damaged,
                g.batch_no,
                tuple(g.serials),
                tuple(g.damaged_serials),
            )
            for g in data.lines
        )
        command = ReceiveCaseReturn(case_id, data.warehouse_id, lines, expected_version)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/inspect", status_code=200, opt=needs(InspectCase))
    async def inspect(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[OptionalReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """Conclude the inspection of what came back (If-Match)."""
        command = InspectCase(case_id, expected_version, data.reason)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/refunds", status_code=200, opt=needs(RefundCase))
    async def refund(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[CaseRefundIn],
    ) -> Response[CaseOut]:
        """Record a refund against one of the order's payments: exact to the fen, never
        above what the case agreed or the payment holds; the same key records once."""
        command = RefundCase(case_id, data.payment_id, data.amount, data.key)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/complete", status_code=200, opt=needs(CompleteCase))
    async def complete(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[OptionalReasonIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """Close the case at the end of its kind's flow (If-Match)."""
        command = CompleteCase(case_id, expected_version, data.reason)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/tracking", status_code=200, opt=needs(SetTracking))
    async def set_tracking(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[TrackingIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """The return parcel's tracking number (If-Match)."""
        command = SetTracking(case_id, data.tracking_no, expected_version)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/insurance-claims", status_code=200, opt=needs(ClaimInsurance))
    async def claim_insurance(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[ClaimIn],
    ) -> Response[CaseOut]:
        """Record a shipping-insurance (运费险) claim on the case."""
        command = ClaimInsurance(case_id, data.amount, data.insurer, data.claim_no)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))

    @post("/{case_id:uuid}/replenishment", status_code=200, opt=needs(RequestReplenishment))
    async def replenish(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        case_id: CaseId,
        data: JSONBody[ReplenishIn],
        expected_version: ExpectedVersion,
    ) -> Response[CaseOut]:
        """Ask purchasing to buy the case's units again (the event
        ``aftersales.replenishment_requested``; If-Match)."""
        lines = tuple((g.line_no, g.quantity) for g in data.lines)
        command = RequestReplenishment(case_id, expected_version, lines)
        return await _respond(idempotency, lambda: use_cases.run(ctx, command))
