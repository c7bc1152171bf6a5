"""The words for the inventory module's states and kinds, as console message ids (dotted
literals, so ``make messages`` finds each one)."""

from __future__ import annotations

from domain.inventory.alerts import AlertKind, AlertStatus
from domain.inventory.count import CountKind, CountStatus
from domain.inventory.stock import MovementKind
from domain.inventory.transfer import TransferStatus
from domain.inventory.warehouse import WarehouseKind

MOVEMENTS = {
    MovementKind.RECEIPT: "inventory.movement_receipt",
    MovementKind.ISSUE: "inventory.movement_issue",
    MovementKind.RESERVATION: "inventory.movement_reservation",
    MovementKind.RELEASE: "inventory.movement_release",
    MovementKind.PICK_LOCK: "inventory.movement_pick_lock",
    MovementKind.ADJUSTMENT: "inventory.movement_adjustment",
    MovementKind.COUNT_VARIANCE: "inventory.movement_count_variance",
    MovementKind.TRANSFER_OUT: "inventory.movement_transfer_out",
    MovementKind.TRANSFER_IN: "inventory.movement_transfer_in",
    MovementKind.RETURN_RECEIPT: "inventory.movement_return_receipt",
    MovementKind.STATE_CHANGE: "inventory.movement_state_change",
}
FIGURES = {
    "on_hand": "inventory.on_hand",
    "reserved": "inventory.reserved",
    "pick_locked": "inventory.pick_locked",
    "in_transit": "inventory.in_transit",
    "on_order": "inventory.on_order",
    "non_sellable": "inventory.non_sellable",
}
COUNT_STATUSES = {
    CountStatus.OPEN: "inventory.count_open",
    CountStatus.COUNTING: "inventory.count_counting",
    CountStatus.SUBMITTED: "inventory.count_submitted",
    CountStatus.POSTED: "inventory.count_posted",
    CountStatus.CANCELLED: "inventory.count_cancelled",
}
COUNT_KINDS = {CountKind.FULL: "inventory.count_full", CountKind.CYCLE: "inventory.count_cycle"}
TRANSFER_STATUSES = {
    TransferStatus.REQUESTED: "inventory.transfer_requested",
    TransferStatus.SHIPPED: "inventory.transfer_shipped",
    TransferStatus.PARTIALLY_RECEIVED: "inventory.transfer_partially_received",
    TransferStatus.RECEIVED: "inventory.transfer_received",
    TransferStatus.CANCELLED: "inventory.transfer_cancelled",
}
ALERT_KINDS = {
    AlertKind.LOW: "inventory.alert_low",
    AlertKind.HIGH: "inventory.alert_high",
    AlertKind.EXPIRING: "inventory.alert_expiring",
}
ALERT_STATUSES = {
    AlertStatus.OPEN: "inventory.alert_open",
    AlertStatus.RESOLVED: "inventory.alert_resolved",
}
WAREHOUSE_KINDS = {
    WarehouseKind.OWN: "inventory.warehouse_own",
    WarehouseKind.THIRD_PARTY: "inventory.warehouse_third_party",
    WarehouseKind.RETURNS: "inventory.warehouse_returns",
    WarehouseKind.DEFECTIVE: "inventory.warehouse_defective",
    WarehouseKind.VIRTUAL: "inventory.warehouse_virtual",
}
# Where a ledger row's source document is shown in the console.
DOCUMENTS = {
    "transfer": "/console/inventory/transfers/{id}",
    "stock_count": "/console/inventory/counts/{id}",
}
