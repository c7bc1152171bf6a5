"""A waybill in logistics' register (LOG-2): booked with a carrier for one shipment, and
what its tracking events said of it.

Logistics writes one when a waybill is booked (the carrier desk): the shipment and order
it carries, the receiver's region, the booked weight, the cash-on-delivery amount and the
estimated postage. Each new tracking event moves its last status and scan; anomalies —
delivery failed, returned to sender (not after an interception logistics asked for),
lost, and no scan for the tenant's number of hours (stalled) — are each raised once per
waybill (``anomalies`` says which already were), so a repeated event or a second sweep
alerts nobody again. ``delivered_at`` is set by the first ``delivered`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

ENTITY = "waybill"
MAX_TRACKING_NO, MAX_LOCATION = 64, 200


class Anomaly(StrEnum):
    STALLED = "stalled"  # no scan for the tenant's number of hours
    DELIVERY_FAILED = "delivery_failed"
    RETURNED = "returned"  # returned to sender
    LOST = "lost"


STATUSES = frozenset(  # what a carrier's event may say
    {
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "failed",
        "returned",
        "lost",
        "intercepted",
    }
)
# These three are anomalies in themselves:
EVENT_ANOMALIES = {
    "failed": Anomaly.DELIVERY_FAILED,
    "returned": Anomaly.RETURNED,
    "lost": Anomaly.LOST,
}
FINAL_STATUSES = frozenset({"delivered", "returned", "lost"})  # no more scans to wait for


@dataclass
class Waybill:
    shipment_id: UUID
    order_id: UUID
    order_number: str
    carrier_code: str
    tracking_no: str
    region: str  # the receiver's province, as the price tables key it
    weight_grams: int
    cash_on_delivery: Decimal | None  # the amount the carrier collects, if any
    cost_estimate: Decimal | None  # the price table's postage when booked
    booked_at: datetime
    version: int = 1
    cancelled: bool = False
    intercepted: bool = False
    last_status: str | None = None
    last_scan_at: datetime | None = None
    delivered_at: datetime | None = None
    anomalies: tuple[str, ...] = ()
    cod_collected: Decimal | None = None  # what the carrier remitted for it (ORD-11)
    cod_remittance_id: UUID | None = None  # the remittance that paid it

    def cancel(self) -> bool:
        """The waybill void (before pick-up): no scan is awaited any more. False when it
        was void already (nothing changes)."""
        if self.cancelled:
            return False
        self.cancelled = True
        self.version += 1
        return True

    def intercepted_by_sender(self) -> bool:
        """The carrier took an interception: its return is no anomaly. False when it was
        taken already."""
        if self.intercepted:
            return False
        self.intercepted = True
        self.version += 1
        return True

    def track(self, status: str, occurred_at: datetime) -> Anomaly | None:
        """One new event (the caller keeps each event once): the anomaly it raises now,
        if any (each kind once per waybill). One change: the version moves once."""
        if self.last_scan_at is None or occurred_at >= self.last_scan_at:
            self.last_status, self.last_scan_at = status, occurred_at
        if status == "delivered" and self.delivered_at is None:
            self.delivered_at = occurred_at
        self.version += 1
        anomaly = EVENT_ANOMALIES.get(status)
        if anomaly is Anomaly.RETURNED and self.intercepted:
            return None  # the sender asked for it back
        return self._raise(anomaly)

    def stalled(self, now: datetime, hours: int) -> Anomaly | None:
        """``STALLED`` (once) when no scan came for ``hours`` since the last one, or
        since booking when none came yet; a cancelled waybill or a final status never."""
        if self.cancelled or self.last_status in FINAL_STATUSES:
            return None
        if now - (self.last_scan_at or self.booked_at) < timedelta(hours=hours):
            return None
        anomaly = self._raise(Anomaly.STALLED)
        if anomaly is not None:
            self.version += 1
        return anomaly

    def remitted(self, remittance_id: UUID, amount: Decimal) -> None:
        """Its cash on delivery paid by the carrier's remittance ``remittance_id``."""
        self.cod_collected, self.cod_remittance_id = amount, remittance_id
        self.version += 1

    def _raise(self, anomaly: Anomaly | None) -> Anomaly | None:
        """``anomaly`` noted, if not yet; the caller moves the version (once a change)."""
        if anomaly is None or anomaly.value in self.anomalies:
            return None
        self.anomalies = (*self.anomalies, anomaly.value)
        return anomaly
