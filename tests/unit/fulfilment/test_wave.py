"""A wave's pick scans of a serial-managed SKU (LOG-1 × INV-8): one serial a unit, each
once, none for another SKU; units put back take the parcel's serials with them. A wave's
pick lists are its lines zone by zone, the lines of no zone last."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.fulfilment.wave import Wave, WaveLine
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _wave() -> Wave:
    phone = WaveLine(uuid4(), "PHONE-1", "6901234567892", "A-01", 3, serial_managed=True)
    cup = WaveLine(uuid4(), "CUP-1", None, "A-02", 1)
    return Wave.create(uuid4(), "WV1", uuid4(), "SF", False, [phone, cup], (uuid4(),), NOW)


def test_a_serial_managed_pick_needs_one_serial_a_unit_each_once() -> None:
    wave = _wave()
    with pytest.raises(Conflict) as short:
        wave.pick("PHONE-1", 2, NOW, ["SN-1"])
    assert short.value.code == "scan_serial_needed"
    with pytest.raises(Conflict) as twice:
        wave.pick("PHONE-1", 2, NOW, ["SN-1", " SN-1 "])
    assert twice.value.code == "scan_serial_repeated"
    line = wave.pick("PHONE-1", 2, NOW, [" SN-1", "SN-2 "])
    assert line.serials == ("SN-1", "SN-2") and line.picked == 2
    with pytest.raises(Conflict) as again:
        wave.pick("PHONE-1", 1, NOW, ["SN-2"])
    assert again.value.code == "scan_serial_repeated"
    assert wave.serials_of(line.sku_id) == ("SN-1", "SN-2")
    with pytest.raises(ValidationFailed):
        wave.pick("CUP-1", 1, NOW, ["SN-7"])


def test_units_put_back_take_the_parcels_serials_then_the_last_picked() -> None:
    wave = _wave()
    phone = wave.lines[0]
    wave.pick("PHONE-1", 3, NOW, ["SN-1", "SN-2", "SN-3"])
    wave.put_back({phone.sku_id: 1}, NOW, {phone.sku_id: ["SN-1"]})
    assert phone.serials == ("SN-2", "SN-3") and phone.picked == 2
    wave.put_back({phone.sku_id: 1}, NOW)  # a short parcel names none: the last one goes
    assert wave.serials_of(phone.sku_id) == ("SN-2",)


def test_the_pick_lists_are_the_lines_zone_by_zone_those_of_no_zone_last() -> None:
    lines = [
        WaveLine(uuid4(), "LOOSE-1", None, None, 1),
        WaveLine(uuid4(), "MUG-1", None, "B-01", 1, zone="B"),
        WaveLine(uuid4(), "CUP-1", None, "A-09", 1, zone="A"),
        WaveLine(uuid4(), "TEA-1", None, "A-02", 2, zone="A"),
    ]
    wave = Wave.create(uuid4(), "WV2", uuid4(), "SF", False, lines, (uuid4(),), NOW)
    lists = [(zone, [x.sku_code for x in found]) for zone, found in wave.pick_lists()]
    assert lists == [("A", ["TEA-1", "CUP-1"]), ("B", ["MUG-1"]), (None, ["LOOSE-1"])]
    unzoned = _wave()  # a warehouse without zones: one pick list
    assert unzoned.pick_lists() == [(None, unzoned.lines)]
