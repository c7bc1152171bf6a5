"""Carriers (快递公司, LOG-3): a code unique per tenant (``SF``, ``ZTO``), a name, whether
it collects cash on delivery, and whether waybills may be booked with it now. A carrier is
never deleted (shipments name it): it is deactivated. The gateway that books its waybills
(its kind and endpoint) is an operator's choice, set apart from the tenant's fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.shared.errors import Conflict, bounded_text
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "carrier"
MAX_CODE, MAX_NAME = 32, 100


@dataclass
class Carrier(RecordsEvents):
    id: UUID
    code: str
    name: str
    cash_on_delivery: bool
    active: bool
    gateway_kind: str | None
    endpoint: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, carrier_id: UUID, code: str, name: str, cash_on_delivery: bool, now: datetime
    ) -> Carrier:
        carrier = cls(
            carrier_id,
            bounded_text("code", code, MAX_CODE).upper(),
            bounded_text("name", name, MAX_NAME),
            cash_on_delivery,
            True,
            None,
            None,
            1,
            now,
            now,
        )
        carrier.record_event(DomainEvent("logistics.carrier_created", ENTITY, carrier_id))
        return carrier

    def snapshot(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "cashOnDelivery": self.cash_on_delivery,
            "active": self.active,
            "gatewayKind": self.gateway_kind,
        }

    def revise(self, name: str, cash_on_delivery: bool, active: bool, now: datetime) -> bool:
        """False (no new version) when nothing changed."""
        name = bounded_text("name", name, MAX_NAME)
        changed = tuple(
            field
            for field, old, new in (
                ("name", self.name, name),
                ("cash_on_delivery", self.cash_on_delivery, cash_on_delivery),
                ("active", self.active, active),
            )
            if old != new
        )
        if not changed:
            return False
        self.name, self.cash_on_delivery, self.active = name, cash_on_delivery, active
        self._bump(now, changed)
        return True

    def connect(self, kind: str, endpoint: str, now: datetime) -> None:
        """The gateway its waybills are booked through (an operator's choice)."""
        self.gateway_kind, self.endpoint = kind, bounded_text("endpoint", endpoint, 500)
        self._bump(now, ("gateway_kind", "endpoint"))

    def check_bookable(self) -> tuple[str, str]:
        """The gateway's kind and endpoint; refused while inactive or not connected."""
        if not self.active:
            raise Conflict("carrier_inactive", carrier=self.code)
        if self.gateway_kind is None or self.endpoint is None:
            raise Conflict("carrier_not_connected", carrier=self.code)
        return self.gateway_kind, self.endpoint

    def _bump(self, now: datetime, fields: tuple[str, ...]) -> None:
        self.version += 1
        self.updated_at = now
        self.record_event(DomainEvent("logistics.carrier_updated", ENTITY, self.id, fields))
