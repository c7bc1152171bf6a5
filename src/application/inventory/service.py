"""The inventory module's use cases, gathered for the composition root and entrypoints:
stock movements and reads, reservations, channel supply and availability. Warehouses have
their own facade (``warehouses.service``)."""

from __future__ import annotations

from uuid import UUID

from application.inventory.availability import GetChannelAvailability, GetChannelAvailabilityHandler
from application.inventory.ports import LedgerDifference, ReservationRequest
from application.inventory.reservations.commands import (
    CommitReservation,
    CommitReservationHandler,
    GetReservation,
    GetReservationHandler,
    PickLockReservation,
    PickLockReservationHandler,
    ReleaseReservation,
    ReleaseReservationHandler,
    ReserveStock,
    ReserveStockHandler,
)
from application.inventory.reservations.engine import Reservations
from application.inventory.stock.check import CheckLedger, CheckLedgerHandler
from application.inventory.stock.movements import (
    AdjustStock,
    AdjustStockHandler,
    ChangeStockState,
    ChangeStockStateHandler,
    IssueStock,
    IssueStockHandler,
    Moved,
    ReceiveReturn,
    ReceiveReturnHandler,
    ReceiveStock,
    ReceiveStockHandler,
)
from application.inventory.stock.queries import (
    LedgerPage,
    ListLedger,
    ListLedgerHandler,
    ListStockLevels,
    ListStockLevelsHandler,
)
from application.inventory.supply import (
    GetChannelSupply,
    GetChannelSupplyHandler,
    SetChannelSupply,
    SetChannelSupplyHandler,
)
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.inventory.availability import ChannelAvailability, ChannelSupply
from domain.inventory.reservation import Reservation
from domain.inventory.stock import StockLevel


class StockService:
    """Receipts, issues, adjustments, state changes, returns; levels, ledger, check."""

    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(ReceiveStock)
    async def receive(self, ctx: CallContext, command: ReceiveStock) -> Moved:
        return await self._runner.run(ctx, command, ReceiveStockHandler())

    @runs(IssueStock)
    async def issue(self, ctx: CallContext, command: IssueStock) -> Moved:
        return await self._runner.run(ctx, command, IssueStockHandler())

    @runs(AdjustStock)
    async def adjust(self, ctx: CallContext, command: AdjustStock) -> Moved:
        return await self._runner.run(ctx, command, AdjustStockHandler())

    @runs(ChangeStockState)
    async def change_state(self, ctx: CallContext, command: ChangeStockState) -> Moved:
        return await self._runner.run(ctx, command, ChangeStockStateHandler())

    @runs(ReceiveReturn)
    async def receive_return(self, ctx: CallContext, command: ReceiveReturn) -> Moved:
        return await self._runner.run(ctx, command, ReceiveReturnHandler())

    @runs(ListStockLevels)
    async def levels(self, ctx: CallContext, query: ListStockLevels) -> Page[StockLevel]:
        return await self._runner.query(ctx, query, ListStockLevelsHandler())

    @runs(ListLedger)
    async def ledger(self, ctx: CallContext, query: ListLedger) -> LedgerPage:
        return await self._runner.query(ctx, query, ListLedgerHandler())

    @runs(CheckLedger)
    async def check_ledger(self, ctx: CallContext) -> list[LedgerDifference]:
        return await self._runner.query(ctx, CheckLedger(), CheckLedgerHandler())


class ReservationService:
    def __init__(self, runner: CommandRunner, reservations: Reservations) -> None:
        self._runner = runner
        self._reserve = ReserveStockHandler(reservations)
        self._release = ReleaseReservationHandler(reservations)
        self._pick_lock = PickLockReservationHandler(reservations)
        self._commit = CommitReservationHandler(reservations)

    @runs(ReserveStock)
    async def reserve(self, ctx: CallContext, request: ReservationRequest) -> Reservation:
        return await self._runner.run(ctx, ReserveStock(request), self._reserve)

    @runs(ReleaseReservation)
    async def release(self, ctx: CallContext, reservation_id: UUID) -> Reservation:
        return await self._runner.run(ctx, ReleaseReservation(reservation_id), self._release)

    @runs(PickLockReservation)
    async def pick_lock(self, ctx: CallContext, reservation_id: UUID) -> Reservation:
        return await self._runner.run(ctx, PickLockReservation(reservation_id), self._pick_lock)

    @runs(CommitReservation)
    async def commit(self, ctx: CallContext, reservation_id: UUID) -> Reservation:
        return await self._runner.run(ctx, CommitReservation(reservation_id), self._commit)

    @runs(GetReservation)
    async def get(self, ctx: CallContext, reservation_id: UUID) -> Reservation:
        return await self._runner.query(
            ctx, GetReservation(reservation_id), GetReservationHandler()
        )


class ChannelSupplyService:
    def __init__(self, runner: CommandRunner, clock: Clock) -> None:
        self._runner = runner
        self._set = SetChannelSupplyHandler(clock)

    @runs(SetChannelSupply)
    async def set(self, ctx: CallContext, command: SetChannelSupply) -> ChannelSupply:
        return await self._runner.run(ctx, command, self._set)

    @runs(GetChannelSupply)
    async def get(self, ctx: CallContext, channel_id: UUID) -> ChannelSupply:
        return await self._runner.query(
            ctx, GetChannelSupply(channel_id), GetChannelSupplyHandler()
        )

    @runs(GetChannelAvailability)
    async def availability(
        self, ctx: CallContext, channel_id: UUID, sku_id: UUID
    ) -> ChannelAvailability:
        return await self._runner.query(
            ctx, GetChannelAvailability(channel_id, sku_id), GetChannelAvailabilityHandler()
        )
