"""Batches, expiry and serial numbers (INV-8): pure rules.

A SKU may be **batch-managed** (every unit in belongs to a batch: a number, a production
and an expiry date) and/or **serial-managed** (every unit has its own code, 唯一码,
scanned in and out). Both are inventory's settings per SKU, not the catalog's.

Goods go out of a batch-managed SKU by a **picking suggestion**: the batches holding
stock, in the order of the picking rule, each giving what it holds until the quantity is
met —

- ``fefo`` (first expiry, first out): the earliest expiry date first; batches without an
  expiry date last; then as FIFO;
- ``fifo`` (first in, first out): the batch that came into the warehouse first first.

Ties are broken by the batch number, so a suggestion is the same every time it is asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.shared.errors import Conflict, FieldError, ValidationFailed

SETTINGS_ENTITY = "stock_settings"
SKU_SETTINGS_ENTITY = "sku_stock_settings"
MAX_BATCH_NO = 100
MAX_SERIAL = 100
MAX_SERIALS = 100_000  # serials in one document
MAX_WARNING_DAYS = 3650
NAMED_AT_MOST = 20  # serials an error names (and how many more there are)


class PickingRule(StrEnum):
    FEFO = "fefo"  # first expiry, first out
    FIFO = "fifo"  # first in, first out


@dataclass(frozen=True)
class StockSettings:
    """The tenant's: the picking rule and how many days ahead stock counts as expiring."""

    picking_rule: PickingRule = PickingRule.FEFO
    expiry_warning_days: int = 30
    version: int = 0  # 0: never set (the defaults)

    def __post_init__(self) -> None:
        if not 0 <= self.expiry_warning_days <= MAX_WARNING_DAYS:
            raise ValidationFailed.single(
                "expiryWarningDays", "invalid_range", min=0, max=MAX_WARNING_DAYS
            )


@dataclass(frozen=True)
class SkuStockSettings:
    """A SKU's: batches kept, serials kept, and a picking rule overriding the tenant's."""

    sku_id: UUID
    batch_managed: bool = False
    serial_managed: bool = False
    picking_rule: PickingRule | None = None
    version: int = 0  # 0: never set


@dataclass(frozen=True)
class BatchInput:
    """A batch as a receipt names it: its number and, optionally, its dates."""

    number: str
    production_date: date | None = None
    expiry_date: date | None = None

    def __post_init__(self) -> None:
        number = self.number.strip()
        if not number or len(number) > MAX_BATCH_NO:
            raise ValidationFailed.single("batchNo", "invalid_length", max=MAX_BATCH_NO)
        object.__setattr__(self, "number", number)
        if (
            self.production_date is not None
            and self.expiry_date is not None
            and self.expiry_date < self.production_date
        ):
            raise ValidationFailed.single("expiryDate", "expiry_before_production")

    def differs_from(self, batch: Batch) -> bool:
        """A date given here that the stored batch has otherwise."""
        return (
            self.production_date is not None and self.production_date != batch.production_date
        ) or (self.expiry_date is not None and self.expiry_date != batch.expiry_date)


@dataclass(frozen=True)
class Batch:
    id: UUID
    sku_id: UUID
    number: str
    production_date: date | None
    expiry_date: date | None


@dataclass(frozen=True)
class BatchStock:
    """A batch's stock in one warehouse."""

    batch: Batch
    warehouse_id: UUID
    on_hand: int
    non_sellable: int
    first_received_at: datetime
    held: int = 0  # on hand units pick-locked to reservations in this batch

    @property
    def free(self) -> int:
        """On hand units no pick lock holds: what a suggestion may take."""
        return self.on_hand - self.held


@dataclass(frozen=True)
class Pick:
    """Take ``quantity`` from this batch."""

    batch: Batch
    quantity: int


def _order(rule: PickingRule, stock: BatchStock) -> tuple[object, ...]:
    fifo = (stock.first_received_at, stock.batch.number)
    if rule is PickingRule.FIFO:
        return fifo
    expiry = stock.batch.expiry_date
    return (expiry is None, expiry or date.max, *fifo)


def suggest(stock: Iterable[BatchStock], quantity: int, rule: PickingRule) -> list[Pick]:
    """The batches to take ``quantity`` sellable units from, in the rule's order, each
    giving its units no pick lock holds; fewer units than asked when the batches hold
    fewer (the caller compares)."""
    picks: list[Pick] = []
    left = quantity
    for level in sorted(stock, key=lambda s: _order(rule, s)):
        if left <= 0:
            break
        take = min(left, level.free)
        if take > 0:
            picks.append(Pick(level.batch, take))
            left -= take
    return picks


class BatchRequired(ValidationFailed):
    """A batch-managed SKU's receipt without a batch number."""

    def __init__(self, sku: UUID) -> None:
        super().__init__([FieldError("batchNo", "batch_required", {"sku": str(sku)})])


class SerialsNotInStock(Conflict):
    """Serials scanned out that are unknown or already issued, named."""

    code = "serials_not_in_stock"


class SerialsInStock(Conflict):
    """Serials scanned in that are in stock already, named."""

    code = "serials_in_stock"


class SerialsNotInTransit(Conflict):
    """Serials a transfer's receipt names that the transfer did not ship, or that are no
    longer in transit (received already), named (INV-5)."""

    code = "serials_not_in_transit"


class CountNeedsSerials(Conflict):
    """A count variance of a serial-managed SKU: posting it would change its units
    without the serials that were found or lost (refused, named)."""

    code = "count_variance_needs_serials"


def named(serials: Sequence[str]) -> dict[str, Any]:
    """The parameters an error names serials with: the first few, and how many in all."""
    return {"serials": ", ".join(serials[:NAMED_AT_MOST]), "count": len(serials)}


def scanned(serials: Sequence[str] | None, quantity: int, *, managed: bool) -> list[str]:
    """The serials of a document, checked: required for a serial-managed SKU and refused
    otherwise; one per unit (as many as the quantity); none empty, none twice (the
    duplicates are named)."""
    if not managed:
        if serials:
            raise ValidationFailed.single("serials", "not_serial_managed")
        return []
    if not serials:
        raise ValidationFailed.single("serials", "serials_required")
    cleaned = [s.strip() for s in serials]
    if len(cleaned) > MAX_SERIALS:
        raise ValidationFailed.single("serials", "too_many_items", max=MAX_SERIALS)
    if any(not s or len(s) > MAX_SERIAL for s in cleaned):
        raise ValidationFailed.single("serials", "invalid_length", max=MAX_SERIAL)
    if len(cleaned) != quantity:
        raise ValidationFailed.single(
            "serials", "serial_count_mismatch", quantity=quantity, scanned=len(cleaned)
        )
    twice = sorted(s for s, n in Counter(cleaned).items() if n > 1)
    if twice:
        raise ValidationFailed.single("serials", "serials_duplicated", **named(twice))
    return cleaned
