"""The orders pages: the work queue with saved views and bulk actions, the abnormal
queue, a new order entered by hand, an order's page with its timeline, rule trace and
actions, and the review rules with their dry run (settings)."""

from litestar import Router

from application.orders.bulk import BulkOrders
from application.orders.queue.listing import ListQueue
from application.orders.review import GetRuleSet
from entrypoints.http.dependencies import service
from entrypoints.web.menu import MenuItem
from entrypoints.web.orders.detail import OrderPages
from entrypoints.web.orders.entry import EntryPages
from entrypoints.web.orders.queue import QueuePages
from entrypoints.web.orders.rules import RulePages

router = Router(
    path="/",
    route_handlers=[QueuePages, EntryPages, OrderPages, RulePages],
    dependencies={"bulk": service(BulkOrders)},
)
MENU = (
    MenuItem("nav.orders", "/console/orders", ListQueue, order=300),
    MenuItem("nav.order_rules", "/console/settings/order-rules", GetRuleSet, order=920),
)
