"""/api/v1/inventory/transfers (调拨, INV-5): request, ship, receive (partial receipts with
damaged and short quantities), cancel before shipping."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody

from application.inventory.counts.commands import MAX_BATCHES
from application.inventory.references import GIVEN_TWICE
from application.inventory.transfers.commands import (
    BatchDiscrepancy,
    CancelTransfer,
    GetTransfer,
    ListTransfers,
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from application.shared.references import named_once
from domain.inventory.transfer import MAX_LINES, Transfer, TransferStatus
from domain.shared.errors import ValidationFailed
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.inventory.batch_schemas import BatchNo, CommitIn, SerialsIn
from entrypoints.http.limits import stated
from entrypoints.http.permissions import needs
from entrypoints.http.wire import PageOut, WireIn, WireOut

PATH = "/api/v1/inventory/transfers"
Positive = Annotated[int, stated(minimum=1)]
Units = Annotated[int, stated(minimum=0)]


class TransferLineIn(WireIn):
    sku_id: UUID
    quantity: Positive


class TransferIn(WireIn):
    """Source and destination by id (``sourceId``, ``destinationId``) or by code
    (``source``, ``destination``)."""

    EXCLUSIVE = ONE_NEEDED = (("sourceId", "source"), ("destinationId", "destination"))

    lines: Annotated[list[TransferLineIn], stated(min_items=1, max_items=MAX_LINES)]
    source_id: UUID | None = None
    source: str | None = None
    destination_id: UUID | None = None
    destination: str | None = None
    note: str | None = None


class BatchDiscrepancyIn(WireIn):
    """The damaged and short units of one batch (INV-8)."""

    batch_no: BatchNo
    damaged: Units = 0
    short: Units = 0


class ReceivedLineIn(WireIn):
    sku_id: UUID
    received: Units = 0  # sound: on hand
    damaged: Units = 0  # non-sellable
    short: Units = 0  # never arrived: a discrepancy
    # INV-8: a batch-managed SKU's batches of its damaged and short units (else in
    # shipping order); a serial-managed SKU's serials of each kind, one per unit
    batches: Annotated[list[BatchDiscrepancyIn], stated(max_items=MAX_BATCHES)] = []
    serials: SerialsIn | None = None
    damaged_serials: SerialsIn | None = None
    short_serials: SerialsIn | None = None


class TransferReceiptIn(WireIn):
    lines: Annotated[list[ReceivedLineIn], stated(min_items=1, max_items=MAX_LINES)]
    note: str | None = None


class TransferLineOut(WireOut):
    line_no: int
    sku_id: UUID
    quantity: int
    received: int
    damaged: int
    short: int
    outstanding: int  # shipped, not accounted for yet (in transit)


class ReceivedLineOut(WireOut):
    line_no: int
    received: int
    damaged: int
    short: int


class TransferReceiptOut(WireOut):
    id: UUID
    lines: list[ReceivedLineOut]
    note: str | None
    received_by: str
    received_at: datetime


class TransferOut(WireOut):
    id: UUID
    source_id: UUID
    destination_id: UUID
    status: TransferStatus
    lines: list[TransferLineOut]
    receipts: list[TransferReceiptOut]
    note: str | None
    created_by: str
    created_at: datetime
    shipped_by: str | None
    shipped_at: datetime | None
    version: int


class TransferSummaryOut(WireOut):
    id: UUID
    source_id: UUID
    destination_id: UUID
    status: TransferStatus
    note: str | None
    created_by: str
    created_at: datetime
    shipped_at: datetime | None
    version: int


class TransferPageOut(PageOut[TransferSummaryOut]):
    items: list[TransferSummaryOut]


def transfer_out(transfer: Transfer) -> TransferOut:
    return TransferOut.of(
        transfer,
        lines=[TransferLineOut.of(li) for li in transfer.lines],
        receipts=[
            TransferReceiptOut.of(r, lines=[ReceivedLineOut.of(g) for g in r.lines])
            for r in transfer.receipts
        ],
    )


def _named(by_id: UUID | None, by_code: str | None, field: str) -> UUID | str:
    """``<field>Id`` or ``<field>`` (its code or id): one of them."""
    named = named_once(by_id, by_code, id_field=f"{field}Id", field=field, code=GIVEN_TWICE)
    if named is None:
        raise ValidationFailed.single(f"{field}Id", "required")
    return named


def _received(line: ReceivedLineIn) -> ReceivedQuantities:
    return ReceivedQuantities(
        line.sku_id,
        line.received,
        line.damaged,
        line.short,
        tuple(BatchDiscrepancy(b.batch_no, b.damaged, b.short) for b in line.batches),
        tuple(line.serials or ()),
        tuple(line.damaged_serials or ()),
        tuple(line.short_serials or ()),
    )


def _rendered(transfer: Transfer) -> Rendered[TransferOut]:
    return Rendered(transfer_out(transfer), version=transfer.version)


class TransfersController(Controller):
    path = "/transfers"

    @get("/", opt=needs(ListTransfers))
    async def list_transfers(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> TransferPageOut:
        """Transfers, oldest first: where each stands (its lines: ``GET .../{id}``)."""
        page = await use_cases.query(ctx, ListTransfers.window(cursor, limit))
        return TransferPageOut.of_page(page, TransferSummaryOut.of)

    @post("/", opt=needs(RequestTransfer))
    async def request_transfer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[TransferIn],
    ) -> Response[TransferOut]:
        """Request a transfer; the destination must be open."""
        command = RequestTransfer(
            _named(data.source_id, data.source, "source"),
            _named(data.destination_id, data.destination, "destination"),
            tuple((li.sku_id, li.quantity) for li in data.lines),
            data.note,
        )
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda t: Rendered(transfer_out(t), f"{PATH}/{t.id}", t.version),
        )

    @get("/{transfer_id:uuid}", opt=needs(GetTransfer))
    async def get_transfer(
        self, ctx: Context, use_cases: Dispatch, transfer_id: FromPath[UUID]
    ) -> Response[TransferOut]:
        """A transfer with its lines, receipts and discrepancies."""
        return etagged(transfer_out, await use_cases.query(ctx, GetTransfer(transfer_id)))

    @post("/{transfer_id:uuid}/ship", status_code=200, opt=needs(ShipTransfer))
    async def ship_transfer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        transfer_id: FromPath[UUID],
        expected_version: ExpectedVersion,
        data: JSONBody[CommitIn | None] = None,
    ) -> Response[TransferOut]:
        """Ship (If-Match): out of the source's on hand into the destination's in transit;
        409 ``insufficient_stock`` and nothing ships when a line is not available. A
        serial-managed SKU's serials are named (INV-8): `lines` of `skuId` and `serials`,
        one per unit; they travel to the destination."""
        serials = tuple((li.sku_id, tuple(li.serials)) for li in (data.lines if data else []))
        command = ShipTransfer(transfer_id, expected_version, serials)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), _rendered)

    @post("/{transfer_id:uuid}/receipts", status_code=200, opt=needs(ReceiveTransfer))
    async def receive_transfer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        transfer_id: FromPath[UUID],
        data: JSONBody[TransferReceiptIn],
        expected_version: ExpectedVersion,
    ) -> Response[TransferOut]:
        """A receipt (If-Match): per SKU how many arrived sound, damaged (non-sellable) and
        short (a discrepancy). Several receipts may follow until all is accounted for."""
        command = ReceiveTransfer(
            transfer_id,
            tuple(_received(g) for g in data.lines),
            expected_version,
            data.note,
        )
        return await idempotency.respond(lambda: use_cases.run(ctx, command), _rendered)

    @post("/{transfer_id:uuid}/cancel", status_code=200, opt=needs(CancelTransfer))
    async def cancel_transfer(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        transfer_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[TransferOut]:
        """Cancel a transfer not shipped yet (If-Match)."""
        command = CancelTransfer(transfer_id, expected_version)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), _rendered)
