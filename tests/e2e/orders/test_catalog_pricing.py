"""Orders priced by the catalog over HTTP (ORD-1, ORD-2, CAT-10): ``CatalogPricing``, the
real ``PricingPolicy``, on the real database. The line's unit price is the SKU's channel
price on the order's channel (else its list price); a lower member or promotional price
that the catalog's precedence rule picks is one explained discount line (``member_price``
or ``promotion:<id>``) of the difference × quantity; expired and future promotions, other
channels' promotions and dearer member prices are ignored; a SKU without any price is a
409 with nothing written; a price typed in by hand is kept and needs
``orders:adjust_price``. Totals are Decimal strings exact to the fen."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import (
    BASE,
    RECEIVER,
    available,
    channel,
    order_body,
    receive,
    warehouse,
)

CATALOG = "/api/v1/catalog"
ACTIVE_SINCE = "2020-01-01T00:00:00+08:00"  # open-ended: active whenever the test runs


async def product(
    client: httpx.AsyncClient, owner: dict[str, str], list_price: str | None, stock: int = 20
) -> tuple[str, str]:
    """A product of one SKU (``list_price`` None: no list price) with ``stock`` units in a
    new warehouse: (product id, SKU id)."""
    code = f"P-{uuid.uuid4().hex[:8]}"
    body = {
        "code": code,
        "name": f"商品 {code}",
        "skus": [{"code": f"{code}-A", "listPrice": list_price}],
    }
    made = await client.post(f"{CATALOG}/products", json=body, headers=owner)
    assert made.status_code == 201, made.text
    product_id, sku = str(made.json()["id"]), str(made.json()["skus"][0]["id"])
    await receive(client, owner, sku, await warehouse(client, owner, "杭州仓"), stock)
    return product_id, sku


async def codes(
    client: httpx.AsyncClient, owner: dict[str, str], product_id: str
) -> dict[str, str]:
    """The product's SKU codes by SKU id."""
    found = await client.get(f"{CATALOG}/products/{product_id}", headers=owner)
    assert found.status_code == 200, found.text
    return {str(s["id"]): str(s["code"]) for s in found.json()["skus"]}


async def channel_price(
    client: httpx.AsyncClient,
    owner: dict[str, str],
    product_id: str,
    channel_id: str,
    **prices: str,
) -> None:
    """Publish the product on the channel with these channel prices (SKU id → amount)."""
    published = await client.post(
        f"{CATALOG}/products/{product_id}/publish",
        json={"channelId": channel_id, "prices": prices},
        headers=owner,
    )
    assert published.status_code == 200, published.text


async def tiers(client: httpx.AsyncClient, owner: dict[str, str], *codes: str) -> None:
    body = {"tiers": [{"code": code, "name": f"{code} 会员"} for code in codes]}
    done = await client.put(
        f"{CATALOG}/membership-tiers", json=body, headers={**owner, "If-Match": '"v0"'}
    )
    assert done.status_code == 200, done.text


async def member_price(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str, tier: str, amount: str
) -> str:
    made = await client.post(
        f"{CATALOG}/skus/{sku}/member-prices", json={"tier": tier, "amount": amount}, headers=owner
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def promotion(
    client: httpx.AsyncClient,
    owner: dict[str, str],
    sku: str,
    amount: str,
    starts_at: str = ACTIVE_SINCE,
    ends_at: str | None = None,
    channel_id: str | None = None,
) -> str:
    body = {"amount": amount, "startsAt": starts_at, "endsAt": ends_at, "channelId": channel_id}
    made = await client.post(f"{CATALOG}/skus/{sku}/promotions", json=body, headers=owner)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def place(
    client: httpx.AsyncClient, headers: dict[str, str], *lines: tuple[str, int], **extra: Any
) -> dict[str, Any]:
    placed = await client.post(BASE, json=order_body(*lines, **extra), headers=headers)
    assert placed.status_code == 201, placed.text
    return placed.json()  # type: ignore[no-any-return]


def priced(order: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str]], str]]:
    """Each line's unit price, its discounts (amount, source, reason) and its net."""
    return [
        (
            line["unitPrice"],
            [(d["amount"], d["source"], d["reason"]) for d in line["discounts"]],
            line["net"],
        )
        for line in order["lines"]
    ]


def promoted(promotion_id: str, off: str, price: str, base: str, quantity: int) -> Any:
    """The discount line of a promotion: its amount, source and reason."""
    reason = f"promotional_price {price} instead of {base} × {quantity}"
    return (off, f"promotion:{promotion_id}", reason)


def totals(order: dict[str, Any]) -> tuple[str, str, str]:
    return order["goodsTotal"], order["discountTotal"], order["total"]


async def test_ord1_cat10_the_channel_price_is_the_unit_price_on_its_channel(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    tmall, jd = await channel(client, owner, "tmall"), await channel(client, owner, "jd")
    product_id, sku = await product(client, owner, "100.00")
    # dearer than the list price (a marketplace's commission): it still applies on tmall
    await channel_price(client, owner, product_id, tmall, **{sku: "118.80"})

    on_tmall = await place(client, owner, (sku, 2), channelId=tmall)
    assert on_tmall["channelId"] == tmall
    assert priced(on_tmall) == [("118.80", [], "237.60")]  # no discount line
    assert totals(on_tmall) == ("237.60", "0.00", "237.60")
    # a channel without a channel price, and no channel at all: the list price
    on_jd = await place(client, owner, (sku, 2), channelId=jd)
    assert priced(on_jd) == [("100.00", [], "200.00")]
    own_shop = await place(client, owner, (sku, 3))
    assert priced(own_shop) == [("100.00", [], "300.00")]
    assert totals(own_shop) == ("300.00", "0.00", "300.00")


async def test_ord1_cat10_a_member_price_is_one_explained_discount_line(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    tmall = await channel(client, owner, "tmall")
    product_id, sku = await product(client, owner, "100.00")
    await channel_price(client, owner, product_id, tmall, **{sku: "96.00"})
    await tiers(client, owner, "silver", "gold")
    await member_price(client, owner, sku, "gold", "88.80")
    await member_price(client, owner, sku, "silver", "97.00")  # below list, above tmall's

    gold_on_tmall = await place(
        client, owner, (sku, 3), channelId=tmall, memberTier="gold", shippingFee="8.00"
    )
    # the base price stays the unit price; the member price is the discount of the difference
    assert priced(gold_on_tmall) == [
        ("96.00", [("21.60", "member_price", "member_price 88.80 instead of 96.00 × 3")], "266.40")
    ]
    assert totals(gold_on_tmall) == ("288.00", "21.60", "274.40")  # 266.40 + 8.00 shipping
    assert gold_on_tmall["balanceDue"] == "274.40"
    gold_own_shop = await place(client, owner, (sku, 3), memberTier="gold")
    assert priced(gold_own_shop) == [
        (
            "100.00",
            [("33.60", "member_price", "member_price 88.80 instead of 100.00 × 3")],
            "266.40",
        )
    ]
    assert totals(gold_own_shop) == ("300.00", "33.60", "266.40")
    silver_own_shop = await place(client, owner, (sku, 3), memberTier="silver")
    assert priced(silver_own_shop) == [
        ("100.00", [("9.00", "member_price", "member_price 97.00 instead of 100.00 × 3")], "291.00")
    ]
    # a member never pays more than anyone else: silver's 97.00 loses to tmall's 96.00
    silver_on_tmall = await place(client, owner, (sku, 3), channelId=tmall, memberTier="silver")
    assert priced(silver_on_tmall) == [("96.00", [], "288.00")]
    not_a_member = await place(client, owner, (sku, 3), channelId=tmall)
    assert priced(not_a_member) == [("96.00", [], "288.00")]
    # a tier the tenant does not have is refused, as the catalog's price quote refuses it
    before = len((await client.get(BASE, headers=owner)).json()["items"])
    unknown = await client.post(
        BASE,
        json=order_body((sku, 1), memberTier="platinum"),
        headers={**owner, "Accept-Language": "zh-CN"},
    )
    assert unknown.status_code == 422, unknown.text
    [error] = unknown.json()["errors"]
    assert (error["field"], error["code"]) == ("memberTier", "unknown_membership_tier")
    assert len((await client.get(BASE, headers=owner)).json()["items"]) == before


async def test_ord1_cat10_the_lowest_active_promotion_wins_and_others_are_ignored(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    tmall, jd = await channel(client, owner, "tmall"), await channel(client, owner, "jd")
    await tiers(client, owner, "gold")
    _, sku = await product(client, owner, "100.00")
    await member_price(client, owner, sku, "gold", "90.00")
    sale = await promotion(client, owner, sku, "85.00")  # every channel, open-ended
    # ignored: ended, not yet started, and on another channel
    await promotion(client, owner, sku, "50.00", ACTIVE_SINCE, "2020-02-01T00:00:00+08:00")
    await promotion(client, owner, sku, "40.00", "2099-01-01T00:00:00+08:00")
    jd_only = await promotion(client, owner, sku, "60.00", channel_id=jd)
    # a second SKU whose member price is lower than its promotion: the member price wins
    _, other = await product(client, owner, "100.00")
    await member_price(client, owner, other, "gold", "70.00")
    other_sale = await promotion(client, owner, other, "85.00")

    gold = await place(client, owner, (sku, 2), (other, 2), channelId=tmall, memberTier="gold")
    assert priced(gold) == [
        (
            "100.00",
            [promoted(sale, "30.00", "85.00", "100.00", 2)],
            "170.00",
        ),  # one line: the promotion replaces the member price, they never stack
        (
            "100.00",
            [("60.00", "member_price", "member_price 70.00 instead of 100.00 × 2")],
            "140.00",
        ),
    ]
    assert totals(gold) == ("400.00", "90.00", "310.00")
    # vs the list price, not a member
    plain = await place(client, owner, (sku, 1), (other, 1), channelId=tmall)
    assert priced(plain) == [
        ("100.00", [promoted(sale, "15.00", "85.00", "100.00", 1)], "85.00"),
        ("100.00", [promoted(other_sale, "15.00", "85.00", "100.00", 1)], "85.00"),
    ]
    # the channel's own promotion applies on its channel only
    on_jd = await place(client, owner, (sku, 1), channelId=jd, memberTier="gold")
    assert priced(on_jd) == [
        ("100.00", [promoted(jd_only, "40.00", "60.00", "100.00", 1)], "60.00"),
    ]
    # what the order charged is what the catalog's price query quotes
    quote = await client.get(
        f"{CATALOG}/skus/{sku}/price", params={"channel": jd, "tier": "gold"}, headers=owner
    )
    assert quote.status_code == 200, quote.text
    assert (quote.json()["amount"], quote.json()["ruleId"]) == ("60.00", jd_only)


async def test_ord1_cat10_a_sku_without_any_price_refuses_the_order_writing_nothing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    tmall = await channel(client, owner, "tmall")
    _, priced_sku = await product(client, owner, "10.00", stock=5)
    unpriced_product, unpriced = await product(client, owner, None, stock=5)
    sku_codes = await codes(client, owner, unpriced_product)

    refused = await client.post(
        BASE,
        json=order_body((priced_sku, 1), (unpriced, 2)),
        headers={**owner, "Accept-Language": "en"},
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "sku_has_no_price"
    # named by its code, as the merchant knows it (the message's {sku}), not by its id
    assert problem["title"] == f"SKU {sku_codes[unpriced]} has no price on this channel."
    # nothing written: no order, neither SKU's stock reserved
    assert (await client.get(BASE, headers=owner)).json()["items"] == []
    assert await available(client, owner, priced_sku) == 5
    assert await available(client, owner, unpriced) == 5

    # a channel price is a base price of its own: on that channel the SKU can be sold
    await channel_price(client, owner, unpriced_product, tmall, **{unpriced: "66.00"})
    on_tmall = await place(client, owner, (unpriced, 2), channelId=tmall)
    assert priced(on_tmall) == [("66.00", [], "132.00")]
    assert await available(client, owner, unpriced) == 3
    elsewhere = await client.post(BASE, json=order_body((unpriced, 1)), headers=owner)
    assert elsewhere.status_code == 409 and elsewhere.json()["code"] == "sku_has_no_price"
    assert [o["id"] for o in (await client.get(BASE, headers=owner)).json()["items"]] == [
        on_tmall["id"]
    ]
    assert await available(client, owner, unpriced) == 3


async def test_ord2_a_price_typed_in_by_hand_is_kept_and_needs_orders_adjust_price(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, service = await tenant.headers("owner"), await tenant.headers("customer_service")
    await tiers(client, owner, "gold")
    _, sku = await product(client, owner, "100.00", stock=10)
    await member_price(client, owner, sku, "gold", "90.00")
    sale = await promotion(client, owner, sku, "85.00")
    manual = {
        "lines": [
            {"skuId": sku, "quantity": 2, "unitPrice": "77.70"},
            {"skuId": sku, "quantity": 1},  # priced by the catalog
        ],
        "receiver": RECEIVER,
        "source": "staff",
        "memberTier": "gold",
    }

    # customer service may write orders but not set prices by hand (orders:write only)
    denied = await client.post(BASE, json=manual, headers=service)
    assert denied.status_code == 403, denied.text
    assert denied.json()["code"] == "permission_denied"
    assert (await client.get(BASE, headers=owner)).json()["items"] == []
    assert await available(client, owner, sku) == 10
    # the same order priced by the catalog is theirs to place
    catalog_priced = {**manual, "lines": [{"skuId": sku, "quantity": 2}]}
    allowed = await client.post(BASE, json=catalog_priced, headers=service)
    assert allowed.status_code == 201, allowed.text
    assert priced(allowed.json()) == [
        ("100.00", [promoted(sale, "30.00", "85.00", "100.00", 2)], "170.00"),
    ]

    # the owner holds orders:adjust_price: the typed price is the unit price, no catalog
    # discount on that line, the other line still priced by the catalog
    kept = await client.post(BASE, json=manual, headers=owner)
    assert kept.status_code == 201, kept.text
    assert kept.json()["source"] == "staff"
    assert priced(kept.json()) == [
        ("77.70", [], "155.40"),
        ("100.00", [promoted(sale, "15.00", "85.00", "100.00", 1)], "85.00"),
    ]
    assert totals(kept.json()) == ("255.40", "15.00", "240.40")
    assert await available(client, owner, sku) == 5
