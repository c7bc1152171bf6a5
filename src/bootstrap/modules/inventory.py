"""Inventory (INV-*): warehouses, stock and its ledger, reservations, channel supply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.inventory.sweeps import PostgresDueReservations
from application.inventory.reservations.engine import Reservations
from application.inventory.reservations.expiry import ReservationExpiry
from application.inventory.service import ChannelSupplyService, ReservationService, StockService
from application.inventory.stock.check import LedgerCheck
from application.inventory.warehouses.service import WarehouseService

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    # The port orders will call in their own transaction (container.get(Reservations)).
    reservations = Reservations(c.clock, c.ids)
    c.add(
        reservations,
        WarehouseService(c.runner, c.clock, c.ids),
        StockService(c.runner),
        ReservationService(c.runner, reservations),
        ChannelSupplyService(c.runner, c.clock),
        LedgerCheck(c.uow_factory),
        ReservationExpiry(
            c.runner, PostgresDueReservations(c.platform_engine), reservations, c.clock
        ),
    )
