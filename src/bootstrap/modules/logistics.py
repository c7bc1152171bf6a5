"""Logistics (LOG-1, LOG-3): carriers. The desk that books waybills through a carrier's
gateway (``CarrierDesk``) is fulfilment's, through its own port (fulfilment.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.logistics.carriers import (
    ConnectCarrierHandler,
    CreateCarrierHandler,
    GetCarrier,
    ListCarriers,
    ReviseCarrierHandler,
    load_carrier,
)
from application.logistics.ports import LOGISTICS
from application.shared.reads import GetOne, PageInIdOrder

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    c.use_cases.register(CreateCarrierHandler(), ReviseCarrierHandler(), ConnectCarrierHandler())
    c.use_cases.add(GetCarrier, GetOne(load_carrier))
    c.use_cases.add(ListCarriers, PageInIdOrder(lambda uow: uow.of(LOGISTICS).carriers.page))
