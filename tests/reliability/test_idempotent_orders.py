"""R2 idempotency (ORD-1, PLT-3): every order is sent three times with one Idempotency-Key,
two at once and one after → one order per key, and every replay is the first answer byte
for byte. The second of the two at once may instead meet the first still in its
transaction: 409 ``idempotency_in_flight`` (a refusal to retry, not a second order).

Orders: 1,000 at full scale, 40 in ``make test`` (tests/reliability/figures.py)."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, all_orders, available, order_body, stocked_sku
from tests.reliability.figures import figure, scaled

ORDERS = scaled(1000, 40)
AT_ONCE = 16  # keys in flight together (each with its two simultaneous requests)


def replayed(response: httpx.Response) -> bool:
    return response.headers.get("idempotent-replayed") == "true"


async def test_every_order_sent_three_times_is_one_order_and_replays_are_identical(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, ORDERS + 10, "19.90")
    body = order_body((sku, 1))
    gate = asyncio.Semaphore(AT_ONCE)

    async def send_three() -> list[httpx.Response]:
        headers = {**owner, "Idempotency-Key": uuid.uuid4().hex}
        async with gate:
            pair = await asyncio.gather(
                client.post(BASE, json=body, headers=headers),
                client.post(BASE, json=body, headers=headers),
            )
            return [*pair, await client.post(BASE, json=body, headers=headers)]

    sent = await asyncio.gather(*(send_three() for _ in range(ORDERS)))
    statuses = [r.status_code for three in sent for r in three]
    in_flight = sum(
        r.status_code == 409 and r.json()["code"] == "idempotency_in_flight"
        for three in sent
        for r in three
    )
    originals = [[r for r in three if r.status_code == 201 and not replayed(r)] for three in sent]
    replays = [
        (original[0], r)
        for original, three in zip(originals, sent, strict=True)
        for r in three
        if r.status_code == 201 and replayed(r)
    ]
    identical = [original.content == r.content for original, r in replays]
    orders = await all_orders(client, owner)
    figure("R2", "keys", ORDERS)
    figure("R2", "orders", len(orders), ORDERS)
    figure("R2", "keys answered as new twice", sum(len(o) != 1 for o in originals), 0)
    figure("R2", "replays", len(identical))
    figure("R2", "replays not identical", identical.count(False), 0)
    figure("R2", "in-flight 409", in_flight)
    figure("R2", "other answers", len(statuses) - statuses.count(201) - in_flight, 0)
    figure(
        "R2",
        "units reserved beyond one per key",
        ORDERS + 10 - await available(client, owner, sku) - ORDERS,
        0,
    )
    assert len(orders) == ORDERS
    assert len({o["id"] for o in orders}) == ORDERS
    assert all(len(o) == 1 for o in originals)
    assert all(identical), identical.count(False)
    assert statuses.count(201) + in_flight == len(statuses), sorted(set(statuses))
