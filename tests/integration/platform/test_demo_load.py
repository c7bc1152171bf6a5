"""``shopkeeper demo load`` run in-process, twice (safe to repeat): the demo tenant
gets its users and a small catalog — made through the use cases, so it is searchable,
published with channel prices, and priced by tiers and a promotion — stock, orders,
customers, a carrier with a picked wave and an after-sales case, and the second run adds
nothing. The demo's carrier is connected to the simulated carrier (at
``SHOPKEEPER_DEMO_CARRIER_URL``), so the demo parcel's waybill books."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

import pytest

from application.aftersales.queries import ListCases
from application.catalog.listings import ListingsOf
from application.catalog.member_prices import MemberPricesOfSku
from application.catalog.membership_tiers import GetTiers
from application.catalog.ports.repositories import ProductFilters
from application.catalog.price_quotes import QuotePrice, QuoteView
from application.catalog.products import (
    ArchiveProduct,
    GetProduct,
    ListProducts,
    SearchProducts,
)
from application.catalog.promotions import PromotionsOfSku
from application.catalog.reads import ListBrands, ListCategories, ListChannels, ListProductTypes
from application.customers.queries import ListCustomers
from application.fulfilment.scanning import (
    ListWaves,
    ListWaveShipments,
    ScanVerify,
    WeighShipment,
)
from application.fulfilment.shipping import BookWaybill
from application.identity.sessions import Sessions
from application.identity.tenant_operations import TenantOperations
from application.inventory.stock.queries import ListLedger, ListStockLevels
from application.inventory.supply import GetChannelSupply
from application.inventory.warehouses.queries import ListWarehouses
from application.logistics.carriers import ListCarriers
from application.orders.queries import ListOrders
from application.shared.context import CallContext
from application.shared.reads import id_window
from bootstrap import Container
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from entrypoints.cli.commands.demo import DEMO_PASSWORD, DEMO_SLUG, demo_email
from entrypoints.cli.runtime import system_context
from tests.conftest import cli_env
from tests.support.carrier import RunningCarrier, simulated_carrier
from tests.support.cli import shopkeeper as in_process


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


async def demo_load(
    settings: Settings, carrier_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``carrier_url``: the simulated carrier the demo's carrier is connected to."""
    carrier = {"SHOPKEEPER_DEMO_CARRIER_URL": carrier_url} if carrier_url else {}
    env = {**cli_env(settings), "SHOPKEEPER_LANG": "en", **carrier}
    return await in_process(env, "demo", "load")


async def _counts(c: Container, ctx: CallContext) -> dict[str, int]:
    products = await c.use_cases.query(ctx, ListProducts.window(None, 200))
    listings = [
        li for v in products.items for li in await c.use_cases.query(ctx, ListingsOf(v.product.id))
    ]
    skus = [s.id for v in products.items for s in v.product.skus]
    channels = (await c.use_cases.query(ctx, ListChannels.window(None, 10))).items
    tmall_id = next(ch.id for ch in channels if ch.code == "tmall")
    member_prices = promotions = 0
    for sku in skus:
        member_prices += len(await c.use_cases.query(ctx, MemberPricesOfSku(sku)))
        promotions += len(
            (await c.use_cases.query(ctx, PromotionsOfSku(sku, *id_window(None, 200)))).items
        )
    return {
        "categories": len((await c.use_cases.query(ctx, ListCategories.window(None, 200))).items),
        "brands": len((await c.use_cases.query(ctx, ListBrands.window(None, 200))).items),
        "types": len((await c.use_cases.query(ctx, ListProductTypes.window(None, 200))).items),
        "channels": len((await c.use_cases.query(ctx, ListChannels.window(None, 200))).items),
        "products": len(products.items),
        "skus": sum(len(v.product.skus) for v in products.items),
        "listings": len(listings),
        "listing_versions": sum(li.version for li in listings),
        "product_versions": sum(v.product.version for v in products.items),
        "member_prices": member_prices,
        "promotions": promotions,
        "tiers": (await c.use_cases.query(ctx, GetTiers())).version,
        "warehouses": len((await c.use_cases.query(ctx, ListWarehouses.window(None, 200))).items),
        "stock_levels": len((await c.use_cases.query(ctx, ListStockLevels(limit=200))).items),
        "ledger_rows": len((await c.use_cases.query(ctx, ListLedger(limit=200))).page.items),
        "tmall_supply": (await c.use_cases.query(ctx, GetChannelSupply(tmall_id))).version,
        "orders": len((await c.use_cases.query(ctx, ListOrders(limit=200))).items),
        "customers": len((await c.use_cases.query(ctx, ListCustomers(None, 200))).items),
        "carriers": len((await c.use_cases.query(ctx, ListCarriers.window(None, 200))).items),
        "waves_picked": sum(
            w.picked for w in (await c.use_cases.query(ctx, ListWaves.window(None, 200))).items
        ),
        "cases": [
            case.status.value
            for case in (await c.use_cases.query(ctx, ListCases.window(None, 200))).items
        ],
    }


async def test_demo_load_twice_makes_one_searchable_catalog(
    container: Container, settings: Settings, sim: RunningCarrier
) -> None:
    first = await demo_load(settings, sim.url)
    assert first.returncode == 0, first.stderr
    assert "Demo tenant: demo" in first.stdout
    ctx_system = system_context("test")
    tenants = {t.slug: t for t in await container.get(TenantOperations).list_all(ctx_system)}
    ctx = CallContext(tenants[DEMO_SLUG].id, ctx_system.actor, ALL_PERMISSIONS, "test")
    before = await _counts(container, ctx)
    assert before == {
        "categories": 5,
        "brands": 2,
        "types": 1,
        "channels": 2,
        "products": 6,
        "skus": 11,
        "listings": 7,
        "listing_versions": 7,
        "product_versions": 6,
        "member_prices": 1,
        "promotions": 1,
        "tiers": 1,
        "warehouses": 3,  # and the returns warehouse
        "stock_levels": 22,  # 11 SKUs in two warehouses
        # their opening receipts, once; the demo orders' reservations (5), a release and
        # the demo wave's pick lock
        "ledger_rows": 29,
        "tmall_supply": 1,
        "orders": 4,
        "customers": 2,
        "carriers": 1,
        "waves_picked": 1,
        "cases": ["awaiting_return"],
    }

    second = await demo_load(settings, sim.url)
    assert second.returncode == 0, second.stderr
    assert await _counts(container, ctx) == before
    (carrier,) = (await container.use_cases.query(ctx, ListCarriers.window(None, 10))).items
    assert (carrier.gateway_kind, carrier.endpoint) == ("simulated", sim.url)

    found = await container.use_cases.query(
        ctx, SearchProducts.of("蓝牙", ProductFilters(), None, None)
    )
    assert sorted(v.product.details.name for v in found.items) == ["蓝牙耳机", "降噪蓝牙耳机 Pro"]
    tees = await container.use_cases.query(
        ctx, SearchProducts.of("T恤", ProductFilters(), None, None)
    )
    assert {v.product.code for v in tees.items} == {"TEE-001", "TEE-002"}
    channels = {
        ch.code: ch
        for ch in (await container.use_cases.query(ctx, ListChannels.window(None, 10))).items
    }
    clothes = next(
        cat for cat in (await container.use_cases.query(ctx, ListCategories.window(None, 10))).items
        if cat.name == "服装"
    )  # fmt: skip
    filters = ProductFilters(category_id=clothes.id, channel_id=channels["tmall"].id)
    on_tmall = await container.use_cases.query(
        ctx, SearchProducts.of(None, filters, None, None, "price")
    )
    assert [v.product.code for v in on_tmall.items] == ["TEE-001"]

    earphones = next(v.product for v in found.items if v.product.code == "EAR-001")
    sku = earphones.skus[0].id
    tmall, own = channels["tmall"].id, channels["own_shop"].id

    async def quote(
        ctx: CallContext, sku: UUID, channel: UUID | None, tier: str | None, at: datetime | None
    ) -> QuoteView:
        return await container.use_cases.query(ctx, QuotePrice(sku, channel, tier, at))

    assert (await quote(ctx, sku, own, None, None)).quote.amount.amount == 299
    assert (await quote(ctx, sku, own, "gold", None)).quote.amount.amount == 269
    promoted = (await quote(ctx, sku, tmall, None, None)).quote
    assert (promoted.amount.amount, promoted.rule) == (249, "promotional_price")

    # A demo product archived since stays archived (lists leave it out; its code is taken).
    await container.use_cases.run(ctx, ArchiveProduct(earphones.id, earphones.version))
    third = await demo_load(settings)
    assert third.returncode == 0, third.stderr
    again = await _counts(container, ctx)
    assert (again["products"], again["member_prices"]) == (5, 0)
    assert (await container.use_cases.query(ctx, GetProduct(earphones.id))).product.archived

    # The demo parcel verified and weighed books its waybill with the simulated carrier.
    (wave,) = (await container.use_cases.query(ctx, ListWaves.window(None, 10))).items
    (parcel,) = await container.use_cases.query(ctx, ListWaveShipments(wave.id))
    for line in parcel.lines:
        for _ in range(line.quantity):
            code = line.barcode or line.sku_code
            parcel = await container.use_cases.run(ctx, ScanVerify(parcel.id, code))
    parcel = await container.use_cases.run(ctx, WeighShipment(parcel.id, 600))
    booked = await container.use_cases.run(ctx, BookWaybill(parcel.id, parcel.version))
    assert booked.tracking_no and booked.sorting_code


async def test_the_printed_demo_password_works_after_another_was_set(
    container: Container, settings: Settings
) -> None:
    """A demo tenant from an older load (another password) gets the printed one again."""
    assert (await demo_load(settings)).returncode == 0
    operations = container.get(TenantOperations)
    email = demo_email("marketing")
    await operations.reset_password(
        system_context("test"), DEMO_SLUG, email, "an-older-demo-secret-77"
    )
    again = await demo_load(settings)
    assert again.returncode == 0, again.stderr
    assert f"password for every user: {DEMO_PASSWORD}" in again.stdout
    tokens = await container.get(Sessions).login(DEMO_SLUG, email, DEMO_PASSWORD, None, "t")
    assert tokens.access_token
