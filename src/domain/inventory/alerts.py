"""Stock thresholds and alerts (INV-3): pure rules.

A SKU × warehouse has a low and a high threshold (each optional): its own, else the
default of its product's category, else the nearest category above with one. Crossing a
threshold raises ONE alert; the alert stays open while the level stays on the wrong side,
and is resolved when it recovers, which re-arms it: the next crossing raises a new one.

- low: ``available < low`` (what can still be sold is short); recovered at ``>= low``.
- high: ``on hand > high`` (overstock); recovered at ``<= high``.
- expiring (INV-8): units in batches that expire within the company's warning window
  (expired ones included); recovered when none are left. Its threshold is the window in
  days, its quantity those units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import FieldError, ValidationFailed

ENTITY = "stock_alert"
THRESHOLD_ENTITY = "stock_threshold"
MAX_THRESHOLD = 10**12


class AlertKind(StrEnum):
    LOW = "low"
    HIGH = "high"
    EXPIRING = "expiring"  # batch stock expiring within the warning window (INV-8)


class AlertStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Thresholds:
    """Low and high, each optional; ``high`` above ``low`` when both are set."""

    low: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        errors = [
            FieldError(name, "must_not_be_negative")
            for name, value in (("low", self.low), ("high", self.high))
            if value is not None and value < 0
        ]
        errors += [
            FieldError(name, "invalid_range", {"min": 0, "max": MAX_THRESHOLD})
            for name, value in (("low", self.low), ("high", self.high))
            if value is not None and value > MAX_THRESHOLD
        ]
        if not errors and self.low is not None and self.high is not None and self.high <= self.low:
            errors.append(FieldError("high", "threshold_high_not_above_low", {"low": self.low}))
        if errors:
            raise ValidationFailed(errors)

    @property
    def empty(self) -> bool:
        return self.low is None and self.high is None

    @classmethod
    def in_force(cls, low: int | None, high: int | None) -> Thresholds:
        """The thresholds a level has, each taken from its own or its category's (each
        set was valid, but together ``high`` need not be above ``low``): not re-checked."""
        combined = object.__new__(cls)
        object.__setattr__(combined, "low", low)
        object.__setattr__(combined, "high", high)
        return combined


@dataclass(frozen=True)
class Watched:
    """A level as the evaluation sees it: its figures, the thresholds in force, and the
    kinds of alert open on it now."""

    sku_id: UUID
    warehouse_id: UUID
    on_hand: int
    available: int
    thresholds: Thresholds
    open_kinds: frozenset[AlertKind] = frozenset()
    expiring: int = 0  # units in batches expiring within the window (INV-8)
    expiry_days: int = 0  # the window, in days


@dataclass(frozen=True)
class Crossing:
    """An alert to raise: its kind, the threshold crossed and the quantity compared."""

    sku_id: UUID
    warehouse_id: UUID
    kind: AlertKind
    threshold: int
    quantity: int


@dataclass(frozen=True)
class Recovery:
    sku_id: UUID
    warehouse_id: UUID
    kind: AlertKind


def breached(kind: AlertKind, watched: Watched) -> tuple[int, int] | None:
    """``(threshold, quantity)`` when the level is on the wrong side of ``kind``."""
    if kind is AlertKind.EXPIRING:
        return (watched.expiry_days, watched.expiring) if watched.expiring > 0 else None
    if kind is AlertKind.LOW:
        low = watched.thresholds.low
        return (low, watched.available) if low is not None and watched.available < low else None
    high = watched.thresholds.high
    return (high, watched.on_hand) if high is not None and watched.on_hand > high else None


def judge(watched: Watched) -> tuple[list[Crossing], list[Recovery]]:
    """What to raise (a breach with no open alert) and what to resolve (an open alert
    whose level recovered, or whose threshold went away)."""
    raise_, resolve = [], []
    for kind in AlertKind:
        found = breached(kind, watched)
        is_open = kind in watched.open_kinds
        if found is not None and not is_open:
            raise_.append(Crossing(watched.sku_id, watched.warehouse_id, kind, *found))
        elif found is None and is_open:
            resolve.append(Recovery(watched.sku_id, watched.warehouse_id, kind))
    return raise_, resolve


@dataclass(frozen=True)
class StockAlert:
    id: UUID
    sku_id: UUID
    warehouse_id: UUID
    kind: AlertKind
    status: AlertStatus
    threshold: int
    quantity: int
    raised_at: datetime
    resolved_at: datetime | None = None
    sku_code: str | None = None  # read with the alert, for messages
    warehouse_code: str | None = None


@dataclass(frozen=True)
class StockThreshold:
    sku_id: UUID
    warehouse_id: UUID
    thresholds: Thresholds
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class CategoryThreshold:
    category_id: UUID
    thresholds: Thresholds
    version: int
    updated_at: datetime


class RobotKind(StrEnum):
    WECOM = "wecom"  # 企业微信 group robot
    DINGTALK = "dingtalk"  # 钉钉 group robot


@dataclass(frozen=True)
class AlertRobot:
    """A company's group robot that receives each alert (its webhook URL holds its key,
    so it is stored encrypted; None: stored, but it no longer decrypts — set it again)."""

    kind: RobotKind
    url: str | None
    version: int
    updated_at: datetime


def check_robot_url(url: str) -> str:
    url = url.strip()
    if not (url.startswith("https://") or url.startswith("http://")) or len(url) > 1000:
        raise ValidationFailed.single("url", "invalid_url")
    if any(c.isspace() for c in url):
        raise ValidationFailed.single("url", "invalid_url")
    return url
