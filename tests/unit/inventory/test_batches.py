"""Batches, expiry and serials (INV-8): the pure rules — picking suggestions FEFO and
FIFO on worked examples, serials checked (count, duplicates named), batch dates, the
expiring alert's crossing — and the settings use cases on the fakes (If-Match, a SKU
holding stock keeps its batch and serial keeping)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from application.inventory.batches.settings import (
    GetSkuStockSettings,
    GetStockSettings,
    SetSkuStockSettings,
    SetStockSettings,
)
from application.inventory.stock.movements import ReceiveStock
from domain.inventory.alerts import AlertKind, Thresholds, Watched, judge
from domain.inventory.batches import (
    Batch,
    BatchInput,
    BatchStock,
    PickingRule,
    StockSettings,
    scanned,
    suggest,
)
from domain.shared.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from tests.unit.inventory.test_use_cases import CTX, make_store

SKU, WAREHOUSE = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def stock(number: str, on_hand: int, expiry: date | None, received_day: int) -> BatchStock:
    batch = Batch(uuid.uuid4(), SKU, number, None, expiry)
    return BatchStock(batch, WAREHOUSE, on_hand, 0, T0 + timedelta(days=received_day))


# Received in the order A, B, C, D; B and D expire the same day, C never.
EXAMPLE = [
    stock("A", 10, date(2027, 3, 1), 0),
    stock("B", 5, date(2027, 1, 15), 1),
    stock("C", 8, None, 2),
    stock("D", 4, date(2027, 1, 15), 3),
    stock("E", 0, date(2026, 12, 20), 4),  # nothing left: never suggested
]


def picked(rule: PickingRule, quantity: int) -> list[tuple[str, int]]:
    return [(p.batch.number, p.quantity) for p in suggest(EXAMPLE, quantity, rule)]


def test_fefo_takes_the_earliest_expiry_first_and_undated_batches_last() -> None:
    """INV-8: B and D expire first (B came in first), then A; C has no expiry: last."""
    assert picked(PickingRule.FEFO, 12) == [("B", 5), ("D", 4), ("A", 3)]
    assert picked(PickingRule.FEFO, 3) == [("B", 3)]
    assert picked(PickingRule.FEFO, 27) == [("B", 5), ("D", 4), ("A", 10), ("C", 8)]
    # More than there is: everything, the caller compares.
    assert sum(q for _, q in picked(PickingRule.FEFO, 40)) == 27


def test_fifo_takes_the_first_received_first() -> None:
    """INV-8: A came in first, then B, C, D — whatever their expiry."""
    assert picked(PickingRule.FIFO, 12) == [("A", 10), ("B", 2)]
    assert picked(PickingRule.FIFO, 20) == [("A", 10), ("B", 5), ("C", 5)]


def test_serials_one_per_unit_none_twice() -> None:
    """INV-8: a serial-managed SKU's serials match the quantity, and duplicates are
    named; a SKU without serials takes none."""
    assert scanned([" S1 ", "S2"], 2, managed=True) == ["S1", "S2"]
    with pytest.raises(ValidationFailed) as mismatch:
        scanned(["S1"], 2, managed=True)
    assert mismatch.value.errors[0].params == {"quantity": 2, "scanned": 1}
    with pytest.raises(ValidationFailed) as twice:
        scanned(["S2", "S1", "S2", "S1", "S3"], 5, managed=True)
    assert twice.value.errors[0].code == "serials_duplicated"
    assert twice.value.errors[0].params == {"serials": "S1, S2", "count": 2}
    with pytest.raises(ValidationFailed) as required:
        scanned(None, 1, managed=True)
    assert required.value.errors[0].code == "serials_required"
    with pytest.raises(ValidationFailed) as refused:
        scanned(["S1"], 1, managed=False)
    assert refused.value.errors[0].code == "not_serial_managed"
    assert scanned(None, 3, managed=False) == []


def test_a_batch_expires_after_it_is_made() -> None:
    with pytest.raises(ValidationFailed) as backwards:
        BatchInput("L1", date(2027, 1, 2), date(2027, 1, 1))
    assert backwards.value.errors[0].code == "expiry_before_production"
    with pytest.raises(ValidationFailed):
        BatchInput("   ")
    batch = Batch(uuid.uuid4(), SKU, "L1", date(2026, 1, 1), date(2027, 1, 1))
    assert not BatchInput(" L1 ", expiry_date=date(2027, 1, 1)).differs_from(batch)
    assert BatchInput("L1", expiry_date=date(2027, 1, 2)).differs_from(batch)
    with pytest.raises(ValidationFailed):
        StockSettings(PickingRule.FEFO, -1)


def test_expiring_stock_raises_once_and_resolves_when_gone() -> None:
    """INV-8 through INV-3's rules: units expiring within the window raise one alert
    (threshold: the window's days), kept while open, resolved when none are left."""

    def watched(expiring: int, *open_kinds: AlertKind) -> Watched:
        return Watched(SKU, WAREHOUSE, 10, 10, Thresholds(), frozenset(open_kinds), expiring, 30)

    crossings, _ = judge(watched(4))
    assert [(c.kind, c.threshold, c.quantity) for c in crossings] == [(AlertKind.EXPIRING, 30, 4)]
    assert judge(watched(6, AlertKind.EXPIRING)) == ([], [])
    _, recoveries = judge(watched(0, AlertKind.EXPIRING))
    assert [r.kind for r in recoveries] == [AlertKind.EXPIRING]


async def test_settings_with_if_match_and_kept_while_stock_is_held() -> None:
    """INV-8: settings start at version 0 and change at the version read; a SKU holding
    stock cannot start or stop keeping batches or serials (its rule can change)."""
    store = make_store()
    uses = store.use_cases
    assert await uses.query(CTX, GetStockSettings()) == StockSettings()
    changed = await uses.run(CTX, SetStockSettings(PickingRule.FIFO, 14, 0))
    assert (changed.picking_rule, changed.expiry_warning_days, changed.version) == (
        PickingRule.FIFO,
        14,
        1,
    )
    with pytest.raises(StaleVersion):
        await uses.run(CTX, SetStockSettings(PickingRule.FEFO, 14, 0))
    sku = store.sku()
    with pytest.raises(NotFound):
        await uses.query(CTX, GetSkuStockSettings(uuid.uuid4()))
    assert (await uses.query(CTX, GetSkuStockSettings(sku))).version == 0
    warehouse = await store.warehouse("MAIN")
    await uses.run(CTX, ReceiveStock(sku, warehouse, 3))
    with pytest.raises(Conflict) as held:
        await uses.run(CTX, SetSkuStockSettings(sku, True, False, None, 0))
    assert held.value.code == "sku_has_stock"
    ruled = await uses.run(CTX, SetSkuStockSettings(sku, False, False, PickingRule.FIFO, 0))
    assert (ruled.picking_rule, ruled.version) == (PickingRule.FIFO, 1)
