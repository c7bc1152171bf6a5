"""Orders (ORD-1..ORD-5, ORD-7): placing with stock reserved through inventory's port,
payments, review, edits, merge and split, the unpaid-timeout, restock, hold-expiry and
automatic-merge sweeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.orders.sweeps import PostgresDueOrders
from application.inventory.reservations.engine import RESERVATIONS
from application.orders.bulk import BulkOrders
from application.orders.common import StockKeeper
from application.orders.lifecycle import ORDER_COMMANDS, OrderLifecycleHandler
from application.orders.merge_candidates import ListMergeCandidatesHandler
from application.orders.merging import MergeOrdersHandler, Merger, UnmergeOrderHandler
from application.orders.placing import PlaceOrderHandler
from application.orders.pricing import CatalogPricing
from application.orders.queries import (
    GetCustomerTotalsHandler,
    GetMergeWaitHandler,
    GetOrderHandler,
    GetOrderTimelineHandler,
    GetRiskPolicyHandler,
    GetUnpaidLimitHandler,
    ListOrdersHandler,
    SetMergeWaitHandler,
    SetRiskPolicyHandler,
    SetUnpaidLimitHandler,
)
from application.orders.queue.analytics import (
    GetOrderAnalyticsHandler,
    RebuildOrderAnalyticsHandler,
)
from application.orders.queue.backfill import BackfillOrderRollupsHandler, RollupBackfill
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
    ReviewWaitingHandler,
    SaveRuleSetHandler,
)
from application.orders.review_job import StartWaitingReviewHandler, WaitingReviews
from application.orders.sku_codes import GetOrderSkuCodesHandler
from application.orders.splitting import RejoinOrderHandler, SplitOrderHandler, Splitter
from application.orders.sweeps import (
    CancelUnpaidOrdersHandler,
    CompleteDeliveredOrdersHandler,
    MergeDueOrdersHandler,
    OrderSweeps,
    ReleaseExpiredHoldsHandler,
    RetryAwaitingStockHandler,
)

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    # Inventory's reservation engine, called in the order's own transaction.
    keeper, pricing = StockKeeper(RESERVATIONS), CatalogPricing()
    reviewer, merger = Reviewer(Splitter(keeper)), Merger(keeper)
    c.use_cases.register(
        PlaceOrderHandler(keeper, pricing, reviewer),
        GetRuleSetHandler(),
        SaveRuleSetHandler(),
        DryRunRulesHandler(reviewer),
        ReviewWaitingHandler(reviewer, keeper, c.notifier),
        SplitOrderHandler(Splitter(keeper)),
        RejoinOrderHandler(keeper),
        MergeOrdersHandler(merger),
        ListMergeCandidatesHandler(),
        UnmergeOrderHandler(keeper),
        GetOrderHandler(),
        GetCustomerTotalsHandler(),
        GetOrderTimelineHandler(),
        GetOrderSkuCodesHandler(),
        ListOrdersHandler(),
        GetUnpaidLimitHandler(),
        SetUnpaidLimitHandler(),
        CancelUnpaidOrdersHandler(keeper, c.notifier),
        RetryAwaitingStockHandler(keeper, c.notifier),
        ReleaseExpiredHoldsHandler(keeper, c.notifier, reviewer),
        MergeDueOrdersHandler(merger, reviewer, keeper),
        CompleteDeliveredOrdersHandler(c.notifier),
        GetMergeWaitHandler(),
        SetMergeWaitHandler(),
        GetRiskPolicyHandler(),
        SetRiskPolicyHandler(),
        ListQueueHandler(),
        GetAbnormalQueueHandler(),
        ListViewsHandler(),
        GetViewHandler(),
        CreateViewHandler(),
        UpdateViewHandler(),
        DeleteViewHandler(),
        GetOrderAnalyticsHandler(),
        RebuildOrderAnalyticsHandler(),
        BackfillOrderRollupsHandler(),
        StartWaitingReviewHandler(),
    )
    lifecycle = OrderLifecycleHandler(keeper, c.notifier, pricing, reviewer)
    for command in ORDER_COMMANDS:
        c.use_cases.add(command, lifecycle)
    c.add(
        OrderSweeps(c.use_cases, PostgresDueOrders(c.platform_engine), c.clock),
        BulkOrders(c.use_cases),
        RollupBackfill(c.uow_factory, c.clock),
        WaitingReviews(c.use_cases, c.uow_factory, c.task_queue, c.clock),
    )
