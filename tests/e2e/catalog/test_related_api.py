"""Related products over HTTP (CAT-9): replace a kind's ordered list, the domain's checks,
unknown and other-tenant ids, archived products hidden but kept, audit and events."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from application.catalog.ports.store import CATALOG
from domain.catalog.related import MAX_LINKS_PER_KIND, RelationKind
from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantFactory, TenantHandle
from tests.support.built_app import routes_app

PRODUCTS = "/api/v1/catalog/products"


async def _product(tenant: TenantHandle, client: httpx.AsyncClient, code: str) -> str:
    body = {"code": code, "name": f"商品 {code}", "skus": [{"code": f"{code}-A"}]}
    response = await client.post(PRODUCTS, json=body, headers=await tenant.headers("owner"))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_lists_are_replaced_per_kind_in_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    phone, case, pro, cable = [await _product(tenant, client, c) for c in ("P", "C", "PRO", "K")]
    url = f"{PRODUCTS}/{phone}/related"
    empty = await client.get(url, headers=owner)
    assert empty.json() == {"productId": phone, "crossSell": [], "upSell": []}

    cross = await client.put(f"{url}/cross_sell", json={"productIds": [cable, case]}, headers=owner)
    assert cross.status_code == 200, cross.text
    up = await client.put(f"{url}/up_sell", json={"productIds": [pro, case]}, headers=owner)
    assert up.status_code == 200, up.text
    shown = (await client.get(url, headers=owner)).json()
    assert [i["id"] for i in shown["crossSell"]] == [cable, case]
    assert [(i["id"], i["code"]) for i in shown["upSell"]] == [(pro, "PRO"), (case, "C")]
    # Directed: the case does not link back.
    back = (await client.get(f"{PRODUCTS}/{case}/related", headers=owner)).json()
    assert back["crossSell"] == [] and back["upSell"] == []

    reordered = await client.put(
        f"{url}/cross_sell", json={"productIds": [case, cable]}, headers=owner
    )
    assert [i["id"] for i in reordered.json()["crossSell"]] == [case, cable]
    assert [i["id"] for i in reordered.json()["upSell"]] == [pro, case]  # the other kind stays

    audit = (await client.get("/api/v1/audit", headers=owner)).json()["items"]
    updates = [row for row in audit if row["action"] == "product.related_update"]
    assert len(updates) == 3
    # The same list again changes nothing and records nothing.
    await client.put(f"{url}/cross_sell", json={"productIds": [case, cable]}, headers=owner)
    audit = (await client.get("/api/v1/audit", headers=owner)).json()["items"]
    assert len([row for row in audit if row["action"] == "product.related_update"]) == 3
    async with tenant.container.uow_factory.for_tenant(tenant.admin_context) as uow:
        events = await uow.connection.execute(  # type: ignore[attr-defined]
            text(
                "SELECT count(*) FROM outbox WHERE event_type = 'product.related_updated'"
                " AND entity_id = :id"
            ),
            {"id": phone},
        )
        assert events.scalar_one() == 3

    cleared = await client.put(f"{url}/cross_sell", json={"productIds": []}, headers=owner)
    assert cleared.json()["crossSell"] == []


async def test_the_domains_rules_and_the_tenants_products_are_checked(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    headers = {**(await a.headers("owner")), "Accept-Language": "en"}
    phone, case = await _product(a, client, "P"), await _product(a, client, "C")
    foreign = await _product(b, client, "B")
    url = f"{PRODUCTS}/{phone}/related"

    itself = await client.put(f"{url}/cross_sell", json={"productIds": [phone]}, headers=headers)
    assert itself.status_code == 422 and itself.json()["code"] == "related_to_itself"
    twice = await client.put(
        f"{url}/cross_sell", json={"productIds": [case, case]}, headers=headers
    )
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate"
    many = [await _product(a, client, f"M{i}") for i in range(MAX_LINKS_PER_KIND + 1)]
    too_many = await client.put(f"{url}/up_sell", json={"productIds": many}, headers=headers)
    assert too_many.status_code == 422 and too_many.json()["code"] == "too_many"
    assert (
        await client.put(
            f"{url}/up_sell", json={"productIds": many[:MAX_LINKS_PER_KIND]}, headers=headers
        )
    ).status_code == 200

    # Another tenant's product looks exactly like one that does not exist.
    unknown = await client.put(
        f"{url}/cross_sell",
        json={"productIds": [case, foreign, "00000000-0000-7000-8000-000000000000"]},
        headers=headers,
    )
    assert unknown.status_code == 422, unknown.text
    errors = unknown.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("cross_sell[1]", "unknown_product"),
        ("cross_sell[2]", "unknown_product"),
    ]
    bad_kind = await client.put(
        f"{url}/sideways", json={"productIds": []}, headers={**headers, "Accept-Language": "en"}
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["code"] == "invalid_choice"
    assert bad_kind.json()["title"] == "Choose one of: cross_sell and up_sell."
    shown = (await client.get(url, headers=headers)).json()
    assert shown["crossSell"] == []


async def test_archived_products_are_hidden_but_their_links_stay(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    phone, old, new = [await _product(tenant, client, c) for c in ("P", "OLD", "NEW")]
    url = f"{PRODUCTS}/{phone}/related"
    await client.put(f"{url}/up_sell", json={"productIds": [old, new]}, headers=owner)
    archived = await client.delete(f"{PRODUCTS}/{old}", headers={**owner, "If-Match": '"v1"'})
    assert archived.status_code == 204

    shown = (await client.get(url, headers=owner)).json()
    assert [i["id"] for i in shown["upSell"]] == [new]
    async with tenant.container.uow_factory.for_tenant(tenant.admin_context) as uow:
        stored = await uow.of(CATALOG).related_products.get(uuid.UUID(phone))
    assert [str(i) for i in stored.of_kind(RelationKind.UP_SELL)] == [old, new]

    # Kept when the stored list is sent again; refused as a new link elsewhere.
    kept = await client.put(f"{url}/up_sell", json={"productIds": [new, old]}, headers=owner)
    assert kept.status_code == 200 and [i["id"] for i in kept.json()["upSell"]] == [new]
    refused = await client.put(f"{url}/cross_sell", json={"productIds": [old]}, headers=owner)
    assert refused.status_code == 422
    assert refused.json()["code"] == "related_product_archived"
    # An archived product's own links refuse changes (archived refuses every change).
    frozen = await client.put(
        f"{PRODUCTS}/{old}/related/cross_sell", json={"productIds": [new]}, headers=owner
    )
    assert frozen.status_code == 409 and frozen.json()["code"] == "product_archived"
    assert (await client.get(f"{PRODUCTS}/{old}/related", headers=owner)).status_code == 200


# role -> (GET related, PUT related/{kind})
MATRIX: dict[str, tuple[int, int]] = {
    "owner":            (200, 200),
    "admin":            (200, 200),
    "finance":          (200, 403),
    "warehouse":        (200, 403),
    "customer_service": (200, 403),
    "marketing":        (200, 200),
    "purchasing":       (200, 403),
    "hr":               (403, 403),
    "staff":            (403, 403),
}  # fmt: skip


def test_the_matrix_covers_every_builtin_role_and_related_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if "/related" in route.path
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == {
        ("GET", f"{PRODUCTS}/{{product_id:uuid}}/related"),
        ("PUT", f"{PRODUCTS}/{{product_id:uuid}}/related/{{kind:str}}"),
    }


async def test_only_catalog_writers_change_links(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    phone, case = await _product(tenant, client, "P"), await _product(tenant, client, "C")
    url = f"{PRODUCTS}/{phone}/related"
    actual = {}
    for role in MATRIX:
        headers = await tenant.headers(role)
        responses = (
            await client.get(url, headers=headers),
            await client.put(f"{url}/cross_sell", json={"productIds": [case]}, headers=headers),
        )
        for response in responses:
            if response.status_code == 403:
                assert response.json()["code"] == "permission_denied", response.text
        actual[role] = tuple(r.status_code for r in responses)
    assert actual == MATRIX
