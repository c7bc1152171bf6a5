"""Waves (波次, LOG-1): allocated orders of one warehouse, carrier and bin zone picked
together (an order whose SKUs lie in more than one zone, or in none, in a wave of no
zone), the single-SKU orders apart (one pick, then straight to packing). A wave is created with its
orders' stock pick-locked; its pick list is its SKUs in bin order; each pick scan (a SKU's
barcode, a quantity) confirms units, refused for a SKU not in the wave or units beyond
what it needs. Picked once every unit is.
"""

from __future__ import annotations

from collections.abc import Iterable
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
            sorted(
                lines, key=lambda line: (line.bin_code is None, line.bin_code or "", line.sku_code)
            ),
            1,
            now,
            now,
            order_ids,
            zone,
        )
        wave.record_event(DomainEvent("fulfilment.wave_created", ENTITY, wave_id))
        return wave

    def snapshot(self) -> dict[str, object]:
        return {
            "zone": self.zone,
            "status": self.status.value,
            "picked": sum(line.picked for line in self.lines),
            "units": sum(line.quantity for line in self.lines),
        }

    def pick(self, code: str, quantity: int, now: datetime) -> WaveLine:
        """Confirms ``quantity`` units of the SKU scanned."""
        if quantity < 1:
            raise ValidationFailed.single("quantity", "must_be_positive")
        line = next((x for x in self.lines if same_item(code, x.sku_code, x.barcode)), None)
        if line is None:
            raise Conflict("scan_wrong_item", scanned=code)
        if line.picked + quantity > line.quantity:
            raise Conflict("scan_extra_unit", scanned=code, needed=line.quantity - line.picked)
        line.picked += quantity
        picked = all(line.picked == line.quantity for line in self.lines)
        if picked:
            self.status = WaveStatus.PICKED
        self._bump(now, "fulfilment.wave_picked" if picked else "fulfilment.wave_pick_scanned")
        return line

    def put_back(self, units: dict[UUID, int], now: datetime) -> None:
        """An intercepted order's units leave the wave (its goods go back to their bins)."""
        for line in self.lines:
            line.quantity -= units.get(line.sku_id, 0)
            line.picked = min(line.picked, line.quantity)
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
