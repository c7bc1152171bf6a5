"""Wire types for /api/v1/orders (camelCase; money as Decimal strings exact to the fen)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.orders.bulk import BulkAction
from application.orders.merging import MAX_MERGED
from application.orders.placing import OrderSource
from application.orders.queries import MAX_MERGE_WAIT_MINUTES, MAX_UNPAID_MINUTES
from application.orders.review import DEFAULT_REVIEW_PAGE, MAX_REVIEW_PAGE
from application.orders.splitting import SplitBy
from domain.orders.abnormal import AbnormalType
from domain.orders.actions import OrderAction
from domain.orders.lines import MAX_QUANTITY
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import FlagColour, InvoiceKind
from entrypoints.http.limits import stated
from entrypoints.http.wire import AmountIn, PageOut, PositiveAmountIn, WireIn, WireOut

Quantity = Annotated[int, stated(minimum=1, description=f"1 to {MAX_QUANTITY:,} units")]
Aware = Annotated[datetime, msgspec.Meta(tz=True)]


class AddressIn(WireIn):
    province: str
    city: str
    district: str
    line: str
    postal_code: str | None = None


class ReceiverIn(WireIn):
    name: str
    phone: str
    address: AddressIn


class DiscountIn(WireIn):
    amount: AmountIn
    source: str
    reason: str


class OrderLineIn(WireIn):
    sku_id: UUID
    quantity: Quantity
    # the platform's price (marketplace, import); for api and staff a manual price
    unit_price: AmountIn | None = None
    discounts: list[DiscountIn] = []
    tax: AmountIn | None = None  # none: 0
    title: str | None = None
    platform_order_id: str | None = None
    platform_sub_order_id: str | None = None
    unit_weight_grams: int = 0
    presale: bool = False


class InvoiceIn(WireIn):
    kind: InvoiceKind
    title: str
    tax_number: str | None = None


class PaymentIn(WireIn):
    method: PaymentMethod
    amount: PositiveAmountIn
    transaction_id: str | None = None
    paid_at: Aware | None = None


class OrderIn(WireIn):
    lines: Annotated[list[OrderLineIn], stated(min_items=1)]
    receiver: ReceiverIn
    source: OrderSource = OrderSource.API
    currency: str = "CNY"
    channel_id: UUID | None = None
    customer_id: UUID | None = None
    member_tier: str | None = None
    platform_order_ids: list[str] = []
    shipping_fee: AmountIn | None = None  # none: 0
    buyer_message: str | None = None
    seller_memo: str | None = None
    memo_flag: FlagColour = FlagColour.NONE
    invoice: InvoiceIn | None = None
    cash_on_delivery: bool = False
    payments: list[PaymentIn] = []


class RefundIn(WireIn):
    payment_id: UUID
    amount: PositiveAmountIn
    reason: str
    transaction_id: str | None = None


class HoldIn(WireIn):
    reason: str
    until: Aware | None = None


class ReasonIn(WireIn):
    reason: str


class ResolveIn(WireIn):
    type: AbnormalType
    reason: str


# What an edit does; the fields each needs follow from it (``required`` otherwise).
EDIT_OPS = ("add_line", "remove_line", "change_quantity", "change_address", "adjust_price")


class EditIn(WireIn):
    """One edit: ``op`` says which, with its fields."""

    op: Annotated[str, stated(choices=EDIT_OPS)]
    sku_id: UUID | None = None
    line_id: UUID | None = None
    quantity: int | None = None
    unit_price: AmountIn | None = None
    receiver: ReceiverIn | None = None


class EditsIn(WireIn):
    edits: list[EditIn]
    reason: str


class UnpaidLimitIn(WireIn):
    minutes: Annotated[int, stated(minimum=1, maximum=MAX_UNPAID_MINUTES)]


class UnpaidLimitOut(WireOut):
    minutes: int


class ReviewWaitingIn(WireIn):
    cursor: str | None = None  # the previous answer's nextCursor
    limit: Annotated[int, stated(minimum=1, maximum=MAX_REVIEW_PAGE)] = DEFAULT_REVIEW_PAGE


class ReviewedPageOut(WireOut):
    reviewed: int
    changed: int
    next_cursor: str | None


class MergeWaitIn(WireIn):
    # None: only the orders a rule made merge-eligible merge automatically
    minutes: Annotated[int, stated(minimum=0, maximum=MAX_MERGE_WAIT_MINUTES)] | None


class MergeWaitOut(WireOut):
    minutes: int | None


class DiscountOut(WireOut):
    amount: Decimal
    source: str
    reason: str


class OrderLineOut(WireOut):
    id: UUID
    sku_id: UUID
    title: str | None
    quantity: int
    unit_price: Decimal
    discounts: list[DiscountOut]
    tax: Decimal
    net: Decimal
    platform_order_id: str | None
    platform_sub_order_id: str | None
    presale: bool
    gift: bool
    warehouse_id: UUID | None


class AddressOut(WireOut):
    province: str
    city: str
    district: str
    line: str
    postal_code: str | None


class ReceiverOut(WireOut):
    name: str
    phone: str
    address: AddressOut


class PaymentOut(WireOut):
    id: UUID
    method: PaymentMethod
    amount: Decimal
    paid_at: datetime
    transaction_id: str | None


class RefundOut(WireOut):
    id: UUID
    payment_id: UUID
    amount: Decimal
    reason: str
    refunded_at: datetime
    transaction_id: str | None


class AbnormalityOut(WireOut):
    type: AbnormalType
    since: datetime
    due: datetime
    release: str
    note: str | None
    detail: dict[str, str]
    risk_score: int | None  # a suspected fraud: the score and its reasons' codes
    risk_reasons: list[str]


class HoldOut(WireOut):
    reason: str
    since: datetime
    until: datetime | None


class OrderOut(WireOut):
    id: UUID
    number: str
    source: str
    status: str
    resume_status: str | None
    currency: str
    channel_id: UUID | None
    platform_order_ids: list[str]
    customer_id: UUID | None
    receiver: ReceiverOut
    lines: list[OrderLineOut]
    goods_total: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_fee: Decimal
    total: Decimal
    paid_amount: Decimal
    balance_due: Decimal
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    cash_on_delivery: bool
    buyer_message: str | None
    seller_memo: str | None
    memo_flag: FlagColour
    hold: HoldOut | None
    abnormalities: list[AbnormalityOut]
    reserved: dict[str, int]
    placed_at: datetime
    paid_at: datetime | None
    warehouse_id: UUID | None
    carrier: str | None
    priority: int  # the work queue's first key, 0 to 100, higher first
    due_at: datetime | None  # when the earliest open abnormality is overdue
    # merge and split (ORD-4): the retired original names what replaced it, a part its original
    merged_into: UUID | None
    split_from: UUID | None
    split_into: list[UUID]
    # what the order allows now (ORD-1..ORD-5), whatever the caller's role may: a client
    # combines it with its own permissions, as the console does
    allowed_actions: list[OrderAction]
    version: int


class OrderPageOut(PageOut[OrderOut]):
    items: list[OrderOut]


class TimelineEntryOut(WireOut):
    at: datetime
    actor: str  # user:<id>, api_key:<id>, rule_engine, system:<job>, support:<operator>
    actor_name: str | None  # "王芳 <fang@shop.cn>", an API key's name; None: not a person
    kind: str
    reason: str | None
    from_status: str | None
    to_status: str | None
    rule: str | None
    detail: dict[str, str]


class RuleSetIn(WireIn):
    """The whole rule set as plain data (docs/orders.md, "The rule language")."""

    rules: list[dict[str, Any]]


class RuleSetOut(WireOut):
    version: int
    rules: list[dict[str, Any]]


class DryRunIn(WireIn):
    rules: list[dict[str, Any]] | None = None  # none: the current rule set
    limit: int = 100  # the most recent orders awaiting review (up to 500)
    any_status: bool = False


class DecidedOut(WireOut):
    action: str
    rule: str
    rule_name: str
    because: list[str]
    skipped: str | None


class DryRunOut(WireOut):
    order_id: UUID
    number: str
    rule_set_version: int
    actions: list[DecidedOut]
    changes: list[str]
    refused: list[str]


class SplitIn(WireIn):
    by: SplitBy
    reason: str
    line_ids: list[UUID] = []  # by lines: the lines that go apart
    cap: int | None = None  # by weight (grams) or package cap (units)


class MergeIn(WireIn):
    # two to twenty different orders
    order_ids: Annotated[list[UUID], stated(min_items=2, max_items=MAX_MERGED, unique=True)]
    reason: str


class BulkIn(WireIn):
    action: BulkAction
    order_ids: list[UUID]
    reason: str | None = None  # required to hold, cancel or resolve_abnormal
    until: Aware | None = None  # hold until
    warehouse_id: UUID | None = None  # assign_warehouse
    carrier: str | None = None  # assign_carrier
    priority: int | None = None  # set_priority, 0 to 100
    abnormal_type: AbnormalType | None = None  # resolve_abnormal: the type released


class BulkResultOut(WireOut):
    order_id: UUID
    done: bool
    status: str | None
    version: int | None
    code: str | None
    message: str | None


class CustomerTotalsOut(WireOut):
    customer_id: UUID
    orders: int
    total: Decimal
    paid: Decimal
    first_placed_at: datetime | None
    last_placed_at: datetime | None
