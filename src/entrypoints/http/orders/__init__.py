"""Orders over HTTP (ORD-1..ORD-3, ORD-5)."""

from litestar import Router

from application.orders.bulk import BulkOrders
from application.orders.review_job import WaitingReviews
from entrypoints.http.dependencies import service
from entrypoints.http.orders.controllers import OrdersController
from entrypoints.http.orders.queue import QueueController
from entrypoints.http.orders.risk_policy import RiskPolicyController

router = Router(
    path="/api/v1/orders",
    tags=["orders"],
    route_handlers=[OrdersController, QueueController, RiskPolicyController],
    dependencies={"bulk": service(BulkOrders), "reviews": service(WaitingReviews)},
)
