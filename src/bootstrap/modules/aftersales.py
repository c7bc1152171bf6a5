"""After-sales (ORD-6) and return analysis (LOG-4): cases through orders' and inventory's
ports, in the case's own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.aftersales.channel import SyncChannelRefundHandler
from application.aftersales.common import load_case, store_of
from application.aftersales.extras import ClaimInsuranceHandler, RequestReplenishmentHandler
from application.aftersales.opening import OpenCaseHandler
from application.aftersales.queries import (
    FindCasesHandler,
    GetCase,
    GetReturnAnalysisHandler,
    ListCases,
)
from application.aftersales.receiving import ReceiveCaseReturnHandler
from application.aftersales.refunds import RefundCaseHandler
from application.aftersales.settings import GetSettingsHandler, SetSettingsHandler
from application.aftersales.steps import STEPS, CaseStepHandler
from application.inventory.reservations.engine import RESERVATIONS
from application.inventory.stock.movements import RETURN_RECEIPTS
from application.orders.aftersales import OrderAftersales
from application.orders.common import StockKeeper
from application.shared.reads import GetOne, PageInIdOrder

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    # Orders' and inventory's ports, called in the case's own transaction.
    orders = OrderAftersales(StockKeeper(RESERVATIONS), c.notifier)
    c.use_cases.register(
        OpenCaseHandler(),
        ReceiveCaseReturnHandler(RETURN_RECEIPTS, orders),
        RefundCaseHandler(orders),
        ClaimInsuranceHandler(),
        RequestReplenishmentHandler(),
        GetSettingsHandler(),
        SetSettingsHandler(),
        GetReturnAnalysisHandler(),
        FindCasesHandler(),
        SyncChannelRefundHandler(),
    )
    steps = CaseStepHandler(orders)
    for step in STEPS:
        c.use_cases.add(step, steps)
    c.use_cases.add(GetCase, GetOne(load_case))
    c.use_cases.add(ListCases, PageInIdOrder(lambda uow: store_of(uow).cases.page))
