"""Orders (ORD-1..ORD-3, ORD-5, ORD-7): placing with stock reserved through inventory's
port, payments, review, edits, the unpaid-timeout and restock sweeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.orders.sweeps import PostgresDueOrders
from application.inventory.reservations.engine import RESERVATIONS
from application.orders.bulk import BulkOrders
from application.orders.common import StockKeeper
from application.orders.lifecycle import ORDER_COMMANDS, OrderLifecycleHandler
from application.orders.merging import MergeOrdersHandler, UnmergeOrderHandler
from application.orders.placing import PlaceOrderHandler
from application.orders.pricing import CatalogPricing
from application.orders.queries import (
    GetCustomerTotalsHandler,
    GetOrderHandler,
    GetOrderTimelineHandler,
    GetUnpaidLimitHandler,
    ListOrdersHandler,
    SetUnpaidLimitHandler,
)
from application.orders.queue.analytics import (
    GetOrderAnalyticsHandler,
    RebuildOrderAnalyticsHandler,
)
from application.orders.queue.listing import GetAbnormalQueueHandler, ListQueueHandler
from application.orders.queue.views import (
    CreateViewHandler,
    DeleteViewHandler,
    GetViewHandler,
    ListViewsHandler,
    UpdateViewHandler,
)
from application.orders.review import (
    DryRunRulesHandler,
    GetRuleSetHandler,
    Reviewer,
    SaveRuleSetHandler,
)
from application.orders.splitting import RejoinOrderHandler, SplitOrderHandler
from application.orders.sweeps import (
    CancelUnpaidOrdersHandler,
    OrderSweeps,
    ReleaseExpiredHoldsHandler,
    RetryAwaitingStockHandler,
)

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    # Inventory's reservation engine, called in the order's own transaction.
    keeper, pricing, reviewer = StockKeeper(RESERVATIONS), CatalogPricing(), Reviewer()
    c.use_cases.register(
        PlaceOrderHandler(keeper, pricing, reviewer),
        GetRuleSetHandler(),
        SaveRuleSetHandler(),
        DryRunRulesHandler(reviewer),
        SplitOrderHandler(keeper),
        RejoinOrderHandler(keeper),
        MergeOrdersHandler(keeper),
        UnmergeOrderHandler(keeper),
        GetOrderHandler(),
        GetCustomerTotalsHandler(),
        GetOrderTimelineHandler(),
        ListOrdersHandler(),
        GetUnpaidLimitHandler(),
        SetUnpaidLimitHandler(),
        CancelUnpaidOrdersHandler(keeper, c.notifier),
        RetryAwaitingStockHandler(keeper, c.notifier),
        ReleaseExpiredHoldsHandler(c.notifier),
        ListQueueHandler(),
        GetAbnormalQueueHandler(),
        ListViewsHandler(),
        GetViewHandler(),
        CreateViewHandler(),
        UpdateViewHandler(),
        DeleteViewHandler(),
        GetOrderAnalyticsHandler(),
        RebuildOrderAnalyticsHandler(),
    )
    lifecycle = OrderLifecycleHandler(keeper, c.notifier, pricing, reviewer)
    for command in ORDER_COMMANDS:
        c.use_cases.add(command, lifecycle)
    c.add(
        OrderSweeps(c.use_cases, PostgresDueOrders(c.platform_engine), c.clock),
        BulkOrders(c.use_cases),
    )
