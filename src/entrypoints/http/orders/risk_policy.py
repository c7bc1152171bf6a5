"""/api/v1/orders/settings/risk-policy: the tenant's thresholds of the suspected-fraud
score (ORD-5; docs/orders.md, "Risk score")."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from litestar import Controller, get, put
from litestar.params import JSONBody

from application.orders.queries import GetRiskPolicy, SetRiskPolicy
from domain.orders.risk import MAX_FACTOR, MAX_WINDOW_HOURS, RiskPolicy
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.limits import stated
from entrypoints.http.permissions import needs
from entrypoints.http.wire import Amount, AmountIn, WireIn, WireOut, camel, decimal_in

Points = Annotated[int, stated(minimum=0, maximum=100)]
Factor = Annotated[Decimal, decimal_in(1, len(str(MAX_FACTOR)))]


class RiskPolicyIn(WireIn):
    """The whole policy; a field left out (or null) takes its default (``GET`` shows them:
    factor 5, 40 points; 5 orders, 30 points; 2000.00, 35 points; suspected from 60; 24 h)."""

    far_above_factor: Factor | None = None  # total ≥ factor × the customer's usual amount
    far_above_points: Points | None = None
    many_orders: Annotated[int, stated(minimum=1, maximum=10_000)] | None = None
    many_orders_points: Points | None = None  # per address, and per phone
    high_amount: AmountIn | None = None  # a new customer's order from this total
    new_customer_points: Points | None = None
    suspect_from: Annotated[int, stated(minimum=1, maximum=100)] | None = None
    window_hours: Annotated[int, stated(minimum=1, maximum=MAX_WINDOW_HOURS)] | None = None


class RiskPolicyOut(WireOut):
    far_above_factor: Amount
    far_above_points: int
    many_orders: int
    many_orders_points: int
    high_amount: Amount
    new_customer_points: int
    suspect_from: int
    window_hours: int


class RiskPolicyController(Controller):
    path = "/settings/risk-policy"

    @get("/", opt=needs(GetRiskPolicy))
    async def get_risk_policy(self, ctx: Context, use_cases: Dispatch) -> RiskPolicyOut:
        """The tenant's risk policy: when an order is far above the customer's usual amount,
        how many orders to one address or phone in the window are many, what a new
        customer's high amount is, the points of each and the score from which an order
        is suspected (the defaults until the tenant sets them)."""
        policy: RiskPolicy = await use_cases.query(ctx, GetRiskPolicy())
        return RiskPolicyOut.of(policy)

    @put("/", opt=needs(SetRiskPolicy))
    async def set_risk_policy(
        self, ctx: Context, use_cases: Dispatch, data: JSONBody[RiskPolicyIn]
    ) -> RiskPolicyOut:
        """Set the risk policy (audited); the review uses it from the next order on."""
        try:
            policy: RiskPolicy = await use_cases.run(ctx, data.to(SetRiskPolicy))
        except ValidationFailed as refused:  # the policy's fields, named as the wire names them
            raise refused.renamed(camel) from None
        return RiskPolicyOut.of(policy)
