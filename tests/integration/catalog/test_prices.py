"""The price query on the real Postgres, as shopkeeper_app (CAT-10): each rule of the
precedence rule, promotion windows typed in the tenant's time zone (inclusive start,
exclusive end), channel-scoped and all-channel promotions, member prices per tier, the
tenant's tiers (a tier in use cannot go), and what the request role's plans use."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import text

from application.catalog.channels import CreateChannel
from application.catalog.listings import PublishListing
from application.catalog.member_prices import (
    CreateMemberPrice,
    DeleteMemberPrice,
)
from application.catalog.membership_tiers import ReplaceTiers
from application.catalog.price_quotes import QuotePrice
from application.catalog.products import (
    CreateProduct,
    ListProducts,
    ProductData,
    SkuData,
)
from application.catalog.promotions import CreatePromotion, PromotionData
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from tests.conftest import TenantFactory, TenantHandle
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


async def priced_sku(
    c: Container, tenant: TenantHandle, list_price: str | None = "100"
) -> uuid.UUID:
    data = ProductData(
        name="耳机", lifecycle="active", skus=[SkuData("PQ-1-A", list_price=_amount(list_price))]
    )
    view = await c.use_cases.run(ctx(tenant), CreateProduct("PQ-1", data))
    return view.product.skus[0].id


async def quote(
    c: Container,
    tenant: TenantHandle,
    sku_id: uuid.UUID,
    channel: uuid.UUID | None = None,
    tier: str | None = None,
    at: datetime | None = None,
) -> tuple[str, str, uuid.UUID]:
    view = await c.use_cases.query(ctx(tenant), QuotePrice(sku_id, channel, tier, at))
    return str(view.quote.amount.amount), str(view.quote.rule), view.quote.rule_id


async def test_each_rule_of_the_precedence_rule(container: Container, tenant: TenantHandle) -> None:
    c, t = container, tenant
    sku_id = await priced_sku(c, t)
    tmall = await c.use_cases.run(ctx(t), CreateChannel("tmall", "天猫", "marketplace", "tmall"))
    own = await c.use_cases.run(ctx(t), CreateChannel("own_shop", "官网", "own_shop", None))
    await c.use_cases.run(ctx(t), ReplaceTiers([("silver", "银卡"), ("gold", "金卡")], 0))
    assert await quote(c, t, sku_id) == ("100.00", "list_price", sku_id)
    pid = (await c.use_cases.query(ctx(t), ListProducts.window(None, None))).items[0].product.id
    await c.use_cases.run(ctx(t), PublishListing(pid, tmall.id, {sku_id: Decimal("120")}))
    # A channel price replaces the list price on its channel, up or down.
    assert await quote(c, t, sku_id, tmall.id) == ("120.00", "channel_price", tmall.id)
    assert await quote(c, t, sku_id, own.id) == ("100.00", "list_price", sku_id)

    gold = await c.use_cases.run(ctx(t), CreateMemberPrice(sku_id, "gold", Decimal("95")))
    assert await quote(c, t, sku_id, tmall.id, "gold") == ("95.00", "member_price", gold.id)
    assert await quote(c, t, sku_id, tmall.id, "silver") == ("120.00", "channel_price", tmall.id)
    with pytest.raises(ValidationFailed) as unknown:
        await quote(c, t, sku_id, tmall.id, "platinum")
    assert unknown.value.errors[0].code == "unknown_membership_tier"

    start = datetime(2026, 11, 11, 0, 0)  # wall-clock, Asia/Shanghai (+08:00)
    everywhere = await c.use_cases.run(
        ctx(t),
        CreatePromotion(sku_id, PromotionData(Decimal("95"), start, start + timedelta(days=1))),
    )
    on_tmall = await c.use_cases.run(
        ctx(t), CreatePromotion(sku_id, PromotionData(Decimal("90"), start, None, tmall.id))
    )
    opening = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)  # 2026-11-11 00:00 in Shanghai
    assert everywhere.stored.promotion.starts_at == opening
    assert await quote(c, t, sku_id, own.id, None, opening - timedelta(seconds=1)) == (
        "100.00", "list_price", sku_id,
    )  # fmt: skip
    # A tie between a promotion and a member price names the promotion.
    assert await quote(c, t, sku_id, own.id, "gold", opening) == (
        "95.00", "promotional_price", everywhere.stored.id,
    )  # fmt: skip
    assert await quote(c, t, sku_id, tmall.id, "gold", opening) == (
        "90.00", "promotional_price", on_tmall.stored.id,
    )  # fmt: skip
    closing = opening + timedelta(days=1)  # exclusive end
    assert await quote(c, t, sku_id, own.id, None, closing - timedelta(microseconds=1)) == (
        "95.00", "promotional_price", everywhere.stored.id,
    )  # fmt: skip
    assert await quote(c, t, sku_id, own.id, None, closing) == ("100.00", "list_price", sku_id)
    # "at" given as a wall-clock time is read in the tenant's zone too.
    assert await quote(c, t, sku_id, own.id, None, datetime(2026, 11, 11, 23, 59)) == (
        "95.00", "promotional_price", everywhere.stored.id,
    )  # fmt: skip


async def test_windows_use_the_tenants_own_time_zone(
    container: Container, new_tenant: TenantFactory, owner_conn: asyncpg.Connection
) -> None:
    tenant = await new_tenant()
    await owner_conn.execute(
        "UPDATE tenants SET time_zone = 'America/New_York' WHERE id = $1", tenant.id
    )
    sku_id = await priced_sku(container, tenant)
    # 2026-03-08 02:30 does not exist in New York (clocks go 02:00 → 03:00): it is read
    # with the offset before the change (-05:00), i.e. 07:30 UTC.
    view = await container.use_cases.run(
        ctx(tenant),
        CreatePromotion(sku_id, PromotionData(Decimal("80"), datetime(2026, 3, 8, 2, 30))),
    )
    assert view.stored.promotion.starts_at.astimezone(UTC) == datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )
    before = datetime(2026, 3, 8, 7, 29, tzinfo=UTC)
    assert (await quote(container, tenant, sku_id, at=before))[1] == "list_price"
    assert (await quote(container, tenant, sku_id, at=before + timedelta(minutes=1)))[1] == (
        "promotional_price"
    )


async def test_no_price_at_all_and_tiers_in_use(container: Container, tenant: TenantHandle) -> None:
    sku_id = await priced_sku(container, tenant, list_price=None)
    with pytest.raises(Conflict) as caught:
        await quote(container, tenant, sku_id)
    assert caught.value.code == "sku_has_no_price"

    settings = await container.use_cases.run(ctx(tenant), ReplaceTiers([("gold", "金卡")], 0))
    assert settings.version == 1
    with pytest.raises(StaleVersion):
        await container.use_cases.run(ctx(tenant), ReplaceTiers([], 0))
    price = await container.use_cases.run(
        ctx(tenant), CreateMemberPrice(sku_id, "gold", Decimal("50"))
    )
    with pytest.raises(Conflict) as taken:
        await container.use_cases.run(ctx(tenant), CreateMemberPrice(sku_id, "gold", Decimal("40")))
    assert taken.value.code == "member_price_taken"
    with pytest.raises(Conflict) as in_use:
        await container.use_cases.run(ctx(tenant), ReplaceTiers([], 1))
    assert in_use.value.code == "membership_tier_in_use"
    await container.use_cases.run(ctx(tenant), DeleteMemberPrice(price.id, 1))
    emptied = await container.use_cases.run(ctx(tenant), ReplaceTiers([], 1))
    assert emptied.tiers == () and emptied.version == 2


PLANS = {  # query → the index and the condition it must serve
    "promotions": (
        "SELECT id FROM promotions WHERE tenant_id = :t AND sku_id = :s AND starts_at <= now()"
        " AND (ends_at IS NULL OR ends_at > now())",
        "promotions_sku",
        "starts_at <= now()",
    ),
    "channel_listings": (
        "SELECT product_id FROM channel_listings WHERE tenant_id = :t AND channel_id = :s"
        " AND status = 'published'",
        "channel_listings_channel",
        "status = 'published'",
    ),
}


@pytest.mark.parametrize("name", sorted(PLANS))
async def test_the_request_roles_plans_use_the_indexes(
    container: Container, tenant: TenantHandle, name: str
) -> None:
    """Under forced RLS only leakproof operators reach an index (docs/architecture.md): uuid
    and text equality and timestamptz comparisons are. Sequential scans are disabled so
    the plan shows whether the index *can* serve the whole condition as the request role."""
    sql, index, condition = PLANS[name]
    async with container.uow_factory.for_tenant(ctx(tenant)) as uow:
        conn = uow.connection  # type: ignore[attr-defined]
        await conn.execute(text("SET LOCAL enable_seqscan = off"))
        rows = await conn.execute(text("EXPLAIN " + sql), {"t": tenant.id, "s": uuid.uuid4()})
        plan = "\n".join(r[0] for r in rows)
    assert f"Index Scan using {index}" in plan, plan
    cond = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert condition in cond and "tenant_id =" in cond, plan
