"""Split (拆单) and rejoin over HTTP on the real database (ORD-4): the parts conserve
quantities, money to the fen, payments and platform ids; the stock follows them in the
same transaction; rejoining gives the original back and the parts are cancelled."""

from __future__ import annotations

from decimal import Decimal

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, available, channel, stocked_sku


async def test_ord4_split_by_lines_then_rejoin_conserves_everything(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shop = await channel(client, owner)
    a = await stocked_sku(client, owner, 10)
    b = await stocked_sku(client, owner, 10)
    body = {
        "lines": [
            {
                "skuId": a,
                "quantity": 3,
                "unitPrice": "33.33",
                "platformOrderId": "TB9",
                "platformSubOrderId": "TB9-1",
                "discounts": [{"amount": "10.00", "source": "platform", "reason": "店铺券"}],
            },
            {
                "skuId": b,
                "quantity": 2,
                "unitPrice": "10.01",
                "platformOrderId": "TB9",
                "platformSubOrderId": "TB9-2",
            },
        ],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": ["TB9"],
        "shippingFee": "7.00",
        "payments": [{"method": "platform", "amount": "117.01", "transactionId": "PAY-9"}],
    }
    placed = await client.post(BASE, json=body, headers=owner)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "awaiting_review" and order["total"] == "117.01"
    url = f"{BASE}/{order['id']}"
    second_line = order["lines"][1]["id"]
    split = await client.post(
        f"{url}/split",
        json={"by": "lines", "lineIds": [second_line], "reason": "分仓发货"},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert split.status_code == 200, split.text
    parts = split.json()
    assert [p["number"] for p in parts] == [f"{order['number']}-1", f"{order['number']}-2"]
    assert sum(Decimal(p["total"]) for p in parts) == Decimal("117.01")
    assert sum(Decimal(p["paidAmount"]) for p in parts) == Decimal("117.01")
    assert {p["payments"][0]["transactionId"] for p in parts} == {"PAY-9"}
    assert all(p["platformOrderIds"] == ["TB9"] for p in parts)
    subs = sorted(line["platformSubOrderId"] for p in parts for line in p["lines"])
    assert subs == ["TB9-1", "TB9-2"]
    held = sorted(sorted(p["reserved"].items()) for p in parts)
    assert held == sorted([[(a, 3)], [(b, 2)]])  # each part holds its own line's stock
    assert await available(client, owner, a) == 7 and await available(client, owner, b) == 8
    original = (await client.get(url, headers=owner)).json()
    assert original["reserved"] == {}  # the parts hold the stock now
    stored_part = (await client.get(f"{BASE}/{parts[0]['id']}", headers=owner)).json()
    assert stored_part["total"] == parts[0]["total"] and stored_part["source"] == "marketplace"
    timeline = (await client.get(f"{BASE}/{parts[1]['id']}/timeline", headers=owner)).json()
    assert timeline[0]["kind"] == "created" and timeline[-1]["kind"] == "split_from"

    back = await client.post(
        f"{url}/rejoin",
        json={"reason": "合并发货"},
        headers={**owner, "If-Match": f'"v{original["version"]}"'},
    )
    assert back.status_code == 200, back.text
    whole = back.json()
    assert whole["id"] == order["id"] and whole["total"] == "117.01"
    assert whole["status"] == "awaiting_review" and whole["reserved"] == {a: 3, b: 2}
    assert [line["quantity"] for line in whole["lines"]] == [3, 2]
    assert whole["payments"][0]["amount"] == "117.01"
    for part in parts:
        gone = (await client.get(f"{BASE}/{part['id']}", headers=owner)).json()
        assert gone["status"] == "cancelled" and gone["reserved"] == {}
    assert await available(client, owner, a) == 7 and await available(client, owner, b) == 8
    # the platform order id still answers the order it came in as
    again = await client.post(BASE, json=body, headers=owner)
    assert again.status_code == 201 and again.json()["id"] == order["id"]


async def test_ord4_a_held_order_is_not_split(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    a = await stocked_sku(client, owner, 5, "10.00")
    b = await stocked_sku(client, owner, 5, "10.00")
    body = {
        "lines": [{"skuId": a, "quantity": 1}, {"skuId": b, "quantity": 1}],
        "receiver": RECEIVER,
    }
    placed = await client.post(BASE, json=body, headers=owner)
    url = f"{BASE}/{placed.json()['id']}"
    held = await client.post(
        f"{url}/hold",
        json={"reason": "核实地址"},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    refused = await client.post(
        f"{url}/split",
        json={"by": "lines", "lineIds": [placed.json()["lines"][0]["id"]], "reason": "拆"},
        headers={**owner, "If-Match": held.headers["etag"], "Accept-Language": "en"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "order_split_refused"
    assert await available(client, owner, a) == 4


async def test_ord4_a_split_after_a_rejoin_or_of_a_part_numbers_its_parts_on(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """The cancelled parts of a rejoined split keep their numbers, and a part split again
    shares its order's base: new parts are numbered after the highest taken (was a 500)."""
    owner = await tenant.headers("owner")
    skus = [await stocked_sku(client, owner, 5, "10.00") for _ in range(3)]
    body = {"lines": [{"skuId": s, "quantity": 1} for s in skus], "receiver": RECEIVER}
    placed = await client.post(BASE, json=body, headers=owner)
    assert placed.status_code == 201, placed.text
    order, url = placed.json(), f"{BASE}/{placed.json()['id']}"
    lines = [line["id"] for line in order["lines"]]

    async def split(at: str, line_ids: list[str], etag: str) -> list[dict[str, object]]:
        answer = await client.post(
            f"{at}/split",
            json={"by": "lines", "lineIds": line_ids, "reason": "拆"},
            headers={**owner, "If-Match": etag},
        )
        assert answer.status_code == 200, answer.text
        parts: list[dict[str, object]] = answer.json()
        return parts

    first = await split(url, [lines[2]], placed.headers["etag"])
    assert [p["number"] for p in first] == [f"{order['number']}-1", f"{order['number']}-2"]
    original = (await client.get(url, headers=owner)).json()
    back = await client.post(
        f"{url}/rejoin",
        json={"reason": "合并"},
        headers={**owner, "If-Match": f'"v{original["version"]}"'},
    )
    assert back.status_code == 200, back.text
    again = await split(url, [lines[2]], back.headers["etag"])
    assert [p["number"] for p in again] == [f"{order['number']}-3", f"{order['number']}-4"]
    wider = next(p for p in again if len(p["lines"]) == 2)  # type: ignore[arg-type]
    part = (await client.get(f"{BASE}/{wider['id']}", headers=owner)).json()
    part_lines = [line["id"] for line in part["lines"]]
    assert len(part_lines) == 2
    of_part = await split(f"{BASE}/{part['id']}", [part_lines[1]], f'"v{part["version"]}"')
    assert [p["number"] for p in of_part] == [f"{order['number']}-5", f"{order['number']}-6"]
