"""/api/v1/inventory/counts (盘点, INV-4): count sessions, blind entry, the variance report
(JSON, CSV or XLSX) and approval, which posts the variances."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from adapters.files.tables import CsvXlsxTables
from application.catalog.ports.files import SheetFormat
from application.inventory.counts.commands import (
    MAX_BATCHES,
    MAX_ENTRIES,
    ApproveCount,
    BatchCount,
    CancelCount,
    CountView,
    CreateCount,
    EnterCounts,
    Entry,
    StartCount,
    SubmitCount,
)
from application.inventory.counts.queries import (
    CountSheet,
    CountVariances,
    GetCount,
    ListCounts,
    VarianceReport,
)
from application.inventory.counts.scans import MAX_UNITS, ScanCount
from application.inventory.references import named_required
from domain.catalog.file_layout import escape_cell
from domain.inventory.count import MAX_SCOPE, CountKind, CountSession, CountStatus
from entrypoints.http.conventions import Cursor, Limit, Rendered, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.downloads import download
from entrypoints.http.inventory.batch_schemas import BatchNo, SerialsIn
from entrypoints.http.limits import stated
from entrypoints.http.permissions import needs
from entrypoints.http.wire import PageOut, WireIn, WireOut

PATH = "/api/v1/inventory/counts"
ReportFormat = Annotated[
    Literal["json", "csv", "xlsx"],
    QueryParameter(name="format", description="json (default), csv or xlsx"),
]
ReportBy = Annotated[
    Literal["sku", "batch"],
    QueryParameter(description="sku (default): a line per SKU; batch: per SKU × batch (INV-8)"),
]
BATCH_COLUMNS = ("batchNo", "expiryDate")  # after skuCode, in the report per batch
REPORT_COLUMNS = (
    "skuId",
    "skuCode",
    "book",
    "counted",
    "variance",
    "onHandNow",
    "posted",
    "unitCost",
    "value",
)
REPORT_KINDS = (
    "text",
    "text",
    "decimal",
    "decimal",
    "decimal",
    "decimal",
    "decimal",
    "decimal",
    "decimal",
)


class CountIn(WireIn):
    EXCLUSIVE = ONE_NEEDED = (("warehouseId", "warehouse"),)

    warehouse_id: UUID | None = None
    warehouse: str | None = None  # or its code
    kind: CountKind = CountKind.CYCLE
    sku_ids: Annotated[list[UUID], stated(max_items=MAX_SCOPE)] = []
    bin_ids: Annotated[list[UUID], stated(max_items=MAX_SCOPE)] = []
    note: str | None = None


class CountOut(WireOut):
    id: UUID
    warehouse_id: UUID
    kind: CountKind
    sku_ids: list[UUID]
    bin_ids: list[UUID]
    note: str | None
    status: CountStatus
    lines: int
    uncounted: int
    created_by: str
    created_at: datetime
    started_at: datetime | None
    submitted_by: str | None
    submitted_at: datetime | None
    posted_by: str | None
    posted_at: datetime | None
    version: int


class CountSummaryOut(WireOut):
    id: UUID
    warehouse_id: UUID
    kind: CountKind
    status: CountStatus
    note: str | None
    created_by: str
    created_at: datetime
    posted_at: datetime | None
    version: int


class CountPageOut(PageOut[CountSummaryOut]):
    items: list[CountSummaryOut]


class CountBatchIn(WireIn):
    """What was counted in one batch (INV-8); the dates for a batch not on the books."""

    batch_no: BatchNo
    counted: Annotated[int, stated(minimum=0)]
    production_date: date | None = None
    expiry_date: date | None = None


class CountEntryIn(WireIn):
    sku_id: UUID
    counted: Annotated[int, stated(minimum=0)]
    # INV-8: a batch-managed SKU's count per batch (adding up to ``counted``)
    batches: Annotated[list[CountBatchIn], stated(max_items=MAX_BATCHES)] = []
    # INV-8: a serial-managed SKU's serials found, one per unit counted
    serials: SerialsIn | None = None

    def entry(self) -> Entry:
        return Entry(
            self.sku_id,
            self.counted,
            tuple(
                BatchCount(b.batch_no, b.counted, b.production_date, b.expiry_date)
                for b in self.batches
            ),
            tuple(self.serials or ()),
        )


class CountEntriesIn(WireIn):
    lines: Annotated[list[CountEntryIn], stated(min_items=1, max_items=MAX_ENTRIES)]


class CountEnteredOut(WireOut):
    count_id: UUID
    entered: int
    uncounted: int


class CountScanIn(WireIn):
    """A scan: the SKU by ``skuId`` or by the ``code`` or barcode scanned, and how many
    units it counts (1 unless the counter typed a quantity)."""

    EXCLUSIVE = ONE_NEEDED = (("skuId", "code"),)

    sku_id: UUID | None = None
    code: str | None = None
    quantity: Annotated[int, stated(minimum=1, maximum=MAX_UNITS)] = 1


class CountScannedOut(WireOut):
    """The line's count after the scan (the counter's own figure, never the book) and how
    many lines are still uncounted."""

    count_id: UUID
    sku_id: UUID
    counted: int
    uncounted: int


class CountSheetLineOut(WireOut):
    """A counter's view of a line: no book quantity (blind entry)."""

    sku_id: UUID
    sku_code: str | None
    counted: int | None


class CountSheetPageOut(PageOut[CountSheetLineOut]):
    items: list[CountSheetLineOut]


class VarianceLineOut(WireOut):
    sku_id: UUID
    sku_code: str | None
    book: int | None  # on hand when the line was counted
    counted: int | None
    variance: int | None
    on_hand_now: int
    posted: int | None
    unit_cost: Decimal | None  # null without inventory:costing
    value: Decimal | None
    batch_no: str | None  # by=batch: the batch (null: a SKU without batches)
    expiry_date: date | None


class VarianceReportOut(WireOut):
    count_id: UUID
    status: CountStatus
    lines: list[VarianceLineOut]
    total_variance: int
    total_value: Decimal | None
    costs_shown: bool


class CountPostedOut(WireOut):
    count: CountOut
    posted_lines: int


def _count_out(session: CountSession, lines: int = 0, uncounted: int = 0) -> CountOut:
    return CountOut.of(
        session,
        sku_ids=list(session.sku_ids),
        bin_ids=list(session.bin_ids),
        lines=lines,
        uncounted=uncounted,
    )


def view_out(view: CountView) -> CountOut:
    return _count_out(view.session, view.lines, view.uncounted)


def report_out(report: VarianceReport) -> VarianceReportOut:
    return VarianceReportOut(
        report.session.id,
        report.session.status,
        [VarianceLineOut.of(li) for li in report.lines],
        report.total_variance,
        report.total_value,
        report.costs_shown,
    )


def report_rows(report: VarianceReport, by_batch: bool = False) -> list[list[str]]:
    """The variance report as text cells (codes escaped like catalog exports); per batch,
    the batch number and expiry after the SKU's code."""

    def text(value: object) -> str:
        return "" if value is None else str(value)

    def batch(*cells: str) -> list[str]:
        return list(cells) if by_batch else []

    rows = [[*REPORT_COLUMNS[:2], *batch(*BATCH_COLUMNS), *REPORT_COLUMNS[2:]]]
    for li in report.lines:
        rows.append(
            [
                str(li.sku_id),
                escape_cell(li.sku_code or ""),
                *batch(escape_cell(li.batch_no or ""), text(li.expiry_date)),
                text(li.book),
                text(li.counted),
                text(li.variance),
                str(li.on_hand_now),
                text(li.posted),
                text(li.unit_cost),
                text(li.value),
            ]
        )
    rows.append(
        [
            "",
            "total",
            *batch("", ""),
            "",
            "",
            str(report.total_variance),
            "",
            "",
            "",
            text(report.total_value),
        ]
    )
    return rows


class CountsController(Controller):
    path = "/counts"

    @get("/", opt=needs(ListCounts))
    async def list_counts(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> CountPageOut:
        """Count sessions, oldest first."""
        page = await use_cases.query(ctx, ListCounts.window(cursor, limit))
        return CountPageOut.of_page(page, CountSummaryOut.of)

    @post("/", opt=needs(CreateCount))
    async def create_count(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[CountIn]
    ) -> Response[CountOut]:
        """A count session for a warehouse (by ``warehouseId`` or its code, ``warehouse``):
        ``full`` (every SKU stocked there) or ``cycle`` (``skuIds`` and/or ``binIds``)."""
        command = CreateCount(
            named_required(data.warehouse_id, data.warehouse),
            data.kind,
            tuple(data.sku_ids),
            tuple(data.bin_ids),
            data.note,
        )
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda s: Rendered(_count_out(s), f"{PATH}/{s.id}", s.version),
        )

    @get("/{count_id:uuid}", opt=needs(GetCount))
    async def get_count(
        self, ctx: Context, use_cases: Dispatch, count_id: FromPath[UUID]
    ) -> Response[CountOut]:
        """The session: its state and how many lines are counted (no quantities)."""
        view = await use_cases.query(ctx, GetCount(count_id))
        return with_etag(view_out(view), view.session.version)

    async def _step(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        command: StartCount | SubmitCount | CancelCount,
    ) -> Response[CountOut]:
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda v: Rendered(view_out(v), version=v.session.version),
        )

    @post("/{count_id:uuid}/start", status_code=200, opt=needs(StartCount))
    async def start_count(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[CountOut]:
        """Counting begins (If-Match): the lines are fixed."""
        return await self._step(ctx, use_cases, idempotency, StartCount(count_id, expected_version))

    @post("/{count_id:uuid}/submit", status_code=200, opt=needs(SubmitCount))
    async def submit_count(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[CountOut]:
        """The counters are done (If-Match); 409 ``count_lines_uncounted`` otherwise."""
        return await self._step(
            ctx, use_cases, idempotency, SubmitCount(count_id, expected_version)
        )

    @post("/{count_id:uuid}/cancel", status_code=200, opt=needs(CancelCount))
    async def cancel_count(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[CountOut]:
        """Dropped before posting (If-Match)."""
        return await self._step(
            ctx, use_cases, idempotency, CancelCount(count_id, expected_version)
        )

    @get("/{count_id:uuid}/sheet", opt=needs(CountSheet))
    async def count_sheet(
        self,
        ctx: Context,
        use_cases: Dispatch,
        count_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CountSheetPageOut:
        """The counting sheet (blind): each line's SKU and what was counted — never the
        book quantity."""
        page = await use_cases.query(ctx, CountSheet(count_id, cursor, limit))
        return CountSheetPageOut.of_page(page, CountSheetLineOut.of)

    @post("/{count_id:uuid}/entries", status_code=200, opt=needs(EnterCounts))
    async def enter_counts(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        data: JSONBody[CountEntriesIn],
    ) -> Response[CountEnteredOut]:
        """Blind entry of counted quantities (a recount replaces a line's count). The answer
        says how many lines are still uncounted, never a book quantity."""
        command = EnterCounts(count_id, tuple(li.entry() for li in data.lines))
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda e: Rendered(CountEnteredOut.of(e)),
        )

    @post("/{count_id:uuid}/scans", status_code=200, opt=needs(ScanCount))
    async def scan_count(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        data: JSONBody[CountScanIn],
    ) -> Response[CountScannedOut]:
        """A scan: ``quantity`` (default 1) more units of the SKU counted, added to the
        line's count in the database — two counters scanning the same SKU both count (an
        ``Idempotency-Key`` keeps a retried scan from counting twice). A batch- or
        serial-managed SKU is entered with its batches or serials (``/entries``)."""
        command = ScanCount(count_id, data.sku_id, data.code, data.quantity)
        return await idempotency.respond(
            lambda: use_cases.run(ctx, command),
            lambda s: Rendered(CountScannedOut.of(s)),
        )

    @get(
        "/{count_id:uuid}/variances",
        media_type="application/json",
        opt=needs(CountVariances),
    )
    async def variances(
        self,
        ctx: Context,
        use_cases: Dispatch,
        count_id: FromPath[UUID],
        file_format: ReportFormat = "json",
        by: ReportBy = "sku",
    ) -> Response[VarianceReportOut] | Response[bytes]:
        """The supervisor's variance report: book (at counting), counted, variance, on hand
        now, and with ``inventory:costing`` the unit cost and value to the fen. Needs
        ``inventory:read`` besides ``inventory:count``. ``by=batch``: a batch-managed SKU
        per batch (number, expiry; on hand now is the batch's). ``format=csv`` or ``xlsx``
        downloads it as a file."""
        by_batch = by == "batch"
        report = await use_cases.query(ctx, CountVariances(count_id, by_batch))
        if file_format == "json":
            return Response(report_out(report))
        kinds = (*REPORT_KINDS[:2], *(("text", "text") if by_batch else ()), *REPORT_KINDS[2:])
        content = CsvXlsxTables().write(
            report_rows(report, by_batch),
            file_format,
            SheetFormat(name="variances", kinds=kinds),
        )
        suffix = "-by-batch" if by_batch else ""
        return download(content, file_format, f"count-{count_id}-variances{suffix}")

    @post("/{count_id:uuid}/approve", status_code=200, opt=needs(ApproveCount))
    async def approve_count(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        count_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[CountPostedOut]:
        """Approve a submitted count (If-Match): its variances are posted as
        ``count_variance`` ledger movements on the figures as they are now, once. Needs
        ``inventory:write`` besides ``inventory:count``."""

        return await idempotency.respond(
            lambda: use_cases.run(ctx, ApproveCount(count_id, expected_version)),
            lambda r: Rendered(
                CountPostedOut(view_out(r.view), r.posted_lines), version=r.view.session.version
            ),
        )
