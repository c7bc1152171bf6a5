"""Stock figures and the movements that change them (INV-1, INV-6).

Each SKU × warehouse (× batch, when batches are kept) has separate figures:

- ``on_hand``: sellable goods physically there (non-sellable goods are not counted in it);
- ``reserved``: locked by orders that have not been picked yet;
- ``pick_locked``: locked for picking (a reservation converted when the picking starts);
- ``available`` = on_hand − reserved − pick_locked (never negative: the database refuses);
- ``in_transit``: sent here by a transfer, not received yet;
- ``on_order``: ordered from suppliers (purchasing fills it);
- ``non_sellable``: damaged or waiting for a quality check.

Every change is a ledger movement whose deltas, summed over the ledger, give each figure:
the figures are a cache of the ledger, and the ledger check proves they agree. A movement
kind decides which figures move (``EFFECTS``), so a use case states only the kind and the
quantity and cannot move the wrong figure.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, ValidationFailed

FIGURES = ("on_hand", "reserved", "pick_locked", "in_transit", "on_order", "non_sellable")


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # goods in: on hand +
    ISSUE = "issue"  # goods out: on hand −, and the reservation or pick lock it used
    RESERVATION = "reservation"  # reserved +
    RELEASE = "release"  # reserved − (or pick locked −: a released pick lock)
    PICK_LOCK = "pick_lock"  # reserved − , pick locked +
    ADJUSTMENT = "adjustment"  # on hand ± (or non-sellable ±), with a reason
    COUNT_VARIANCE = "count_variance"  # a posted count's difference: on hand ± (INV-4)
    TRANSFER_OUT = "transfer_out"  # shipped: source on hand −, destination in transit +
    TRANSFER_IN = "transfer_in"  # received: in transit −, on hand + / non-sellable +
    RETURN_RECEIPT = "return_receipt"  # returned goods: on hand + or non-sellable +
    STATE_CHANGE = "state_change"  # on hand ↔ non-sellable


@dataclass(frozen=True)
class Deltas:
    """What one ledger row adds to each figure."""

    on_hand: int = 0
    reserved: int = 0
    pick_locked: int = 0
    in_transit: int = 0
    on_order: int = 0
    non_sellable: int = 0

    def __add__(self, other: Deltas) -> Deltas:
        return Deltas(*(getattr(self, f) + getattr(other, f) for f in FIGURES))

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved - self.pick_locked

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


StockFigures = Deltas  # a stock level's figures are the sum of its ledger's deltas


class Target(StrEnum):
    """Which state a receipt, a return, an adjustment or a state change puts goods in."""

    SELLABLE = "sellable"  # on hand (and so available)
    NON_SELLABLE = "non_sellable"


class InsufficientStock(Conflict):
    """Fewer units than asked for: names the SKU (``sku``, its id; ``sku_code`` where the
    use case read it), the warehouse (when one was named) and what is available."""

    code = "insufficient_stock"
    shown = ("sku", "sku_code")


def positive(quantity: int, field: str = "quantity") -> int:
    if quantity <= 0:
        raise ValidationFailed.single(field, "must_be_positive")
    return quantity


def receipt(quantity: int, target: Target = Target.SELLABLE) -> Deltas:
    quantity = positive(quantity)
    if target is Target.NON_SELLABLE:
        return Deltas(non_sellable=quantity)
    return Deltas(on_hand=quantity)


def issue(quantity: int) -> Deltas:
    return Deltas(on_hand=-positive(quantity))


def reservation(quantity: int) -> Deltas:
    return Deltas(reserved=positive(quantity))


def release(quantity: int, *, pick_locked: bool = False) -> Deltas:
    quantity = positive(quantity)
    return Deltas(pick_locked=-quantity) if pick_locked else Deltas(reserved=-quantity)


def pick_lock(quantity: int) -> Deltas:
    quantity = positive(quantity)
    return Deltas(reserved=-quantity, pick_locked=quantity)


def shipment(quantity: int, *, pick_locked: bool) -> Deltas:
    quantity = positive(quantity)
    if pick_locked:
        return Deltas(on_hand=-quantity, pick_locked=-quantity)
    return Deltas(on_hand=-quantity, reserved=-quantity)


def adjustment(change: int, target: Target = Target.SELLABLE) -> Deltas:
    if change == 0:
        raise ValidationFailed.single("change", "must_not_be_zero")
    return Deltas(non_sellable=change) if target is Target.NON_SELLABLE else Deltas(on_hand=change)


def count_variance(change: int) -> Deltas:
    """A posted count's difference (counted − book), applied to on hand as it is now."""
    if change == 0:
        raise ValidationFailed.single("change", "must_not_be_zero")
    return Deltas(on_hand=change)


def state_change(quantity: int, to: Target) -> Deltas:
    """Sellable → non-sellable (damaged, quality hold) or back."""
    quantity = positive(quantity)
    if to is Target.NON_SELLABLE:
        return Deltas(on_hand=-quantity, non_sellable=quantity)
    return Deltas(on_hand=quantity, non_sellable=-quantity)


def needs_available(deltas: Deltas) -> int:
    """How many available units a movement consumes (what the conditional update checks):
    anything lowering on hand or raising a lock, net."""
    return max(0, -deltas.available)


class InspectionResult(StrEnum):
    """A returned item's inspection (ORD-6): resellable goes to available stock, damaged
    to non-sellable."""

    RESELLABLE = "resellable"
    DAMAGED = "damaged"

    @property
    def target(self) -> Target:
        return Target.SELLABLE if self is InspectionResult.RESELLABLE else Target.NON_SELLABLE


@dataclass(frozen=True)
class SourceDocument:
    """What caused a movement: ``("order", id)``, ``("reservation", id)``, ``("receipt", id)``."""

    type: str
    id: UUID | None


@dataclass(frozen=True)
class Movement:
    """One ledger row: a kind, its deltas on one stock level, and why."""

    sku_id: UUID
    warehouse_id: UUID
    kind: MovementKind
    deltas: Deltas
    source: SourceDocument
    reason: str | None = None
    unit_cost: Decimal | None = None  # an inbound movement's own unit cost (INV-7)
    bin_id: UUID | None = None
    batch_id: UUID | None = None
    # INV-7: the exact value an inbound movement brings (a landed-cost receipt line, a
    # transfer's carried value); None: ``unit_cost`` × quantity, else the current cost.
    cost_amount: Decimal | None = None
    effective_at: datetime | None = None  # a back-dated receipt's date; None: now


@dataclass(frozen=True)
class LedgerEntry:
    """A stored ledger row (what the ledger list answers)."""

    seq: int
    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    bin_id: UUID | None
    kind: MovementKind
    deltas: Deltas
    unit_cost: Decimal | None
    source_type: str
    source_id: UUID | None
    actor: str
    reason: str | None
    occurred_at: datetime
    cost_amount: Decimal | None = None  # the value it moved, as posted (INV-7)
    effective_at: datetime | None = None
    # The SKU × warehouse's figures right after this row (the sum of its rows up to it):
    # the ledger list fills it, so a page shows the running figures without reading
    # the pages before it.
    figures_after: StockFigures | None = None


@dataclass(frozen=True)
class StockLevel:
    sku_id: UUID
    warehouse_id: UUID
    batch_id: UUID | None
    figures: StockFigures
    updated_at: datetime

    @property
    def available(self) -> int:
        return self.figures.available
