"""Waves (波次, LOG-1): allocated orders of one warehouse, carrier and bin zone picked
together (an order whose SKUs lie in more than one zone, or in none, in a wave of no
zone), the single-SKU orders apart (one pick, then straight to packing). A wave is created with its
orders' stock pick-locked; its pick list is its SKUs zone by zone, in bin order within a
zone (SKUs of no zone last): a wave across zones is picked as one zone pick list per zone
(``zones``), in parallel, and each order's parcel is brought together at verify, where
its lines are scanned whatever zone they came from (docs/decisions.md). Each pick scan (a SKU's
barcode, a quantity) confirms units, refused for a SKU not in the wave or units beyond
what it needs; a serial-managed SKU's scan names one serial a unit, each once in the wave
(verify then takes only those). Picked once every unit is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.fulfilment.scans import same_item
from domain.shared.errors import Conflict, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "wave"


class WaveStatus(StrEnum):
    PICKING = "picking"
    PICKED = "picked"


@dataclass(frozen=True)
class SkuFact:
    """What fulfilment knows of a SKU: the catalog's code, barcode and unit weight, and
    whether inventory keeps its serials."""

    sku_id: UUID
    code: str
    barcode: str | None
    weight_grams: int | None
    serial_managed: bool = False


@dataclass
class WaveLine:
    sku_id: UUID
    sku_code: str
    barcode: str | None
    bin_code: str | None
    quantity: int
    picked: int = 0
    serial_managed: bool = False
    serials: tuple[str, ...] = ()  # a serial-managed SKU's serials picked, one a unit
    zone: str | None = None  # its bin's zone: the zone pick list it is on


def _pick_order(line: WaveLine) -> tuple[bool, str, bool, str, str]:
    """Zone by zone (no zone last), then bin order (no bin last), then the SKU's code."""
    return (
        line.zone is None,
        line.zone or "",
        line.bin_code is None,
        line.bin_code or "",
        line.sku_code,
    )


@dataclass
class Wave(RecordsEvents):
    id: UUID
    number: str
    warehouse_id: UUID
    carrier_code: str
    single_sku: bool
    status: WaveStatus
    lines: list[WaveLine]
    version: int
    created_at: datetime
    updated_at: datetime
    order_ids: tuple[UUID, ...] = field(default=())
    zone: str | None = None  # the bin zone all its orders' SKUs lie in

    @classmethod
    def create(
        cls,
        wave_id: UUID,
        number: str,
        warehouse_id: UUID,
        carrier_code: str,
        single_sku: bool,
        lines: Iterable[WaveLine],
        order_ids: tuple[UUID, ...],
        now: datetime,
        zone: str | None = None,
    ) -> Wave:
        wave = cls(
            wave_id,
            number,
            warehouse_id,
            carrier_code,
            single_sku,
            WaveStatus.PICKING,
            sorted(lines, key=_pick_order),
            1,
            now,
            now,
            order_ids,
            zone,
        )
        wave.record_event(DomainEvent("fulfilment.wave_created", ENTITY, wave_id))
        return wave

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones of its pick lists, in pick order (a wave of one zone: that one)."""
        return tuple(dict.fromkeys(line.zone for line in self.lines if line.zone is not None))

    def pick_lists(self) -> list[tuple[str | None, list[WaveLine]]]:
        """Its lines per zone pick list, in pick order; the lines of no zone last (None)."""
        lists: dict[str | None, list[WaveLine]] = {}
        for line in sorted(self.lines, key=_pick_order):
            lists.setdefault(line.zone, []).append(line)
        return list(lists.items())

    def snapshot(self) -> dict[str, object]:
        return {
            "zone": self.zone,
            "status": self.status.value,
            "picked": sum(line.picked for line in self.lines),
            "units": sum(line.quantity for line in self.lines),
        }

    def pick(
        self, code: str, quantity: int, now: datetime, serials: Sequence[str] = ()
    ) -> WaveLine:
        """Confirms ``quantity`` units of the SKU scanned; a serial-managed SKU's with one
        serial each (``serials``: whether inventory has them in stock is the caller's)."""
        if quantity < 1:
            raise ValidationFailed.single("quantity", "must_be_positive")
        line = next((x for x in self.lines if same_item(code, x.sku_code, x.barcode)), None)
        if line is None:
            raise Conflict("scan_wrong_item", scanned=code)
        if line.picked + quantity > line.quantity:
            raise Conflict("scan_extra_unit", scanned=code, needed=line.quantity - line.picked)
        line.serials = (*line.serials, *_picked_serials(line, code, quantity, serials))
        line.picked += quantity
        picked = all(line.picked == line.quantity for line in self.lines)
        if picked:
            self.status = WaveStatus.PICKED
        self._bump(now, "fulfilment.wave_picked" if picked else "fulfilment.wave_pick_scanned")
        return line

    def serials_of(self, sku_id: UUID) -> tuple[str, ...] | None:
        """The serials picked of a serial-managed SKU in the wave (None: not one)."""
        line = next((x for x in self.lines if x.sku_id == sku_id), None)
        return line.serials if line is not None and line.serial_managed else None

    def put_back(
        self, units: dict[UUID, int], now: datetime, serials: dict[UUID, list[str]] | None = None
    ) -> None:
        """An intercepted or short parcel's units leave the wave (its goods go back to
        their bins): ``serials``, those it had verified, leave first, then the last
        picked until no more are picked than the wave still needs."""
        for line in self.lines:
            line.quantity -= units.get(line.sku_id, 0)
            line.picked = min(line.picked, line.quantity)
            gone = set((serials or {}).get(line.sku_id, ()))
            line.serials = tuple(s for s in line.serials if s not in gone)[: line.picked]
        self.lines = [line for line in self.lines if line.quantity > 0]
        if all(line.picked == line.quantity for line in self.lines):
            self.status = WaveStatus.PICKED
        self._bump(now, "fulfilment.wave_changed")

    @property
    def picked(self) -> bool:
        return self.status is WaveStatus.PICKED

    def _bump(self, now: datetime, event: str) -> None:
        self.version += 1
        self.updated_at = now
        self.record_event(DomainEvent(event, ENTITY, self.id, ("lines",)))


def _picked_serials(
    line: WaveLine, code: str, quantity: int, serials: Sequence[str]
) -> tuple[str, ...]:
    """The serials of a pick scan, trimmed: one a unit for a serial-managed SKU (409
    ``scan_serial_needed`` otherwise), none picked twice in the wave
    (``scan_serial_repeated``); none for another SKU (422 ``serial_not_kept``)."""
    given = tuple(s.strip() for s in serials if s.strip())
    if not line.serial_managed:
        if given:
            raise ValidationFailed.single("serials", "serial_not_kept")
        return ()
    if len(given) != quantity:
        raise Conflict("scan_serial_needed", scanned=code, needed=quantity)
    for serial in given:
        if serial in line.serials or given.count(serial) > 1:
            raise Conflict("scan_serial_repeated", serial=serial)
    return given
