"""Publishing on sales channels on the real Postgres, as shopkeeper_app (CAT-7, CHN-1).

Blockers come back all at once; publishing launches a new product with its version;
publishing or unpublishing twice writes one event; archiving, discontinuing and channel
deactivation unpublish in the same transaction with their ``product.unpublished`` events;
and a product.published event reaches the webhooks with entity ``product`` and
``{channelId}``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from application.catalog.channels import (
    ChangeChannel,
    ChannelChanges,
    CreateChannel,
)
from application.catalog.listings import (
    ListingsOf,
    PublishListing,
    SetListingPrices,
    UnpublishListing,
)
from application.catalog.ports.store import CATALOG
from application.catalog.products import (
    ArchiveProduct,
    CreateProduct,
    GetProduct,
    ProductData,
    ReviseProduct,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.messages import PublishedEvent
from application.webhooks.service import WebhookService
from bootstrap import Container
from domain.catalog.channel import Listing, ListingStatus, SalesChannel
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def channel(c: Container, tenant: TenantHandle, code: str = "tmall_flagship") -> SalesChannel:
    return await c.use_cases.run(
        ctx(tenant), CreateChannel(code, "天猫旗舰店", "marketplace", "tmall")
    )


async def product(
    c: Container,
    tenant: TenantHandle,
    code: str = "BT-1",
    price: str | None = "99",
    lifecycle: str | None = None,
) -> uuid.UUID:
    data = ProductData(
        name="蓝牙耳机",
        lifecycle=lifecycle,
        skus=[SkuData(code=f"{code}-A", list_price=_amount(price))],
    )
    return (await c.use_cases.run(ctx(tenant), CreateProduct(code, data))).product.id


async def events(conn: asyncpg.Connection, tenant: TenantHandle, entity: uuid.UUID) -> list[Any]:
    rows = await conn.fetch(
        "SELECT event_type, entity_type, data FROM outbox WHERE tenant_id = $1"
        " AND entity_id = $2 ORDER BY occurred_at, id",
        tenant.id,
        entity,
    )
    return [(r["event_type"], r["data"]) for r in rows]


async def audit_actions(conn: asyncpg.Connection, tenant: TenantHandle, entity: uuid.UUID) -> list:
    rows = await conn.fetch(
        "SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_id = $2"
        " AND outcome = 'success' ORDER BY occurred_at",
        tenant.id,
        entity,
    )
    return [r["action"] for r in rows]


async def test_every_publish_blocker_is_reported_at_once(
    container: Container, tenant: TenantHandle
) -> None:
    shop = await channel(container, tenant)
    await container.use_cases.run(
        ctx(tenant), ChangeChannel(shop.id, ChannelChanges(active=False), 1)
    )
    product_id = await product(container, tenant, price=None, lifecycle="discontinued")
    with pytest.raises(ValidationFailed) as caught:
        await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("channelId", "channel_inactive"),
        ("lifecycle", "lifecycle_not_publishable"),
        ("skus[BT-1-A]", "sku_has_no_price"),
    }
    assert await container.use_cases.query(ctx(tenant), ListingsOf(product_id)) == []
    with pytest.raises(ValidationFailed) as unknown:
        await container.use_cases.run(ctx(tenant), PublishListing(product_id, uuid.uuid4()))
    assert unknown.value.errors[0].code == "unknown_channel"


async def test_publishing_launches_a_new_product_and_repeats_change_nothing(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    shop = await channel(container, tenant)
    product_id = await product(container, tenant)  # lifecycle "new"
    listing = await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))
    assert listing.status is ListingStatus.PUBLISHED and listing.version == 1
    launched = (await container.use_cases.query(ctx(tenant), GetProduct(product_id))).product
    assert (str(launched.lifecycle), launched.version) == ("active", 2)
    versions = await owner_conn.fetch(
        "SELECT number, changes FROM product_versions WHERE product_id = $1 ORDER BY number",
        product_id,
    )
    assert [v["number"] for v in versions] == [1, 2] and "lifecycle" in versions[1]["changes"]

    again = await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))
    assert again.version == 1  # no change: no write
    channel_data = f'{{"channelId": "{shop.id}"}}'
    assert await events(owner_conn, tenant, product_id) == [
        ("product.created", '{"code": "BT-1"}'),
        ("product.updated", "{}"),  # the launch: lifecycle
        ("product.published", channel_data),
    ]
    await container.use_cases.run(ctx(tenant), UnpublishListing(product_id, shop.id))
    gone = await container.use_cases.run(ctx(tenant), UnpublishListing(product_id, shop.id))
    assert gone.status is ListingStatus.UNPUBLISHED and gone.version == 2
    published_events = [e for e, _ in await events(owner_conn, tenant, product_id)]
    assert published_events.count("product.published") == 1
    assert published_events.count("product.unpublished") == 1
    actions = await audit_actions(owner_conn, tenant, product_id)
    assert actions == ["product.create", "product.launch", "listing.publish", "listing.unpublish"]


async def test_archiving_or_discontinuing_unpublishes_everywhere(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    tmall, own = await channel(container, tenant), await channel(container, tenant, "own_shop")
    archived = await product(container, tenant, "AR-1", lifecycle="active")
    ended = await product(container, tenant, "DC-1", lifecycle="active")
    for product_id in (archived, ended):
        for shop in (tmall, own):
            await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))

    await container.use_cases.run(ctx(tenant), ArchiveProduct(archived, 1))
    view = await container.use_cases.query(ctx(tenant), GetProduct(ended))
    sku = view.product.skus[0]
    await container.use_cases.run(
        ctx(tenant),
        ReviseProduct(
            ended,
            ProductData(
                name="蓝牙耳机",
                lifecycle="discontinued",
                skus=[SkuData(code=sku.code, id=sku.id, list_price=Decimal("99"))],
            ),
            1,
        ),
    )
    for product_id, reason in (
        (archived, "listing.unpublish_product_archived"),
        (ended, "listing.unpublish_product_discontinued"),
    ):
        listings = await container.use_cases.query(ctx(tenant), ListingsOf(product_id))
        assert [x.status for x in listings] == [ListingStatus.UNPUBLISHED] * 2
        unpublished = [d for e, d in await events(owner_conn, tenant, product_id)
                       if e == "product.unpublished"]  # fmt: skip
        assert sorted(unpublished) == sorted(f'{{"channelId": "{c.id}"}}' for c in (tmall, own))
        assert (await audit_actions(owner_conn, tenant, product_id)).count(reason) == 2


async def test_deactivating_a_channel_unpublishes_only_its_listings(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    tmall, own = await channel(container, tenant), await channel(container, tenant, "own_shop")
    first = await product(container, tenant, "CH-1", lifecycle="active")
    second = await product(container, tenant, "CH-2", lifecycle="active")
    for product_id in (first, second):
        for shop in (tmall, own):
            await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))
    changed = await container.use_cases.run(
        ctx(tenant), ChangeChannel(tmall.id, ChannelChanges(active=False), 1)
    )
    assert changed.active is False and changed.version == 2
    for product_id in (first, second):
        by_channel = {
            x.channel_id: x.status
            for x in await container.use_cases.query(ctx(tenant), ListingsOf(product_id))
        }
        assert by_channel == {tmall.id: ListingStatus.UNPUBLISHED, own.id: ListingStatus.PUBLISHED}
        unpublished = [d for e, d in await events(owner_conn, tenant, product_id)
                       if e == "product.unpublished"]  # fmt: skip
        assert unpublished == [f'{{"channelId": "{tmall.id}"}}']
    with pytest.raises(ValidationFailed) as caught:
        await container.use_cases.run(ctx(tenant), PublishListing(first, tmall.id))
    assert [e.code for e in caught.value.errors] == ["channel_inactive"]


async def test_channel_prices_replace_the_list_price_and_stay_complete_while_published(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    shop = await channel(container, tenant)
    product_id = await product(container, tenant, "CP-1", price=None, lifecycle="active")
    sku_id = (
        (await container.use_cases.query(ctx(tenant), GetProduct(product_id))).product.skus[0].id
    )
    listing = await container.use_cases.run(
        ctx(tenant), PublishListing(product_id, shop.id, {sku_id: Decimal("129.9")})
    )
    assert listing.published and str(listing.prices[sku_id].amount) == "129.90"
    # Removing the only price of a published SKU is refused; changing it is fine.
    with pytest.raises(ValidationFailed) as caught:
        await container.use_cases.run(ctx(tenant), SetListingPrices(product_id, shop.id, {}, 1))
    assert [e.code for e in caught.value.errors] == ["sku_has_no_price"]
    changed = await container.use_cases.run(
        ctx(tenant), SetListingPrices(product_id, shop.id, {sku_id: Decimal("119")}, 1)
    )
    assert changed.version == 2 and str(changed.prices[sku_id].amount) == "119.00"
    same = await container.use_cases.run(
        ctx(tenant), SetListingPrices(product_id, shop.id, {sku_id: Decimal("119.00")}, 2)
    )
    assert same.version == 2
    updates = [e for e, d in await events(owner_conn, tenant, product_id)
               if e == "product.updated" and "channelId" in d]  # fmt: skip
    assert len(updates) == 2  # the first prices (with the publication) and the change
    stored = await owner_conn.fetch(
        "SELECT sku_id, amount FROM channel_prices WHERE tenant_id = $1", tenant.id
    )
    assert [(r["sku_id"], str(r["amount"])) for r in stored] == [(sku_id, "119.00")]


async def test_a_published_event_reaches_webhooks_with_the_channel(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    headers = await tenant.headers("owner")
    response = await tenant.client.post(
        "/api/v1/webhooks/endpoints",
        json={"url": "https://hooks.example.com/shop", "eventTypes": ["product.*"]},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    shop = await channel(container, tenant)
    product_id = await product(container, tenant, "WH-1", lifecycle="active")
    await container.use_cases.run(ctx(tenant), PublishListing(product_id, shop.id))
    row = await owner_conn.fetchrow(
        "SELECT id, event_type, entity_type, entity_id, changed_fields, data, occurred_at"
        " FROM outbox WHERE tenant_id = $1 AND event_type = 'product.published'",
        tenant.id,
    )
    event = PublishedEvent(
        row["id"],
        tenant.id,
        row["event_type"],
        row["entity_type"],
        row["entity_id"],
        tuple(row["changed_fields"]),
        row["occurred_at"],
        data=json.loads(row["data"]),
    )
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        deliveries = await container.get(
            WebhookService
        ).record_deliveries_for_event.in_unit_of_work(uow, event)
        await uow.commit()
    assert len(deliveries) == 1
    data = deliveries[0].payload["data"]
    assert deliveries[0].payload["type"] == "product.published"
    assert (data["entityType"], data["entityId"]) == ("product", str(product_id))
    assert data["details"] == {"channelId": str(shop.id)}


async def test_an_archive_racing_a_publication_still_unpublishes_it(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """The publication holds the product row (``ListingRepository.hold``) from before it
    reads it until it commits: the archive's update waits, then sees the new listing."""
    shop = await channel(container, tenant)
    product_id = await product(container, tenant, "RC-1", lifecycle="active")
    async with container.uow_factory.for_tenant(ctx(tenant)) as publishing:
        await publishing.of(CATALOG).listings.hold(product_id, shop.id)
        loaded = await publishing.of(CATALOG).products.get(product_id)
        assert loaded is not None and not loaded.archived
        listing = Listing(product_id, shop.id, version=0)
        listing.publish(loaded, shop, datetime.now(UTC))
        await publishing.of(CATALOG).listings.add(listing)

        archiving = asyncio.create_task(
            container.use_cases.run(ctx(tenant), ArchiveProduct(product_id, 1))
        )
        for _ in range(1000):  # until the archive waits for the publication's lock
            waiting = (
                await owner_conn.fetchval(  # in this test's database only: the server is shared
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE NOT l.granted AND a.datname = current_database()"
                )
            )
            if waiting:
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the archive never waited for the publication")
        await publishing.commit()
    await archiving
    listings = await container.use_cases.query(ctx(tenant), ListingsOf(product_id))
    assert [x.status for x in listings] == [ListingStatus.UNPUBLISHED]
