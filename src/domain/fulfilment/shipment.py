"""A shipment (发货单, LOG-1): one order's parcel from its wave to the carrier.

    picking → verified (验货: every unit scanned) → weighed (称重) → booked (a waybill)
        → shipped (发货: stock issued, the order shipped, the channel told)
    any status before shipped → intercepted (拦截: the pick lock given back)
    picking or verified → shortened to the units there are (a short pick: the order ships
        the rest later, a partial shipment)
    shipped → interception_requested (the carrier asked to stop the parcel)

A shipped parcel the channel was not told of (``channel_reported`` False) is told again
with backoff (``REPORT_BACKOFF`` doubled per failed attempt, ``next_report_at``) until
``REPORT_ATTEMPTS`` attempts have failed; then retrying stops (``next_report_at`` None)
until a person asks for a report again.

Verifying scans one unit at a time: a barcode that none of its lines has is a wrong item,
one more unit of a line already complete an extra unit, both refused with nothing
changed. A serial-managed SKU's unit needs its serial (each once). Weighing compares the
package with the expected weight (the SKUs' unit weights × units); a deviation beyond the
tenant's tolerance (a percentage) flags the shipment — it may still ship, the flag stays
on its record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from domain.fulfilment.scans import same_item
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "shipment"
MAX_GRAMS = 1_000_000  # a parcel of a tonne is a typing error
MAX_PACKAGES = 99
REPORT_ATTEMPTS = 6  # failed channel reports before retrying stops and people are told
REPORT_BACKOFF = timedelta(minutes=1)  # after the first failure; doubled after each next


class ShipmentStatus(StrEnum):
    PICKING = "picking"
    VERIFIED = "verified"
    WEIGHED = "weighed"
    BOOKED = "booked"
    SHIPPED = "shipped"
    INTERCEPTED = "intercepted"
    INTERCEPTION_REQUESTED = "interception_requested"


class ShipmentStep(StrEnum):
    """What a person may do to a parcel next (whether their role may is the caller's)."""

    VERIFY = "verify"
    SHORTEN = "shorten"
    WEIGH = "weigh"
    BOOK = "book"
    SHIP = "ship"
    INTERCEPT = "intercept"
    REPORT = "report"


S = ShipmentStatus
BEFORE_DISPATCH = frozenset({S.PICKING, S.VERIFIED, S.WEIGHED, S.BOOKED})
SHORTENABLE = frozenset({S.PICKING, S.VERIFIED})  # not weighed yet: a short pick still fits
VERIFIABLE = frozenset({S.PICKING, S.VERIFIED})  # verified: every scan more is refused
WEIGHABLE = frozenset({S.VERIFIED, S.WEIGHED})  # weighed: weighed again


@dataclass
class ShipmentLine:
    line_id: UUID  # the order's line
    sku_id: UUID
    sku_code: str
    barcode: str | None
    title: str | None
    quantity: int
    unit_grams: int | None
    serial_managed: bool
    platform_order_id: str | None
    platform_sub_order_id: str | None
    verified: int = 0
    serials: tuple[str, ...] = ()


@dataclass
class Shipment(RecordsEvents):
    id: UUID
    wave_id: UUID
    order_id: UUID
    order_number: str
    channel_id: UUID | None
    warehouse_id: UUID
    carrier_code: str
    status: ShipmentStatus
    lines: list[ShipmentLine]
    reservation_ids: tuple[UUID, ...]
    version: int
    created_at: datetime
    updated_at: datetime
    weight_grams: int | None = None
    weight_flagged: bool = False
    packages: int = 1
    tracking_no: str | None = None
    sorting_code: str | None = None
    route: str | None = None
    cost_estimate: Decimal | None = None  # the carrier's price table's postage (LOG-3)
    shipped_at: datetime | None = None
    channel_reported: bool | None = None  # None: no channel to tell
    report_attempts: int = 0  # failed channel reports since the last success or re-arm
    next_report_at: datetime | None = None  # the sweep's next try; None: none planned

    def channel_told(self, now: datetime) -> None:
        self.channel_reported, self.next_report_at = True, None
        self._bump(now, "fulfilment.channel_reported")

    def channel_not_told(self, now: datetime) -> bool:
        """One more failed report: the next try planned with backoff, or — the
        ``REPORT_ATTEMPTS``-th failure — none (True: retrying stops now)."""
        self.channel_reported = False
        self.report_attempts += 1
        gave_up = self.report_attempts >= REPORT_ATTEMPTS
        delay = REPORT_BACKOFF * 2 ** (self.report_attempts - 1)
        self.next_report_at = None if gave_up else now + delay
        self._bump(now, "fulfilment.channel_report_failed")
        return gave_up

    @property
    def report_due(self) -> bool:
        """Shipped and its channel not told: it may be reported again by hand."""
        return self.status is S.SHIPPED and self.channel_reported is False

    @property
    def shortenable(self) -> bool:
        """A short pick still fits: the parcel is not weighed yet."""
        return self.status in SHORTENABLE

    @property
    def interceptable(self) -> bool:
        """Stopped here before dispatch, or the carrier asked to stop it once shipped."""
        return self.status in BEFORE_DISPATCH or self.status is S.SHIPPED

    @property
    def next_steps(self) -> frozenset[ShipmentStep]:
        """The steps the parcel allows from where it stands, each by its move's own guard."""
        status = self.status
        checks = {
            ShipmentStep.VERIFY: status in VERIFIABLE,
            ShipmentStep.SHORTEN: self.shortenable,
            ShipmentStep.WEIGH: status in WEIGHABLE,
            ShipmentStep.BOOK: status is S.WEIGHED,
            ShipmentStep.SHIP: status is S.BOOKED,
            ShipmentStep.INTERCEPT: self.interceptable,
            ShipmentStep.REPORT: self.report_due,
        }
        return frozenset(step for step, allowed in checks.items() if allowed)

    def rearm_report(self) -> None:
        """A report again by hand: a shipped parcel the channel has not been told of."""
        if not self.report_due:
            raise Conflict("shipment_report_not_due", status=self.status.value)
        self.report_attempts = 0  # re-armed: the sweep's retries start over

    def snapshot(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "verified": sum(line.verified for line in self.lines),
            "weightGrams": self.weight_grams,
            "weightFlagged": self.weight_flagged,
            "trackingNo": self.tracking_no,
            "channelReported": self.channel_reported,
            "reportAttempts": self.report_attempts,
        }

    @property
    def expected_grams(self) -> int | None:
        """The SKUs' unit weights × units; None while a SKU's weight is unknown."""
        if any(line.unit_grams is None for line in self.lines):
            return None
        return sum((line.unit_grams or 0) * line.quantity for line in self.lines)

    def units(self) -> dict[UUID, int]:
        units: dict[UUID, int] = {}
        for line in self.lines:
            units[line.sku_id] = units.get(line.sku_id, 0) + line.quantity
        return units

    def _require(self, *statuses: ShipmentStatus) -> None:
        if self.status not in statuses:
            raise Conflict("shipment_not_in_state", status=self.status.value)

    def verify(self, code: str, serial: str | None, now: datetime) -> ShipmentLine:
        """One unit scanned into the parcel (once all are in, any scan is refused as a
        wrong item or an extra unit)."""
        self._require(*VERIFIABLE)
        lines = [x for x in self.lines if same_item(code, x.sku_code, x.barcode)]
        if not lines:
            raise Conflict("scan_wrong_item", scanned=code)
        line = next((x for x in lines if x.verified < x.quantity), None)
        if line is None:
            raise Conflict("scan_extra_unit", scanned=code)
        serial = (serial or "").strip() or None
        if line.serial_managed:
            if serial is None:
                raise Conflict("scan_serial_needed", scanned=code)
            if any(serial in x.serials for x in self.lines):
                raise Conflict("scan_serial_repeated", serial=serial)
            line.serials = (*line.serials, serial)
        elif serial is not None:
            raise ValidationFailed.single("serial", "serial_not_kept")
        line.verified += 1
        done = all(x.verified == x.quantity for x in self.lines)
        if done:
            self.status = S.VERIFIED
        self._bump(now, "fulfilment.shipment_verified" if done else "fulfilment.unit_verified")
        return line

    def shorten(self, quantities: Mapping[UUID, int], now: datetime) -> dict[UUID, int]:
        """A short pick (缺货): the lines cut to the units there are (by order line id; 0
        takes a line out), so the parcel ships what is there and the order ships the rest
        later (a partial shipment). Answers the units given back, by SKU."""
        self._require(*SHORTENABLE)
        if not quantities:
            raise ValidationFailed.single("lines", "no_line_shortened")
        back: dict[UUID, int] = {}
        for line_id, quantity in quantities.items():
            line = next((x for x in self.lines if x.line_id == line_id), None)
            if line is None or not 0 <= quantity < line.quantity:
                raise ValidationFailed.single("lines", "invalid_short", line=str(line_id))
            back[line.sku_id] = back.get(line.sku_id, 0) + line.quantity - quantity
            line.quantity, line.verified = quantity, min(line.verified, quantity)
            line.serials = line.serials[:quantity]
        if not any(x.quantity for x in self.lines):
            raise ValidationFailed.single("lines", "nothing_left_to_ship")
        self.lines = [x for x in self.lines if x.quantity]
        done = all(x.verified == x.quantity for x in self.lines)
        self.status = S.VERIFIED if done else S.PICKING
        self._bump(now, "fulfilment.shipment_shortened")
        return back

    def weigh(self, grams: int, packages: int, tolerance: Decimal, now: datetime) -> None:
        """Records the package weight; flags a deviation beyond ``tolerance`` percent."""
        self._require(*WEIGHABLE)
        if not 0 < grams <= MAX_GRAMS:
            raise ValidationFailed.single("grams", "weight_out_of_range", max=MAX_GRAMS)
        if not 0 < packages <= MAX_PACKAGES:
            raise ValidationFailed.single("packages", "packages_out_of_range", max=MAX_PACKAGES)
        expected = self.expected_grams
        self.weight_grams, self.packages = grams, packages
        self.weight_flagged = expected is not None and (
            expected == 0 or abs(grams - expected) * 100 > tolerance * expected
        )
        self.status = S.WEIGHED
        self._bump(now, "fulfilment.shipment_weighed")

    def deviation(self) -> Decimal | None:
        """The weighed weight's deviation from the expected, in percent (one place)."""
        expected = self.expected_grams
        if self.weight_grams is None or not expected:
            return None
        share = Decimal(self.weight_grams - expected) * 100 / expected
        return share.quantize(Decimal("0.1"), ROUND_HALF_UP)

    def check_bookable(self) -> None:
        self._require(S.WEIGHED)

    def book(
        self,
        tracking_no: str,
        sorting_code: str,
        route: str,
        now: datetime,
        cost_estimate: Decimal | None = None,
    ) -> None:
        """The waybill booked, with the postage its carrier's price table estimates."""
        self.check_bookable()
        self.tracking_no, self.sorting_code, self.route = tracking_no, sorting_code, route
        self.cost_estimate = cost_estimate
        self.status = S.BOOKED
        self._bump(now, "fulfilment.waybill_booked")

    def serials(self) -> dict[UUID, list[str]]:
        """Per SKU, the serials scanned, in line order (what inventory's issue takes)."""
        found: dict[UUID, list[str]] = {}
        for line in self.lines:
            if line.serial_managed:
                found.setdefault(line.sku_id, []).extend(line.serials)
        return found

    def ship(self, now: datetime) -> None:
        self._require(S.BOOKED)
        self.status, self.shipped_at = S.SHIPPED, now
        self._bump(now, "fulfilment.shipment_shipped")

    def intercept(self, now: datetime) -> bool:
        """Before dispatch: stopped here (True: the caller gives the stock back). After:
        the carrier is asked to stop the parcel (False)."""
        if self.status in BEFORE_DISPATCH:
            self.status = S.INTERCEPTED
            self._bump(now, "fulfilment.shipment_intercepted")
            return True
        self._require(S.SHIPPED)
        self.status = S.INTERCEPTION_REQUESTED
        self._bump(now, "fulfilment.interception_requested")
        return False

    def _bump(self, now: datetime, event: str) -> None:
        self.version += 1
        self.updated_at = now
        self.record_event(DomainEvent(event, ENTITY, self.id, ("status",)))
