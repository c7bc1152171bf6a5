"""Rule actions: what a matching rule decides, as data (to and from plain dicts).

approve · hold (N hours, with a reason) · mark_abnormal (a type, optional note) ·
assign_warehouse · assign_carrier · set_priority (the work queue's, 0–100) ·
add_gift (a SKU and quantity at price 0) · split (by warehouse, pre-sale, weight or
package cap) · merge_eligible (after a wait).
Applying them to an order is apply.py; the engine only decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from domain.orders.abnormal import AbnormalType
from domain.orders.order import MAX_PRIORITY, MIN_PRIORITY
from domain.orders.rules.reader import Reader

SPLIT_BY = ("warehouse", "presale", "weight", "package_cap")


@dataclass(frozen=True, kw_only=True)
class Action:
    kind: ClassVar[str]
    # At most one of a kind takes effect per decision (the first, by rule priority).
    single: ClassVar[bool] = True

    def fields(self) -> dict[str, Any]:
        return {}

    def describe(self) -> str:
        return self.kind

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.fields()}


@dataclass(frozen=True, kw_only=True)
class Approve(Action):
    kind = "approve"

    def describe(self) -> str:
        return "approve"

    @classmethod
    def read(cls, r: Reader) -> Approve:
        return cls()


@dataclass(frozen=True, kw_only=True)
class Hold(Action):
    kind = "hold"
    hours: int
    reason: str

    def fields(self) -> dict[str, Any]:
        return {"hours": self.hours, "reason": self.reason}

    def describe(self) -> str:
        return f"hold for {self.hours} h: {self.reason}"

    @classmethod
    def read(cls, r: Reader) -> Hold:
        return cls(
            hours=r.integer("hours", low=1, high=24 * 30) or 1, reason=r.text("reason") or ""
        )


@dataclass(frozen=True, kw_only=True)
class MarkAbnormal(Action):
    kind = "mark_abnormal"
    single = False  # several types may be marked at once
    type: AbnormalType
    note: str | None = None

    def fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type.value}
        if self.note:
            data["note"] = self.note
        return data

    def describe(self) -> str:
        return f"mark abnormal: {self.type.value}"

    @classmethod
    def read(cls, r: Reader) -> MarkAbnormal:
        kind = r.choice("type", [t.value for t in AbnormalType])
        return cls(
            type=AbnormalType(kind) if kind else AbnormalType.MESSAGE_TO_READ,
            note=r.text("note", required=False),
        )


@dataclass(frozen=True, kw_only=True)
class AssignWarehouse(Action):
    kind = "assign_warehouse"
    warehouse_id: UUID

    def fields(self) -> dict[str, Any]:
        return {"warehouse_id": str(self.warehouse_id)}

    def describe(self) -> str:
        return f"ship from warehouse {self.warehouse_id}"

    @classmethod
    def read(cls, r: Reader) -> AssignWarehouse:
        return cls(warehouse_id=r.uuid("warehouse_id") or UUID(int=0))


@dataclass(frozen=True, kw_only=True)
class AssignCarrier(Action):
    kind = "assign_carrier"
    carrier: str  # a carrier code: sf, zto, yto, jd, ems, …

    def fields(self) -> dict[str, Any]:
        return {"carrier": self.carrier}

    def describe(self) -> str:
        return f"ship with {self.carrier}"

    @classmethod
    def read(cls, r: Reader) -> AssignCarrier:
        return cls(carrier=r.code("carrier") or "")


@dataclass(frozen=True, kw_only=True)
class SetPriority(Action):
    kind = "set_priority"
    priority: int  # the work queue's, higher first (ORD-8)

    def fields(self) -> dict[str, Any]:
        return {"priority": self.priority}

    def describe(self) -> str:
        return f"priority {self.priority}"

    @classmethod
    def read(cls, r: Reader) -> SetPriority:
        return cls(priority=r.integer("priority", low=MIN_PRIORITY, high=MAX_PRIORITY) or 0)


@dataclass(frozen=True, kw_only=True)
class AddGift(Action):
    kind = "add_gift"
    single = False  # several gifts may be added
    sku_id: UUID
    quantity: int = 1
    title: str | None = None

    def fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"sku_id": str(self.sku_id), "quantity": self.quantity}
        if self.title:
            data["title"] = self.title
        return data

    def describe(self) -> str:
        return f"add gift {self.title or self.sku_id} × {self.quantity}"

    @classmethod
    def read(cls, r: Reader) -> AddGift:
        return cls(
            sku_id=r.uuid("sku_id") or UUID(int=0),
            quantity=r.integer("quantity", low=1, high=100, default=1) or 1,
            title=r.text("title", required=False),
        )


@dataclass(frozen=True, kw_only=True)
class Split(Action):
    kind = "split"
    by: str
    cap: int | None = None  # grams for weight, units for package_cap

    def fields(self) -> dict[str, Any]:
        return {"by": self.by, **({"cap": self.cap} if self.cap is not None else {})}

    def describe(self) -> str:
        return f"split by {self.by}" + (f" (cap {self.cap})" if self.cap else "")

    @classmethod
    def read(cls, r: Reader) -> Split:
        by = r.choice("by", SPLIT_BY) or "warehouse"
        cap = r.integer("cap", low=1, high=10**7, required=by in ("weight", "package_cap"))
        return cls(by=by, cap=cap)


@dataclass(frozen=True, kw_only=True)
class MergeEligible(Action):
    kind = "merge_eligible"
    wait_minutes: int = 30

    def fields(self) -> dict[str, Any]:
        return {"wait_minutes": self.wait_minutes}

    def describe(self) -> str:
        return f"merge with the buyer's other orders after {self.wait_minutes} min"

    @classmethod
    def read(cls, r: Reader) -> MergeEligible:
        return cls(wait_minutes=r.integer("wait_minutes", low=0, high=7 * 24 * 60, default=30) or 0)


ACTIONS: Mapping[str, Any] = {
    a.kind: a
    for a in (
        Approve,
        Hold,
        MarkAbnormal,
        AssignWarehouse,
        AssignCarrier,
        SetPriority,
        AddGift,
        Split,
        MergeEligible,
    )
}


def read_action(r: Reader) -> Action | None:
    kind = r.data.get("kind")
    if not isinstance(kind, str) or kind not in ACTIONS:
        r.fail("kind", "unknown_action", allowed=sorted(ACTIONS))
        return None
    action: Action = ACTIONS[kind].read(r)
    r.done()
    return action
