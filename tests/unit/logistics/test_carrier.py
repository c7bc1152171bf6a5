"""A carrier (LOG-3): its code upper-cased, a change that changes nothing writes nothing,
and waybills are booked only with an active carrier whose gateway is connected."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.logistics.carrier import Carrier
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_carrier_books_only_when_active_and_connected() -> None:
    carrier = Carrier.create(uuid4(), " sf ", "顺丰速运", True, NOW)
    assert carrier.code == "SF" and carrier.version == 1
    with pytest.raises(Conflict) as unconnected:
        carrier.check_bookable()
    assert unconnected.value.code == "carrier_not_connected"
    carrier.connect("simulated", "http://127.0.0.1:8766", NOW)
    assert carrier.check_bookable() == ("simulated", "http://127.0.0.1:8766")
    assert carrier.revise("顺丰速运", True, False, NOW) and carrier.version == 3
    with pytest.raises(Conflict) as inactive:
        carrier.check_bookable()
    assert inactive.value.code == "carrier_inactive"


def test_an_unchanged_revision_writes_nothing_and_a_blank_name_is_refused() -> None:
    carrier = Carrier.create(uuid4(), "ZTO", "中通快递", False, NOW)
    assert not carrier.revise(" 中通快递 ", False, True, NOW) and carrier.version == 1
    with pytest.raises(ValidationFailed):
        carrier.revise("  ", False, True, NOW)
