"""/api/v1/inventory (INV-1, INV-2, INV-6, CHN-1/CHN-2 stock side): warehouses and bins,
stock levels and the ledger, stock movements, reservations, channel supply and
availability."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from application.inventory.availability import GetChannelAvailability
from application.inventory.batches.scanning import BatchFields
from application.inventory.costing.queries import GetCostPosition, GetValuation
from application.inventory.costing.receipts import (
    DocumentCharge,
    DocumentLine,
    ReceivedDocument,
    ReceiveDocument,
)
from application.inventory.costing.revaluation import Revaluations
from application.inventory.costing.settings import (
    CostingSettings,
    GetCostingSettings,
    SetCostingMethod,
)
from application.inventory.ports import ReservationRequest, Valuation
from application.inventory.references import GIVEN_TWICE
from application.inventory.reservations.commands import (
    CommitReservation,
    GetReservation,
    PickLockReservation,
    ReleaseReservation,
    ReserveStock,
)
from application.inventory.stock.movements import (
    AdjustStock,
    ChangeStockState,
    IssueStock,
    Moved,
    ReceiveReturn,
    ReceiveStock,
)
from application.inventory.stock.queries import ListLedger, ListStockLevels
from application.inventory.supply import GetChannelSupply, SetChannelSupply
from application.inventory.warehouses.bins import AddBin, ListBins
from application.inventory.warehouses.change import CloseWarehouse, ReviseWarehouse
from application.inventory.warehouses.open import OpenWarehouse
from application.inventory.warehouses.queries import GetWarehouse, ListWarehouses
from application.shared.references import named_once
from domain.inventory.availability import ChannelAvailability, ChannelSupply
from domain.inventory.reservation import RequestedLine, Reservation
from domain.inventory.stock import Deltas, LedgerEntry, StockLevel
from domain.inventory.warehouse import Bin, Warehouse
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.inventory.batch_schemas import CommitIn
from entrypoints.http.inventory.schemas import (
    AdjustmentIn,
    AvailabilityOut,
    BinIn,
    BinOut,
    ChannelSupplyIn,
    ChannelSupplyOut,
    CostingSettingsIn,
    CostingSettingsOut,
    CostPositionOut,
    FiguresOut,
    IssueIn,
    LedgerEntryOut,
    LedgerPageOut,
    MovedOut,
    ReceiptDocumentIn,
    ReceiptDocumentOut,
    ReceiptIn,
    ReceivedLineOut,
    ReservationIn,
    ReservationLineOut,
    ReservationOut,
    ReturnReceiptIn,
    StateChangeIn,
    StockLevelOut,
    StockLevelPageOut,
    ValuationOut,
    ValuedLevelOut,
    WarehouseAvailableOut,
    WarehouseIn,
    WarehouseOut,
    WarehousePageOut,
    WarehousePatch,
)
from entrypoints.http.permissions import needs
from entrypoints.http.wire import camel

PATH = "/api/v1/inventory"
SkuFilter = Annotated[UUID | None, QueryParameter(name="skuId", description="Only this SKU.")]
WarehouseFilter = Annotated[
    str | None,
    QueryParameter(name="warehouseId", description="Only this warehouse: its id or its code."),
]


def figures_out(figures: Deltas) -> FiguresOut:
    return FiguresOut.of(figures, available=figures.available)


def warehouse_out(warehouse: Warehouse) -> WarehouseOut:
    return WarehouseOut.of(warehouse, closed=warehouse.closed)


def bin_out(bin: Bin) -> BinOut:
    return BinOut.of(bin)


def level_out(level: StockLevel) -> StockLevelOut:
    return StockLevelOut.of(level, figures=figures_out(level.figures))


def moved_out(moved: Moved) -> MovedOut:
    return MovedOut.of(moved, figures=figures_out(moved.figures))


def entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    changes = {camel(k): v for k, v in entry.deltas.as_dict().items() if v}
    return LedgerEntryOut.of(entry, kind=entry.kind.value, changes=changes)


def reservation_out(reservation: Reservation) -> ReservationOut:
    return ReservationOut.of(
        reservation,
        status=reservation.status.value,
        lines=[ReservationLineOut.of(line) for line in reservation.lines],
    )


def supply_out(supply: ChannelSupply) -> ChannelSupplyOut:
    return ChannelSupplyOut.of(supply, warehouse_ids=list(supply.warehouse_ids))


def availability_out(found: ChannelAvailability) -> AvailabilityOut:
    return AvailabilityOut.of(
        found,
        warehouses=[WarehouseAvailableOut.of(w) for w in found.warehouses],
        explanation=found.explanation(),
    )


def _moved(moved: Moved) -> Rendered[MovedOut]:
    return Rendered(moved_out(moved))


class WarehousesController(Controller):
    path = "/warehouses"

    @get("/", opt=needs(ListWarehouses))
    async def list_warehouses(
        self,
        ctx: Context,
        use_cases: Dispatch,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> WarehousePageOut:
        """The company's warehouses."""
        return WarehousePageOut.of_page(
            await use_cases.query(ctx, ListWarehouses.window(cursor, limit)), warehouse_out
        )

    @post("/", opt=needs(OpenWarehouse))
    async def open_warehouse(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[WarehouseIn],
    ) -> Response[WarehouseOut]:
        """Open a warehouse."""
        command = data.to(OpenWarehouse)
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda w: Rendered(warehouse_out(w), f"{PATH}/warehouses/{w.id}", w.version),
        )

    @get("/{warehouse_id:uuid}", opt=needs(GetWarehouse))
    async def get_warehouse(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
    ) -> Response[WarehouseOut]:
        """One warehouse."""
        return etagged(warehouse_out, await use_cases.query(ctx, GetWarehouse(warehouse_id)))

    @patch("/{warehouse_id:uuid}", opt=needs(ReviseWarehouse))
    async def revise_warehouse(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
        data: JSONBody[WarehousePatch],
        expected_version: ExpectedVersion,
    ) -> Response[WarehouseOut]:
        """Change a warehouse (If-Match)."""
        command = data.to(
            ReviseWarehouse, warehouse_id=warehouse_id, expected_version=expected_version
        )
        return etagged(warehouse_out, await use_cases.run(ctx, command))

    @post("/{warehouse_id:uuid}/close", status_code=200, opt=needs(CloseWarehouse))
    async def close_warehouse(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> Response[WarehouseOut]:
        """Closed: no new stock; what it holds can still ship. Never deleted."""
        return etagged(
            warehouse_out, await use_cases.run(ctx, CloseWarehouse(warehouse_id, expected_version))
        )

    @get("/{warehouse_id:uuid}/bins", opt=needs(ListBins))
    async def list_bins(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
    ) -> list[BinOut]:
        """The warehouse's bins."""
        return [bin_out(b) for b in await use_cases.query(ctx, ListBins(warehouse_id))]

    @post("/{warehouse_id:uuid}/bins", opt=needs(AddBin))
    async def add_bin(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
        idempotency: Idempotent,
        data: JSONBody[BinIn],
    ) -> Response[BinOut]:
        """Add a bin to the warehouse."""
        command = AddBin(warehouse_id, data.code, data.name, data.zone)
        return await idempotency.created(
            lambda: use_cases.run(ctx, command), lambda b: Rendered(bin_out(b))
        )


class StockController(Controller):
    path = "/"

    @get("/stock", opt=needs(ListStockLevels))
    async def list_stock(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: SkuFilter = None,
        warehouse_id: WarehouseFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> StockLevelPageOut:
        """Stock levels, a figure per state, per SKU and warehouse."""
        page = await use_cases.query(ctx, ListStockLevels(sku_id, warehouse_id, cursor, limit))
        return StockLevelPageOut.of_page(page, level_out)

    @get("/ledger", opt=needs(ListLedger))
    async def list_ledger(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: SkuFilter = None,
        warehouse_id: WarehouseFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> LedgerPageOut:
        """Movements in the order they were written. ``unitCost`` is null without
        ``inventory:costing`` (``costsShown`` says which)."""
        found = await use_cases.query(ctx, ListLedger(sku_id, warehouse_id, cursor, limit))
        return LedgerPageOut(
            [entry_out(e) for e in found.page.items], found.page.next_cursor, found.costs_shown
        )

    @post("/receipts", opt=needs(ReceiveStock))
    async def receive(
        self,
        ctx: Context,
        use_cases: Dispatch,
        revaluations: NamedDependency[Revaluations],
        idempotency: Idempotent,
        data: JSONBody[ReceiptIn],
    ) -> Response[MovedOut]:
        """A unit cost needs ``inventory:costing``. A past ``effectiveAt`` (back-dated)
        starts a re-valuation job of the SKU × warehouse from then
        (``revaluationJobId``; follow it at ``/api/v1/jobs/{id}``)."""
        command = data.to(ReceiveStock)

        async def receive() -> Moved:
            moved = await use_cases.run(ctx, command)
            if moved.revaluation_job_id is not None:
                await revaluations.enqueue(ctx.tenant_id, moved.revaluation_job_id)
            return moved

        return await idempotency.created(receive, _moved)

    @post("/issues", opt=needs(IssueStock))
    async def issue(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[IssueIn],
    ) -> Response[MovedOut]:
        """Take stock out of a warehouse (a ledger movement)."""
        command = data.to(IssueStock)
        return await idempotency.created(lambda: use_cases.run(ctx, command), _moved)

    @post("/adjustments", opt=needs(AdjustStock))
    async def adjust(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[AdjustmentIn],
    ) -> Response[MovedOut]:
        """Correct a stock figure after a count (a ledger movement)."""
        command = data.to(AdjustStock)
        return await idempotency.created(lambda: use_cases.run(ctx, command), _moved)

    @post("/state-changes", opt=needs(ChangeStockState))
    async def change_state(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[StateChangeIn],
    ) -> Response[MovedOut]:
        """Move stock between states, e.g. to damaged (a ledger movement)."""
        command = data.to(ChangeStockState)
        return await idempotency.created(lambda: use_cases.run(ctx, command), _moved)

    @post("/return-receipts", opt=needs(ReceiveReturn))
    async def receive_return(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[ReturnReceiptIn],
    ) -> Response[MovedOut]:
        """Into a returns warehouse: ``resellable`` goes to available stock, ``damaged``
        to non-sellable."""
        command = data.to(ReceiveReturn)
        return await idempotency.created(lambda: use_cases.run(ctx, command), _moved)


class ReservationsController(Controller):
    path = "/reservations"

    @post("/", opt=needs(ReserveStock))
    async def reserve(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[ReservationIn],
    ) -> Response[ReservationOut]:
        """All lines or none: 409 ``insufficient_stock`` names the SKU and what is
        available. A line naming a warehouse is served only from it; the others by the
        channel's allocation strategy."""
        lines, by_code = [], []
        for i, li in enumerate(data.lines):
            named = named_once(
                li.warehouse_id,
                li.warehouse,
                id_field=f"lines[{i}].warehouseId",
                field=f"lines[{i}].warehouse",
                code=GIVEN_TWICE,
            )
            if isinstance(named, str):
                by_code.append((i, named))
            warehouse_id = named if isinstance(named, UUID) else None
            lines.append(RequestedLine(li.sku_id, li.quantity, warehouse_id))
        request = ReservationRequest(
            tuple(lines),
            data.channel_id,
            data.shipping_region,
            data.source_type,
            data.source_id,
            data.expires_at,
        )
        command = ReserveStock(request, tuple(by_code))
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda r: Rendered(reservation_out(r), f"{PATH}/reservations/{r.id}", r.version),
        )

    @get("/{reservation_id:uuid}", opt=needs(GetReservation))
    async def get_reservation(
        self,
        ctx: Context,
        use_cases: Dispatch,
        reservation_id: FromPath[UUID],
    ) -> Response[ReservationOut]:
        """One reservation with its lines."""
        return etagged(reservation_out, await use_cases.query(ctx, GetReservation(reservation_id)))

    @post("/{reservation_id:uuid}/release", status_code=200, opt=needs(ReleaseReservation))
    async def release(
        self,
        ctx: Context,
        use_cases: Dispatch,
        reservation_id: FromPath[UUID],
    ) -> Response[ReservationOut]:
        """Release a reservation: its stock is available again."""
        return etagged(
            reservation_out, await use_cases.run(ctx, ReleaseReservation(reservation_id))
        )

    @post("/{reservation_id:uuid}/pick-lock", status_code=200, opt=needs(PickLockReservation))
    async def pick_lock(
        self,
        ctx: Context,
        use_cases: Dispatch,
        reservation_id: FromPath[UUID],
    ) -> Response[ReservationOut]:
        """Lock a reservation's stock for picking."""
        return etagged(
            reservation_out, await use_cases.run(ctx, PickLockReservation(reservation_id))
        )

    @post("/{reservation_id:uuid}/commit", status_code=200, opt=needs(CommitReservation))
    async def commit(
        self,
        ctx: Context,
        use_cases: Dispatch,
        reservation_id: FromPath[UUID],
        data: JSONBody[CommitIn | None] = None,
    ) -> Response[ReservationOut]:
        """Shipped: the goods are issued (on hand and the lock go down). A serial-managed
        SKU's serials are scanned out (INV-8): `lines` of `skuId` and `serials`, one per
        unit; unknown or issued serials are refused by name (409) and nothing ships."""
        serials = tuple((li.sku_id, tuple(li.serials)) for li in (data.lines if data else []))
        command = CommitReservation(reservation_id, serials)
        return etagged(reservation_out, await use_cases.run(ctx, command))


class ChannelsController(Controller):
    path = "/channels"

    @get("/{channel_id:uuid}/supply", opt=needs(GetChannelSupply))
    async def get_supply(
        self,
        ctx: Context,
        use_cases: Dispatch,
        channel_id: FromPath[UUID],
    ) -> Response[ChannelSupplyOut]:
        """A channel without settings answers the defaults at version 0."""
        return etagged(supply_out, await use_cases.query(ctx, GetChannelSupply(channel_id)))

    @put("/{channel_id:uuid}/supply", opt=needs(SetChannelSupply))
    async def set_supply(
        self,
        ctx: Context,
        use_cases: Dispatch,
        channel_id: FromPath[UUID],
        data: JSONBody[ChannelSupplyIn],
        expected_version: ExpectedVersion,
    ) -> Response[ChannelSupplyOut]:
        """If-Match ``"v0"`` for a channel without settings. The supplying warehouses by
        ``warehouseIds`` or by their codes, ``warehouses``."""
        warehouses: list[UUID] | list[str] | None = named_once(
            data.warehouse_ids or None,
            data.warehouses or None,
            id_field="warehouseIds",
            field="warehouses",
            code=GIVEN_TWICE,
        )
        command = SetChannelSupply(
            channel_id,
            tuple(warehouses or ()),
            data.strategy,
            data.safety_stock,
            data.share_kind,
            data.share_value,
            expected_version,
        )
        return etagged(supply_out, await use_cases.run(ctx, command))

    @get(
        "/{channel_id:uuid}/availability/{sku_id:uuid}",
        opt=needs(GetChannelAvailability),
    )
    async def availability(
        self,
        ctx: Context,
        use_cases: Dispatch,
        channel_id: FromPath[UUID],
        sku_id: FromPath[UUID],
    ) -> AvailabilityOut:
        """How many units of the SKU the channel may sell now, and how that was reached."""
        return availability_out(
            await use_cases.query(ctx, GetChannelAvailability(channel_id, sku_id))
        )


def settings_out(settings: CostingSettings) -> CostingSettingsOut:
    return CostingSettingsOut.of(settings)


def document_out(document: ReceivedDocument) -> ReceiptDocumentOut:
    return ReceiptDocumentOut.of(
        document,
        total=document.total,
        lines=[
            ReceivedLineOut.of(
                line,
                goods=line.cost.goods,
                landed=line.cost.landed,
                total=line.cost.total,
                unit_cost=line.cost.unit_cost,
                figures=figures_out(line.figures),
            )
            for line in document.lines
        ],
    )


def valuation_out(valuation: Valuation) -> ValuationOut:
    return ValuationOut.of(valuation, items=[ValuedLevelOut.of(v) for v in valuation.levels])


class CostingController(Controller):
    """Costing (INV-7): everything here needs ``inventory:costing``."""

    path = "/"

    @get("/costing/settings", opt=needs(GetCostingSettings))
    async def get_costing(self, ctx: Context, use_cases: Dispatch) -> Response[CostingSettingsOut]:
        """The costing method (FIFO until set: version 0)."""
        return etagged(settings_out, await use_cases.query(ctx, GetCostingSettings()))

    @put("/costing/settings", opt=needs(SetCostingMethod))
    async def set_costing(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[CostingSettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[CostingSettingsOut]:
        """If-Match ``"v0"`` the first time. 409 ``costing_history_exists`` once a value
        was posted: the method is then fixed."""
        command = SetCostingMethod(data.method, expected_version)
        return etagged(settings_out, await use_cases.run(ctx, command))

    @post("/receipt-documents", opt=needs(ReceiveDocument))
    async def receive_document(
        self,
        ctx: Context,
        use_cases: Dispatch,
        revaluations: NamedDependency[Revaluations],
        idempotency: Idempotent,
        data: JSONBody[ReceiptDocumentIn],
    ) -> Response[ReceiptDocumentOut]:
        """A multi-line receipt with landed costs (freight, duty, other) allocated by
        quantity, value or weight. Needs ``inventory:costing`` as well."""
        command = data.to(
            ReceiveDocument,
            lines=tuple(
                DocumentLine(
                    li.sku_id,
                    li.quantity,
                    li.unit_cost,
                    li.weight,
                    BatchFields(li.batch_no, li.production_date, li.expiry_date),
                    li.serials,
                )
                for li in data.lines
            ),
            charges=tuple(DocumentCharge(c.kind, c.amount, c.basis) for c in data.charges),
        )

        async def receive() -> ReceivedDocument:
            document = await use_cases.run(ctx, command)
            for job_id in document.revaluation_job_ids:
                await revaluations.enqueue(ctx.tenant_id, job_id)
            return document

        return await idempotency.created(receive, lambda d: Rendered(document_out(d)))

    @get("/costs", opt=needs(GetCostPosition))
    async def cost_position(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: Annotated[UUID, QueryParameter(name="skuId", description="The SKU.")],
        warehouse_id: Annotated[
            str, QueryParameter(name="warehouseId", description="The warehouse: id or code.")
        ],
    ) -> CostPositionOut:
        """A SKU × warehouse's quantity, value and current unit cost."""
        position = await use_cases.query(ctx, GetCostPosition(sku_id, warehouse_id))
        return CostPositionOut.of(position)

    @get("/valuation", opt=needs(GetValuation))
    async def valuation(
        self,
        ctx: Context,
        use_cases: Dispatch,
        at: Annotated[
            datetime | None,
            QueryParameter(description="The instant (with its offset); default now."),
        ] = None,
        sku_id: SkuFilter = None,
        warehouse_id: WarehouseFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ValuationOut:
        """Quantity and value by SKU × warehouse at a date (one closing plus the movements
        since it), a page in SKU, warehouse order; ``total`` (every level's) on the first
        page."""
        query = GetValuation(at, sku_id, warehouse_id, cursor, limit)
        return valuation_out(await use_cases.query(ctx, query))
