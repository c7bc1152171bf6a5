"""Price tables and the recommendation (LOG-3): postage by first weight and each started
kilogram above it, exact to the fen; regions keyed without their suffix and priced once;
the recommendation applies the rules (active, region served, weight, cash on delivery)
before the cheapest price."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.logistics.carrier import Carrier
from domain.logistics.rates import PriceTable, Rate, checked_rates, region_key
from domain.logistics.recommendation import recommend
from domain.shared.errors import ValidationFailed

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
D = Decimal


def _rate(regions: tuple[str, ...], first: str, extra: str, heaviest: int = 30_000) -> Rate:
    return Rate(regions, 1000, D(first), D(extra), heaviest)


def test_log3_postage_is_the_first_weight_then_each_started_kilogram() -> None:
    table = PriceTable(
        uuid4(), checked_rates([_rate(("广东省", "广西壮族自治区"), "8.00", "2.50")])
    )
    assert table.regions == ("广东", "广西")
    assert table.postage("广东", 1000) == D("8.00")
    assert table.postage("广东省", 1001) == D("10.50")
    assert table.postage("广西", 3000) == D("13.00")
    assert table.postage("广西", 3001) == D("15.50")
    assert table.postage("新疆", 500) is None  # not served
    assert table.postage("广东", 30_001) is None  # heavier than it takes
    assert region_key(" 北京市 ") == "北京" and region_key("香港特别行政区") == "香港"


@pytest.mark.parametrize(
    ("rates", "code"),
    [
        ([_rate((), "8", "2")], "rate_regions_needed"),
        ([_rate(("广东",), "8", "2"), _rate(("广东省",), "9", "2")], "region_priced_twice"),
        ([_rate(("广东",), "8.001", "2")], "invalid_price"),
        ([_rate(("广东",), "-1", "2")], "invalid_price"),
        ([Rate(("广东",), 2000, D("8"), D("2"), 1000)], "max_under_first_weight"),
        ([Rate(("广东",), 0, D("8"), D("2"), 1000)], "weight_out_of_range"),
    ],
)
def test_log3_a_bad_price_table_is_refused(rates: list[Rate], code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        checked_rates(rates)
    assert refused.value.errors[0].code == code


def _carrier(code: str, cod: bool = False, active: bool = True) -> Carrier:
    carrier = Carrier.create(uuid4(), code, code, cod, NOW)
    carrier.active = active
    return carrier


def test_log3_rules_first_then_the_cheapest_price_table() -> None:
    cheap, dear, far, light, down = (
        _carrier("YTO"),
        _carrier("SF", cod=True),
        _carrier("EMS", cod=True),
        _carrier("JT", cod=True),
        _carrier("ZTO", cod=True, active=False),
    )
    tables = [
        (cheap, PriceTable(cheap.id, checked_rates([_rate(("浙江",), "5.00", "1.00")]))),
        (dear, PriceTable(dear.id, checked_rates([_rate(("浙江",), "12.00", "2.00")]))),
        (far, PriceTable(far.id, checked_rates([_rate(("新疆",), "4.00", "1.00")]))),
        (light, PriceTable(light.id, checked_rates([_rate(("浙江",), "3.00", "1.00", 2000)]))),
        (down, PriceTable(down.id, checked_rates([_rate(("浙江",), "1.00", "1.00")]))),
        (_carrier("DBL"), None),
    ]
    plain = recommend(tables, "浙江省", 2500, cod=False)
    assert plain.best is not None and plain.best.carrier.code == "YTO"
    assert [(o.carrier.code, o.postage, o.refusal) for o in plain.options] == [
        ("YTO", D("7.00"), None),
        ("SF", D("16.00"), None),
        ("DBL", None, "region_not_served"),
        ("EMS", None, "region_not_served"),
        ("JT", None, "too_heavy"),
        ("ZTO", None, "inactive"),
    ]
    cod = recommend(tables, "浙江", 1500, cod=True)
    assert cod.best is not None and (cod.best.carrier.code, cod.best.postage) == ("JT", D("4.00"))
    assert {o.carrier.code: o.refusal for o in cod.options}["YTO"] == "no_cash_on_delivery"
    assert recommend(tables, "西藏", 500, cod=False).best is None
