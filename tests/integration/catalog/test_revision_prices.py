"""A revision or restore of a published product keeps a price for every active SKU on
each channel it is published on (CAT-7, CAT-10): removing a list price, or adding a SKU
without one, is refused naming the SKU and the channel, and writes nothing; revisions
that keep prices — or whose channel price covers the SKU — go through; and a revision
racing a publication still sees it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest

from application.catalog.channels import CreateChannel
from application.catalog.listings import (
    ListingsOf,
    PublishListing,
    SetListingPrices,
    UnpublishListing,
)
from application.catalog.ports.store import CATALOG
from application.catalog.product_types import AttributeInput, CreateProductType
from application.catalog.products import (
    CreateProduct,
    GetProduct,
    ListVersions,
    ProductData,
    RestoreProduct,
    ReviseProduct,
    SkuData,
)
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.catalog.channel import Listing
from domain.catalog.product import Sku
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


def _data(type_id: uuid.UUID, skus: list[SkuData], name: str = "纯棉T恤") -> ProductData:
    return ProductData(name=name, product_type_id=type_id, skus=skus)


def _same(sku: Sku, **changes: object) -> SkuData:
    values: dict[str, object] = {
        "code": sku.code,
        "id": sku.id,
        "list_price": sku.list_price.amount if sku.list_price else None,
        "axis_values": dict(sku.axis_values),
    }
    values.update(changes)
    return SkuData(**values)  # type: ignore[arg-type]


async def test_revisions_may_not_leave_a_published_sku_unpriced(
    container: Container, tenant: TenantHandle
) -> None:
    c, t = container, tenant
    sizes = AttributeInput("size", "尺码", "enum", variant_axis=True, allowed_values=("M", "L"))
    tee_type = await c.use_cases.run(ctx(t), CreateProductType("T恤", [sizes]))
    created = await c.use_cases.run(
        ctx(t),
        CreateProduct(
            "TEE",
            _data(
                tee_type.id, [SkuData("TEE-M", list_price=Decimal("59"), axis_values={"size": "M"})]
            ),
        ),
    )
    product_id, medium = created.product.id, created.product.skus[0]
    tmall = await c.use_cases.run(
        ctx(t), CreateChannel("tmall", "天猫旗舰店", "marketplace", "tmall")
    )
    own = await c.use_cases.run(ctx(t), CreateChannel("own", "官网", "own_shop", None))
    await c.use_cases.run(ctx(t), PublishListing(product_id, tmall.id))
    await c.use_cases.run(ctx(t), PublishListing(product_id, own.id, {medium.id: Decimal("55")}))
    current = await c.use_cases.query(ctx(t), GetProduct(product_id))
    version, versions = (
        current.product.version,
        len((await c.use_cases.query(ctx(t), ListVersions.window(product_id, None, 100))).items),
    )

    async def listing_version(channel_id: uuid.UUID) -> int:
        listings = await c.use_cases.query(ctx(t), ListingsOf(product_id))
        return next(li.version for li in listings if li.channel_id == channel_id)

    async def refused(data: ProductData) -> list[tuple[str, str, dict[str, object]]]:
        with pytest.raises(ValidationFailed) as failed:
            await c.use_cases.run(ctx(t), ReviseProduct(product_id, data, version))
        after = await c.use_cases.query(ctx(t), GetProduct(product_id))
        assert after.product.version == version  # nothing written
        assert len(
            (await c.use_cases.query(ctx(t), ListVersions.window(product_id, None, 100))).items
        ) == (versions)
        return [(e.field, e.code, e.params) for e in failed.value.errors]

    # The list price removed: Tmall has no channel price for TEE-M (官网 has one).
    assert await refused(_data(tee_type.id, [_same(medium, list_price=None)])) == [
        ("skus[TEE-M]", "sku_unpriced_on_channel", {"sku": "TEE-M", "channel": "天猫旗舰店"})
    ]
    # A new SKU without a list price: neither channel prices it.
    large = SkuData("TEE-L", axis_values={"size": "L"})
    errors = await refused(_data(tee_type.id, [_same(medium), large]))
    assert sorted((e[0], e[2]["channel"]) for e in errors) == [
        ("skus[TEE-L]", "天猫旗舰店"),
        ("skus[TEE-L]", "官网"),
    ]

    # Every SKU archived: the listings would sell nothing.
    emptied = await refused(_data(tee_type.id, [_same(medium, archived=True)]))
    assert sorted((f, code, p["channel"]) for f, code, p in emptied) == [
        ("skus", "published_product_has_no_skus", "天猫旗舰店"),
        ("skus", "published_product_has_no_skus", "官网"),
    ]

    # Prices kept (a new name, a new priced SKU): fine; then a SKU priced on Tmall by its
    # channel price may drop its list price while 官网 prices it too.
    revised = await c.use_cases.run(
        ctx(t),
        ReviseProduct(
            product_id,
            _data(
                tee_type.id,
                [
                    _same(medium),
                    SkuData("TEE-L", list_price=Decimal("69"), axis_values={"size": "L"}),
                ],
                name="纯棉T恤 新款",
            ),
            version,
        ),
    )
    assert revised.product.version == version + 1
    await c.use_cases.run(
        ctx(t),
        SetListingPrices(
            product_id, tmall.id, {medium.id: Decimal("58")}, await listing_version(tmall.id)
        ),
    )
    skus = revised.product.skus
    dropped = await c.use_cases.run(
        ctx(t),
        ReviseProduct(
            product_id,
            _data(tee_type.id, [_same(skus[0], list_price=None), _same(skus[1])], "纯棉T恤 新款"),
            revised.product.version,
        ),
    )
    assert dropped.product.skus[0].list_price is None
    # Archiving the unpriced SKU is fine too: only active SKUs need a price.
    await c.use_cases.run(ctx(t), UnpublishListing(product_id, own.id))
    archived = await c.use_cases.run(
        ctx(t),
        ReviseProduct(
            product_id,
            _data(tee_type.id, [_same(skus[0], list_price=None, archived=True), _same(skus[1])]),
            dropped.product.version,
        ),
    )
    assert archived.product.skus[0].archived

    # Restoring version 1 (TEE-M with its list price 59, TEE-L archived) is fine; restoring
    # the version where TEE-M had no list price, while Tmall's channel price is gone, is not.
    await c.use_cases.run(
        ctx(t), SetListingPrices(product_id, tmall.id, {}, await listing_version(tmall.id))
    )
    with pytest.raises(ValidationFailed) as failed:
        await c.use_cases.run(
            ctx(t), RestoreProduct(product_id, dropped.product.version, archived.product.version)
        )
    assert [(e.field, e.code) for e in failed.value.errors] == [
        ("skus[TEE-M]", "sku_unpriced_on_channel")
    ]
    restored = await c.use_cases.run(
        ctx(t), RestoreProduct(product_id, 1, archived.product.version)
    )
    assert restored.product.version == archived.product.version + 1


async def test_an_unpublished_listing_does_not_hold_revisions_back(
    container: Container, tenant: TenantHandle
) -> None:
    c, t = container, tenant
    data = ProductData(name="蓝牙耳机", skus=[SkuData("EAR-1", list_price=Decimal("99"))])
    created = await c.use_cases.run(ctx(t), CreateProduct("EAR", data))
    tmall = await c.use_cases.run(ctx(t), CreateChannel("tmall", "天猫", "marketplace", "tmall"))
    await c.use_cases.run(ctx(t), PublishListing(created.product.id, tmall.id))
    await c.use_cases.run(ctx(t), UnpublishListing(created.product.id, tmall.id))
    view = await c.use_cases.query(ctx(t), GetProduct(created.product.id))
    sku = view.product.skus[0]
    revised = await c.use_cases.run(
        ctx(t),
        ReviseProduct(
            created.product.id,
            ProductData(name="蓝牙耳机", skus=[SkuData("EAR-1", id=sku.id)]),
            view.product.version,
        ),
    )
    assert revised.product.skus[0].list_price is None


async def test_a_revision_racing_a_publication_sees_the_new_listing(
    container: Container, tenant: TenantHandle, database: TestDatabase
) -> None:
    """The publication holds the product row from before it reads it until it commits;
    the revision's update waits for it, and the check after the update then reads the new
    listing: the list price may not go."""
    c, t = container, tenant
    shop = await c.use_cases.run(
        ctx(t), CreateChannel("tmall", "天猫旗舰店", "marketplace", "tmall")
    )
    data = ProductData(
        name="蓝牙耳机", lifecycle="active", skus=[SkuData("RC-A", list_price=Decimal("9"))]
    )
    created = (await c.use_cases.run(ctx(t), CreateProduct("RC", data))).product
    unpriced = ProductData(name="蓝牙耳机", skus=[SkuData("RC-A", id=created.skus[0].id)])
    owner = await asyncpg.connect(database.owner_url)
    try:
        async with c.uow_factory.for_tenant(ctx(t)) as publishing:
            await publishing.of(CATALOG).listings.hold(created.id, shop.id)
            loaded = await publishing.of(CATALOG).products.get(created.id)
            assert loaded is not None
            listing = Listing(created.id, shop.id, version=0)
            listing.publish(loaded, shop, datetime.now(UTC))
            await publishing.of(CATALOG).listings.add(listing)

            revising = asyncio.create_task(
                c.use_cases.run(ctx(t), ReviseProduct(created.id, unpriced, 1))
            )
            for _ in range(1000):  # until the revision waits for the publication's lock
                waiting = await owner.fetchval(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE NOT l.granted AND a.datname = current_database()"
                )
                if waiting:
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the revision never waited for the publication")
            await publishing.commit()
    finally:
        await owner.close()
    with pytest.raises(ValidationFailed) as failed:
        await revising
    assert failed.value.errors[0].code == "sku_unpriced_on_channel"
    after = (await c.use_cases.query(ctx(t), GetProduct(created.id))).product
    assert after.version == 1 and after.skus[0].list_price is not None
