"""Per-channel availability (可售库存, CHN-1/CHN-2): how many units of a SKU a channel
may sell now, and how that number was reached.

A channel's supply settings name the warehouses that supply it (none named: every open
warehouse whose kind supplies sales), a safety stock held back from it, and a share of
what remains — a percentage (rounded down) or a fixed cap:

    sellable = share( max(0, Σ available in supplying warehouses − safety stock) )
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from uuid import UUID

from domain.inventory.reservation import AllocationStrategy
from domain.shared.errors import ValidationFailed

ENTITY = "channel_supply"
HUNDRED = Decimal(100)


class ShareKind(StrEnum):
    PERCENT = "percent"
    CAP = "cap"


@dataclass(frozen=True)
class ChannelSupply:
    channel_id: UUID
    warehouse_ids: tuple[UUID, ...]  # in order; empty: every sales warehouse
    strategy: AllocationStrategy
    safety_stock: int
    share_kind: ShareKind
    share_value: Decimal  # percent 0..100, or a cap in units
    version: int

    def __post_init__(self) -> None:
        if self.safety_stock < 0:
            raise ValidationFailed.single("safetyStock", "must_not_be_negative")
        if self.share_value < 0 or (
            self.share_kind is ShareKind.PERCENT and self.share_value > HUNDRED
        ):
            raise ValidationFailed.single("shareValue", "out_of_range")
        if self.share_kind is ShareKind.CAP and self.share_value != self.share_value.to_integral():
            raise ValidationFailed.single("shareValue", "must_be_whole")
        if len(set(self.warehouse_ids)) != len(self.warehouse_ids):
            raise ValidationFailed.single("warehouseIds", "duplicate")

    def snapshot(self) -> dict[str, object]:
        return {
            "warehouse_ids": [str(w) for w in self.warehouse_ids],
            "strategy": self.strategy.value,
            "safety_stock": self.safety_stock,
            "share_kind": self.share_kind.value,
            "share_value": str(self.share_value),
        }


def default_supply(channel_id: UUID) -> ChannelSupply:
    """A channel without settings: every sales warehouse by priority, all of it."""
    return ChannelSupply(
        channel_id, (), AllocationStrategy.PRIORITY, 0, ShareKind.PERCENT, HUNDRED, 0
    )


@dataclass(frozen=True)
class WarehouseAvailable:
    warehouse_id: UUID
    available: int


@dataclass(frozen=True)
class ChannelAvailability:
    """The answer and its working: each warehouse's available units, their total, the
    safety stock held back, the share applied, the result."""

    channel_id: UUID
    sku_id: UUID
    warehouses: tuple[WarehouseAvailable, ...]
    total_available: int
    safety_stock: int
    after_safety_stock: int
    share_kind: ShareKind
    share_value: Decimal
    sellable: int

    def explanation(self) -> str:
        parts = " + ".join(str(w.available) for w in self.warehouses) or "0"
        share = (
            f"{self.share_value.normalize():f}% rounded down"
            if self.share_kind is ShareKind.PERCENT
            else f"capped at {int(self.share_value)}"
        )
        return (
            f"available {parts} = {self.total_available}; minus safety stock "
            f"{self.safety_stock} = {self.after_safety_stock}; {share} = {self.sellable}"
        )


def channel_availability(
    supply: ChannelSupply, sku_id: UUID, available: list[WarehouseAvailable]
) -> ChannelAvailability:
    """``available``: the SKU's available units in each of the channel's supplying
    warehouses (those the caller resolved from the settings)."""
    total = sum(max(0, w.available) for w in available)
    after = max(0, total - supply.safety_stock)
    if supply.share_kind is ShareKind.PERCENT:
        sellable = int((Decimal(after) * supply.share_value / HUNDRED).to_integral(ROUND_FLOOR))
    else:
        sellable = min(after, int(supply.share_value))
    return ChannelAvailability(
        supply.channel_id,
        sku_id,
        tuple(available),
        total,
        supply.safety_stock,
        after,
        supply.share_kind,
        supply.share_value,
        sellable,
    )
