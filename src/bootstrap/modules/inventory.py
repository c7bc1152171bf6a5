"""Inventory (INV-*): warehouses, stock and its ledger, reservations, channel supply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.files.tables import CsvXlsxTables
from adapters.postgres.inventory.sweeps import (
    PostgresDueReservations,
    PostgresValuedTenants,
    PostgresWatchedTenants,
)
from adapters.robots.sender import HttpAlertRobotSender
from application.inventory.alerts.delivery import AlertDelivery
from application.inventory.alerts.evaluate import StockAlertSweep, SweepStockAlertsHandler
from application.inventory.alerts.queries import GetStockAlertHandler, ListStockAlertsHandler
from application.inventory.alerts.robot import GetAlertRobotHandler, SetAlertRobotHandler
from application.inventory.alerts.thresholds import (
    GetStockThresholdHandler,
    ListCategoryThresholdsHandler,
    ListStockThresholdsHandler,
    SetCategoryThresholdHandler,
    SetStockThresholdHandler,
)
from application.inventory.analysis.queries import (
    GetDailyPositionHandler,
    GetIdleStockHandler,
    GetTurnoverHandler,
)
from application.inventory.availability import GetChannelAvailabilityHandler
from application.inventory.batches.picking import BatchPicking, GetPickingSuggestionHandler
from application.inventory.batches.queries import (
    GetSerialHandler,
    ListBatchStockHandler,
    ListExpiringStockHandler,
)
from application.inventory.batches.settings import (
    GetSkuStockSettingsHandler,
    GetStockSettingsHandler,
    SetSkuStockSettingsHandler,
    SetStockSettingsHandler,
)
from application.inventory.common import load_reservation, load_warehouse, store_of
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.queries import (
    ExportValuationHandler,
    GetCostPositionHandler,
    GetValuationHandler,
)
from application.inventory.costing.receipts import ReceiveDocumentHandler
from application.inventory.costing.revaluation import Revaluations
from application.inventory.costing.settings import (
    GetCostingSettingsHandler,
    SetCostingMethodHandler,
)
from application.inventory.counts.commands import (
    ApproveCountHandler,
    CancelCount,
    CountStepHandler,
    CreateCountHandler,
    EnterCountsHandler,
    StartCount,
    SubmitCount,
)
from application.inventory.counts.queries import (
    CountSheetHandler,
    CountVariancesHandler,
    GetCountHandler,
    ListCounts,
)
from application.inventory.counts.scans import ScanCountHandler
from application.inventory.imports.commands import (
    CommitStockImportHandler,
    GetStockImportHandler,
    UploadStockImportHandler,
)
from application.inventory.imports.service import StockImports
from application.inventory.reservations.commands import (
    CommitReservation,
    GetReservation,
    PickLockReservation,
    ReleaseReservation,
    ReservationStepHandler,
    ReserveStockHandler,
)
from application.inventory.reservations.engine import RESERVATIONS
from application.inventory.reservations.expiry import (
    ExpireReservationsHandler,
    ReservationExpiry,
)
from application.inventory.stock.check import CheckLedgerHandler, LedgerCheck
from application.inventory.stock.movements import (
    AdjustStockHandler,
    ChangeStockStateHandler,
    IssueStockHandler,
    ReceiveReturnHandler,
    ReceiveStockHandler,
)
from application.inventory.stock.queries import ListLedgerHandler, ListStockLevelsHandler
from application.inventory.stock.skus import FindSkuHandler, SkuCodesHandler
from application.inventory.supply import GetChannelSupplyHandler, SetChannelSupplyHandler
from application.inventory.transfers.commands import (
    CancelTransfer,
    GetTransfer,
    ListTransfers,
    ReceiveTransferHandler,
    RequestTransferHandler,
    ShipTransfer,
    TransferStepHandler,
    load_transfer,
)
from application.inventory.warehouses.bins import AddBinHandler, ListBinsHandler
from application.inventory.warehouses.change import (
    CloseWarehouseHandler,
    ReviseWarehouseHandler,
)
from application.inventory.warehouses.open import OpenWarehouseHandler
from application.inventory.warehouses.queries import GetWarehouse, ListWarehouses
from application.shared.reads import GetOne, PageInIdOrder
from application.shared.use_cases import UseCases

if TYPE_CHECKING:
    from bootstrap import Container


def register_use_cases(use_cases: UseCases) -> None:
    """Inventory's handlers, each for the command or query its ``handle`` takes."""
    use_cases.register(
        OpenWarehouseHandler(),
        ReviseWarehouseHandler(),
        CloseWarehouseHandler(),
        AddBinHandler(),
        ListBinsHandler(),
        ReceiveStockHandler(),
        IssueStockHandler(),
        AdjustStockHandler(),
        ChangeStockStateHandler(),
        ReceiveReturnHandler(),
        ListStockLevelsHandler(),
        ListLedgerHandler(),
        FindSkuHandler(),
        SkuCodesHandler(),
        CheckLedgerHandler(),
        ReserveStockHandler(),
        ExpireReservationsHandler(),
        SetChannelSupplyHandler(),
        GetChannelSupplyHandler(),
        GetChannelAvailabilityHandler(),
        CreateCountHandler(),
        EnterCountsHandler(),
        ScanCountHandler(),
        ApproveCountHandler(),
        GetCountHandler(),
        CountSheetHandler(),
        CountVariancesHandler(),
        RequestTransferHandler(),
        ReceiveTransferHandler(),
        # thresholds and alerts (INV-3)
        SetStockThresholdHandler(),
        ListStockThresholdsHandler(),
        GetStockThresholdHandler(),
        SetCategoryThresholdHandler(),
        ListCategoryThresholdsHandler(),
        SweepStockAlertsHandler(),
        GetStockAlertHandler(),
        ListStockAlertsHandler(),
        SetAlertRobotHandler(),
        GetAlertRobotHandler(),
        # the daily position and the analysis (INV-9, INV-10)
        GetDailyPositionHandler(),
        GetTurnoverHandler(),
        GetIdleStockHandler(),
        # the opening-stock import
        UploadStockImportHandler(),
        CommitStockImportHandler(),
        GetStockImportHandler(),
        GetCostingSettingsHandler(),
        SetCostingMethodHandler(),
        ReceiveDocumentHandler(),
        GetCostPositionHandler(),
        GetValuationHandler(),
        ExportValuationHandler(),
        # batches, expiry and serials (INV-8)
        GetStockSettingsHandler(),
        SetStockSettingsHandler(),
        GetSkuStockSettingsHandler(),
        SetSkuStockSettingsHandler(),
        GetPickingSuggestionHandler(),
        ListExpiringStockHandler(),
        GetSerialHandler(),
        ListBatchStockHandler(),
    )
    use_cases.add(GetWarehouse, GetOne(load_warehouse))
    use_cases.add(ListWarehouses, PageInIdOrder(lambda uow: store_of(uow).warehouses.page))
    use_cases.add(GetReservation, GetOne(load_reservation))
    steps = ReservationStepHandler()
    for step in (ReleaseReservation, PickLockReservation, CommitReservation):
        use_cases.add(step, steps)
    count_steps = CountStepHandler()
    for count_step in (StartCount, SubmitCount, CancelCount):
        use_cases.add(count_step, count_steps)
    transfer_steps = TransferStepHandler()
    for transfer_step in (ShipTransfer, CancelTransfer):
        use_cases.add(transfer_step, transfer_steps)
    use_cases.add(GetTransfer, GetOne(load_transfer))
    use_cases.add(ListTransfers, PageInIdOrder(lambda uow: store_of(uow).transfers.page))
    use_cases.add(ListCounts, PageInIdOrder(lambda uow: store_of(uow).counts.page))


def register(c: Container) -> None:
    # The port orders will call in their own transaction (container.get(Reservations)).
    register_use_cases(c.use_cases)
    revaluations = Revaluations(c.uow_factory, c.task_queue, c.clock)
    c.add(
        revaluations,
        StockClosings(
            c.uow_factory, revaluations, PostgresValuedTenants(c.platform_engine), c.clock
        ),
        RESERVATIONS,
        BatchPicking(),  # the picking suggestion fulfilment's pick list calls (INV-8)
        LedgerCheck(c.uow_factory),
        ReservationExpiry(c.use_cases, PostgresDueReservations(c.platform_engine), c.clock),
        StockAlertSweep(c.use_cases, PostgresWatchedTenants(c.platform_engine)),
        AlertDelivery(c.uow_factory, c.notifier, c.templates, HttpAlertRobotSender()),
        StockImports(
            c.use_cases, c.uow_factory, CsvXlsxTables(), c.task_queue, c.access, c.clock, c.ids
        ),
    )
