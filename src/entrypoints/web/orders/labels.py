"""The console's words for the orders module's values: each status, abnormal type,
ordering, bulk action, payment method, timeline entry kind, system reason, source (how
the order came in) and seller memo flag by its message id (literal, so ``make messages``
finds them), handed to the templates as ``labels``."""

from __future__ import annotations

from application.orders.bulk import BulkAction
from application.orders.placing import OrderSource
from application.orders.queue.ports import QueueOrdering
from domain.orders.abnormal import AbnormalType
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason, TimelineKind
from domain.orders.values import FlagColour

STATUS = {
    OrderStatus.PENDING_PAYMENT: "orders.status_pending_payment",
    OrderStatus.PAID: "orders.status_paid",
    OrderStatus.AWAITING_REVIEW: "orders.status_awaiting_review",
    OrderStatus.APPROVED: "orders.status_approved",
    OrderStatus.ALLOCATED: "orders.status_allocated",
    OrderStatus.PICKING: "orders.status_picking",
    OrderStatus.PARTLY_SHIPPED: "orders.status_partly_shipped",
    OrderStatus.SHIPPED: "orders.status_shipped",
    OrderStatus.DELIVERED: "orders.status_delivered",
    OrderStatus.COMPLETED: "orders.status_completed",
    OrderStatus.HELD: "orders.status_held",
    OrderStatus.ABNORMAL: "orders.status_abnormal",
    OrderStatus.CANCELLED: "orders.status_cancelled",
    OrderStatus.AFTER_SALES: "orders.status_after_sales",
}
ABNORMAL = {
    AbnormalType.OUT_OF_STOCK: "orders.abnormal_out_of_stock",
    AbnormalType.ADDRESS_INCOMPLETE: "orders.abnormal_address_incomplete",
    AbnormalType.BLACKLISTED_BUYER: "orders.abnormal_blacklisted_buyer",
    AbnormalType.MESSAGE_TO_READ: "orders.abnormal_message_to_read",
    AbnormalType.PRICE_BELOW_COST: "orders.abnormal_price_below_cost",
    AbnormalType.PRICE_FAR_BELOW_LIST: "orders.abnormal_price_far_below_list",
    AbnormalType.SUSPECTED_FRAUD: "orders.abnormal_suspected_fraud",
    AbnormalType.UNPAID_TOO_LONG: "orders.abnormal_unpaid_too_long",
    AbnormalType.LIKELY_DUPLICATE: "orders.abnormal_likely_duplicate",
    AbnormalType.REFUND_REQUESTED: "orders.abnormal_refund_requested",
    AbnormalType.PAID_AMOUNT_MISMATCH: "orders.abnormal_paid_amount_mismatch",
    AbnormalType.SKU_NOT_MAPPED: "orders.abnormal_sku_not_mapped",
}
ORDERING = {
    QueueOrdering.PRIORITY: "orders.by_priority",
    QueueOrdering.AMOUNT: "orders.by_amount",
    QueueOrdering.AGE: "orders.by_age",
    QueueOrdering.TIME_LEFT: "orders.by_time_left",
}
BULK = {
    BulkAction.APPROVE: "orders.bulk_approve",
    BulkAction.HOLD: "orders.bulk_hold",
    BulkAction.RELEASE: "orders.bulk_release",
    BulkAction.CANCEL: "orders.bulk_cancel",
    BulkAction.RESOLVE_ABNORMAL: "orders.bulk_resolve_abnormal",
    BulkAction.ASSIGN_WAREHOUSE: "orders.bulk_assign_warehouse",
    BulkAction.ASSIGN_CARRIER: "orders.bulk_assign_carrier",
    BulkAction.SET_PRIORITY: "orders.bulk_set_priority",
}
PAYMENT = {
    PaymentMethod.PLATFORM: "orders.pay_platform",
    PaymentMethod.ALIPAY: "orders.pay_alipay",
    PaymentMethod.WECHAT_PAY: "orders.pay_wechat_pay",
    PaymentMethod.CARD: "orders.pay_card",
    PaymentMethod.BANK_TRANSFER: "orders.pay_bank_transfer",
    PaymentMethod.CASH: "orders.pay_cash",
    PaymentMethod.CASH_ON_DELIVERY: "orders.pay_cash_on_delivery",
    PaymentMethod.OTHER: "orders.pay_other",
}
TIMELINE = {
    TimelineKind.CREATED: "orders.event_created",
    TimelineKind.STATUS_CHANGED: "orders.event_status_changed",
    TimelineKind.HOLD_SET: "orders.event_hold_set",
    TimelineKind.HOLD_RELEASED: "orders.event_hold_released",
    TimelineKind.ABNORMAL_MARKED: "orders.event_abnormal_marked",
    TimelineKind.ABNORMAL_RESOLVED: "orders.event_abnormal_resolved",
    TimelineKind.WAREHOUSE_ASSIGNED: "orders.event_warehouse_assigned",
    TimelineKind.CARRIER_ASSIGNED: "orders.event_carrier_assigned",
    TimelineKind.MERGE_ELIGIBLE: "orders.event_merge_eligible",
    TimelineKind.PRIORITY_SET: "orders.event_priority_set",
    TimelineKind.SHIPMENT_RECORDED: "orders.event_shipment_recorded",
    TimelineKind.REFUND_REQUESTED: "orders.event_refund_requested",
    TimelineKind.REFUND_REQUEST_WITHDRAWN: "orders.event_refund_request_withdrawn",
    TimelineKind.LINE_ADDED: "orders.event_line_added",
    TimelineKind.GIFT_ADDED: "orders.event_gift_added",
    TimelineKind.LINE_REMOVED: "orders.event_line_removed",
    TimelineKind.QUANTITY_CHANGED: "orders.event_quantity_changed",
    TimelineKind.PRICE_ADJUSTED: "orders.event_price_adjusted",
    TimelineKind.ADDRESS_CHANGED: "orders.event_address_changed",
    TimelineKind.REVIEW_AGAIN: "orders.event_review_again",
    TimelineKind.PAYMENT_RECORDED: "orders.event_payment_recorded",
    TimelineKind.REFUND_RECORDED: "orders.event_refund_recorded",
    TimelineKind.SPLIT_FROM: "orders.event_split_from",
    TimelineKind.SPLIT_INTO: "orders.event_split_into",
    TimelineKind.SPLIT_REQUESTED: "orders.event_split_requested",
    TimelineKind.SPLIT_REFUSED: "orders.event_split_refused",
    TimelineKind.REJOINED: "orders.event_rejoined",
    TimelineKind.MERGED: "orders.event_merged",
    TimelineKind.MERGED_INTO: "orders.event_merged_into",
    TimelineKind.UNMERGED: "orders.event_unmerged",
    TimelineKind.STOCK_NOT_MOVED: "orders.event_stock_not_moved",
    TimelineKind.PARCEL_DELIVERED: "orders.event_parcel_delivered",
    TimelineKind.WAVE_PLANNED: "orders.event_wave_planned",
    TimelineKind.SHORT_PICK: "orders.event_short_pick",
    TimelineKind.INTERCEPTED: "orders.event_intercepted",
    TimelineKind.INTERCEPTION_REQUESTED: "orders.event_interception_requested",
}
REASON = {  # the reasons the system gives (a person's own are shown as written)
    SystemReason.APPROVED: "orders.reason_approved",
    SystemReason.FULLY_PAID: "orders.reason_fully_paid",
    SystemReason.WAITING_FOR_REVIEW: "orders.reason_waiting_for_review",
    SystemReason.WAVE_PLANNED: "orders.reason_wave_planned",
    SystemReason.SIGNED_FOR: "orders.reason_signed_for",
    SystemReason.UNPAID_TIMEOUT: "orders.reason_unpaid_timeout",
    SystemReason.REJOINED: "orders.reason_rejoined",
    SystemReason.UNMERGED: "orders.reason_unmerged",
    SystemReason.INTERCEPTED: "orders.reason_intercepted",
    SystemReason.ADDRESS_COMPLETED: "orders.reason_address_completed",
    SystemReason.BALANCE_SETTLED: "orders.reason_balance_settled",
    SystemReason.REFUND_WITHDRAWN: "orders.reason_refund_withdrawn",
    SystemReason.RECEIPT_CONFIRMED: "orders.reason_receipt_confirmed",
}
SOURCE = {
    OrderSource.STAFF: "orders.source_staff",
    OrderSource.API: "orders.source_api",
    OrderSource.MARKETPLACE: "orders.source_marketplace",
    OrderSource.IMPORT: "orders.source_import",
}
FLAG = {
    FlagColour.NONE: "orders.flag_none",
    FlagColour.RED: "orders.flag_red",
    FlagColour.YELLOW: "orders.flag_yellow",
    FlagColour.GREEN: "orders.flag_green",
    FlagColour.BLUE: "orders.flag_blue",
    FlagColour.PURPLE: "orders.flag_purple",
}
LABELS = {
    "status": STATUS,
    "abnormal": ABNORMAL,
    "ordering": ORDERING,
    "bulk": BULK,
    "payment": PAYMENT,
    "timeline": TIMELINE,
    "source": SOURCE,
    "reason": REASON,
    "flag": FLAG,
}
