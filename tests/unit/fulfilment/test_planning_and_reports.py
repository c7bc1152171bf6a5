"""Waves planned past the first page of orders and grouped by bin zone (a wave across
zones picked zone by zone, its parcels brought together at verify), and channel reports
that fail only on the port's own error (LOG-1, CHN-2), on the typed fakes."""

from __future__ import annotations

from uuid import uuid4

import pytest

from application.fulfilment import planning
from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ScanPick, ScanVerify
from application.fulfilment.shipping import ShipShipment
from application.inventory.stock.movements import ReceiveStock
from application.inventory.warehouses.bins import AddBin
from application.inventory.warehouses.open import OpenWarehouse
from application.orders.channels.ports import ChannelRefused
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from domain.catalog.channel import ChannelKind, SalesChannel
from domain.fulfilment.shipment import Shipment, ShipmentStatus
from domain.fulfilment.wave import SkuFact
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import ValidationFailed
from tests.unit.fulfilment.desk import Channel, approved, packed, register_fulfilment
from tests.unit.orders.test_use_cases import CTX, RECEIVER, TENANT, make_shop, order

CODE = "6901234567892"


async def test_a_warehouse_filter_reads_every_page_of_orders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(planning, "PAGE", 2)
    shop = await make_shop()
    register_fulfilment(shop)
    sku = await shop.sku(10)
    shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, "CUP-1", CODE, 250)
    shenzhen = OpenWarehouse("SZ", "深圳仓", WarehouseKind.OWN, None, 2)
    opened = await shop.use_cases.run(CTX, shenzhen)
    await shop.use_cases.run(CTX, ReceiveStock(sku, opened.id, 3))
    far = await approved(shop, order((sku, 1)), opened.id)  # the oldest: on the last page
    for _ in range(3):
        await approved(shop, order((sku, 1)))
    waves = await shop.use_cases.run(CTX, PlanWaves("SF", warehouse_id=opened.id, limit=5))
    assert [w.order_ids for w in waves] == [(far,)]
    everything = await shop.use_cases.run(CTX, PlanWaves("SF", limit=5))
    assert sum(len(w.order_ids) for w in everything) == 3  # the rest, over two pages


async def _ship_a_channel_order(error: Exception) -> Shipment:
    shop = await make_shop()
    register_fulfilment(shop, Channel(error))
    sku = await shop.sku(5)
    shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, "CUP-1", CODE, 250)
    channel = SalesChannel.create(uuid4(), "tmall", "天猫", ChannelKind.OWN_SHOP)
    shop.db.tenant(TENANT).catalog.channels[channel.id] = channel
    line = NewLine(sku, 1, platform_order_id="P1", platform_sub_order_id="P1-1")
    await approved(shop, PlaceOrder(NewOrder((line,), RECEIVER, channel_id=channel.id)))
    (wave,) = await shop.use_cases.run(CTX, PlanWaves("SF"))
    await shop.use_cases.run(CTX, ScanPick(wave.id, CODE, 1))
    (shipment,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    shipment = await packed(shop, shipment, CODE)
    return await shop.use_cases.run(CTX, ShipShipment(shipment.id, shipment.version))


async def test_a_refused_report_is_a_failed_attempt_and_the_shipment_stands() -> None:
    shipped = await _ship_a_channel_order(ChannelRefused("tmall", 404, "no such order"))
    assert not shipped.channel_reported
    assert shipped.report_attempts == 1


async def test_a_fault_that_is_not_the_ports_error_is_not_taken_for_a_failed_report() -> None:
    with pytest.raises(KeyError):
        await _ship_a_channel_order(KeyError("a bug"))


async def test_waves_are_grouped_by_the_zone_of_their_skus_bins() -> None:
    shop = await make_shop()
    register_fulfilment(shop)
    cup, pot = await shop.sku(0), await shop.sku(0)
    for sku, zone, code in ((cup, "A", "A-01"), (pot, "B", "B-07")):
        bin = await shop.use_cases.run(CTX, AddBin(shop.warehouse, code, None, zone))
        await shop.use_cases.run(CTX, ReceiveStock(sku, shop.warehouse, 5, bin_id=bin.id))
    in_a = await approved(shop, order((cup, 1)))
    in_b = await approved(shop, order((pot, 2)))
    across = await approved(shop, order((cup, 1), (pot, 1)))
    for sku, zone in ((cup, "A"), (pot, "B")):  # each command works on a copy: set last
        shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, f"SKU-{zone}", None, 250)
    waves = await shop.use_cases.run(CTX, PlanWaves("SF"))
    by_zone = {w.zone: (w.order_ids, w.single_sku, [x.bin_code for x in w.lines]) for w in waves}
    assert by_zone == {
        "A": ((in_a,), True, ["A-01"]),
        "B": ((in_b,), True, ["B-07"]),
        None: ((across,), False, ["A-01", "B-07"]),  # two zones: a wave of no zone
    }


async def test_a_wave_across_zones_is_picked_zone_by_zone_and_verified_as_one_parcel() -> None:
    shop = await make_shop()
    register_fulfilment(shop)
    cup, pot, pan = await shop.sku(0), await shop.sku(0), await shop.sku(0)
    # Bin codes interleave the zones: bin order alone would walk B, A, B.
    for sku, zone, code in ((cup, "B", "01"), (pot, "A", "02"), (pan, "B", "03")):
        bin = await shop.use_cases.run(CTX, AddBin(shop.warehouse, code, None, zone))
        await shop.use_cases.run(CTX, ReceiveStock(sku, shop.warehouse, 5, bin_id=bin.id))
    across = await approved(shop, order((cup, 1), (pot, 2), (pan, 1)))
    for sku, code in ((cup, "CUP"), (pot, "POT"), (pan, "PAN")):
        shop.db.tenant(TENANT).fulfilment.skus[sku] = SkuFact(sku, code, None, 250)
    (wave,) = await shop.use_cases.run(CTX, PlanWaves("SF"))
    assert (wave.zone, wave.zones, wave.order_ids) == (None, ("A", "B"), (across,))
    assert [(x.zone, x.bin_code, x.sku_code) for x in wave.lines] == [
        ("A", "02", "POT"),  # zone A's pick list
        ("B", "01", "CUP"),  # then zone B's, in bin order
        ("B", "03", "PAN"),
    ]
    for code, units in (("PAN", 1), ("POT", 2), ("CUP", 1)):  # each zone's picker, any order
        await shop.use_cases.run(CTX, ScanPick(wave.id, code, units))
    (parcel,) = shop.db.tenant(TENANT).fulfilment.shipments.values()
    for code in ("CUP", "POT", "PAN", "POT"):  # brought together at verify
        parcel = await shop.use_cases.run(CTX, ScanVerify(parcel.id, code))
    assert parcel.status is ShipmentStatus.VERIFIED


async def test_a_bin_zone_is_trimmed_and_bounded() -> None:
    shop = await make_shop()
    bin = await shop.use_cases.run(CTX, AddBin(shop.warehouse, "C-01", None, " 冷藏区 "))
    assert bin.zone == "冷藏区"
    with pytest.raises(ValidationFailed):
        await shop.use_cases.run(CTX, AddBin(shop.warehouse, "C-02", None, "Z" * 33))
