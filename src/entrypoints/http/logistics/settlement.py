"""/api/v1/logistics: carrier statements imported and reconciled as a job, and COD
remittances recorded (ORD-11; ``logistics:settle``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from application.logistics.settlement import (
    GetRemittance,
    GetStatement,
    RecordRemittance,
    Settlements,
)
from application.shared.file_imports import MAX_FILE_BYTES
from domain.logistics.settlement import CarrierStatement, CodRemittance, Difference, Remitted
from entrypoints.http.conventions import Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, Idempotent
from entrypoints.http.downloads import form_digest
from entrypoints.http.file_imports import first_errors, uploaded
from entrypoints.http.logistics.schemas import (
    DifferenceOut,
    RemittanceIn,
    RemittanceOut,
    RemittedOut,
    StatementForm,
    StatementOut,
)
from entrypoints.http.permissions import needs

PATH = "/api/v1/logistics"


def difference_out(difference: Difference) -> DifferenceOut:
    return DifferenceOut.of(difference)


def statement_out(statement: CarrierStatement, language: str) -> StatementOut:
    return StatementOut.of(
        statement,
        differences=[difference_out(d) for d in statement.differences],
        first_errors=first_errors(statement.errors, language),
    )


def remittance_out(remittance: CodRemittance) -> RemittanceOut:
    return RemittanceOut.of(
        remittance,
        lines=[RemittedOut.of(line) for line in remittance.lines],
        differences=[difference_out(d) for d in remittance.differences],
    )


class SettlementController(Controller):
    @post(
        "/carriers/{carrier_id:uuid}/statements",
        status_code=202,
        request_max_body_size=MAX_FILE_BYTES + 1024 * 1024,
        opt=needs(Settlements.upload),
    )
    async def upload_statement(
        self,
        ctx: Context,
        settlements: NamedDependency[Settlements],
        idempotency: Idempotent,
        carrier_id: FromPath[UUID],
        data: Annotated[StatementForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[StatementOut]:
        """Import the carrier's statement for a month (CSV or XLSX); its reconciliation runs
        as a job: follow the statement (or its job) for the differences."""
        name, content = await uploaded(data.file)
        return await idempotency.respond(
            lambda: settlements.upload(ctx, carrier_id, data.month, name, content),
            lambda s: Rendered(
                statement_out(s, ctx.locale), f"{PATH}/statements/{s.id}", s.version
            ),
            202,
            lambda: form_digest(f"{carrier_id}{data.month}{name}".encode(), content),
        )

    @get("/statements/{carrier_statement_id:uuid}", opt=needs(GetStatement))
    async def get_statement(
        self, ctx: Context, use_cases: Dispatch, carrier_statement_id: FromPath[UUID]
    ) -> Response[StatementOut]:
        """A statement: its status and, once reconciled, its differences."""
        found = await use_cases.query(ctx, GetStatement(carrier_statement_id))
        return etagged(lambda s: statement_out(s, ctx.locale), found)

    @post("/carriers/{carrier_id:uuid}/cod-remittances", opt=needs(RecordRemittance))
    async def record_remittance(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        carrier_id: FromPath[UUID],
        data: JSONBody[RemittanceIn],
    ) -> Response[RemittanceOut]:
        """Record the carrier's cash-on-delivery remittance, reconciled against its COD
        waybills: the lines paying one in full mark it remitted; the rest are differences."""
        lines = tuple(Remitted(line.tracking_no, line.amount) for line in data.lines)
        command = RecordRemittance(carrier_id, data.reference, lines)
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda r: Rendered(remittance_out(r), f"{PATH}/cod-remittances/{r.id}"),
        )

    @get("/cod-remittances/{cod_remittance_id:uuid}", opt=needs(GetRemittance))
    async def get_remittance(
        self, ctx: Context, use_cases: Dispatch, cod_remittance_id: FromPath[UUID]
    ) -> RemittanceOut:
        """A recorded remittance with its differences."""
        return remittance_out(await use_cases.query(ctx, GetRemittance(cod_remittance_id)))
