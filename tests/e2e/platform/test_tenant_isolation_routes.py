"""Tenant isolation over HTTP, parametrised over the app's route table (PLT-1).

Every route with an id in its path must be declared by its module in
``tests/e2e/<module>/isolation_routes.py`` (gathered into ``ENTITY_ROUTES`` by discovery,
``tests/e2e/platform/isolation.py``) with a way to create tenant A's entity and a valid
body: a new route that is not declared fails ``test_every_route_with_an_id_is_covered``.
Tenant B's owner (who holds every permission) gets 404 on all of them, with or without
If-Match, and A's rows never show in B's lists.
"""

from __future__ import annotations

import re

import httpx
import pytest

from entrypoints.http.app import create_app
from tests.conftest import TenantFactory
from tests.e2e.platform.isolation import gather

TABLE = gather()
ENTITY_ROUTES = TABLE.routes
NOT_TENANT_DATA = re.compile(r"^/schema")
LISTS = TABLE.lists


def _routes_with_ids() -> dict[str, set[str]]:
    app = create_app(connect=False)
    found: dict[str, set[str]] = {}
    for route in app.routes:
        if "{" in route.path and not NOT_TENANT_DATA.match(route.path):
            found[route.path] = set(route.methods) - {"HEAD", "OPTIONS"}
    return found


ROUTES = _routes_with_ids()
CASES = [(path, method) for path, methods in sorted(ROUTES.items()) for method in sorted(methods)]


def test_every_route_with_an_id_is_covered() -> None:
    missing = sorted(set(ROUTES) - set(ENTITY_ROUTES))
    assert not missing, f"add these routes to ENTITY_ROUTES: {missing}"


@pytest.mark.parametrize(("path", "method"), CASES)
async def test_another_tenants_id_is_404_whatever_the_headers(
    path: str, method: str, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    if path not in ENTITY_ROUTES:
        pytest.fail(f"{path} is not in ENTITY_ROUTES")
    a, b = await new_tenant(), await new_tenant()
    route = ENTITY_ROUTES[path]
    entity_id = await route.make(a, client)
    url = re.sub(r"\{([^}:]+)[^}]*\}", lambda m: route.params.get(m.group(1), entity_id), path)
    body = route.bodies.get(method)
    files = route.files.get(method)

    async def send(headers: dict[str, str]) -> httpx.Response:
        if files is not None:
            return await client.request(method, url, files=files(), headers=headers)
        return await client.request(method, url, json=body, headers=headers)

    for extra in ({}, {"If-Match": '"v1"'}, {"If-Match": '"v999"'}):
        response = await send({**(await b.headers("owner")), **extra})
        assert response.status_code == 404, (method, url, extra, response.text)
    # Control: the same request from A's owner does not get 404.
    own = await send({**(await a.headers("owner")), "If-Match": '"v1"'})
    assert own.status_code != 404, own.text


@pytest.mark.parametrize("path", LISTS)
async def test_lists_never_show_another_tenants_rows(
    path: str, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    makers = TABLE.list_makers
    ids = {await make(a, client) for make in makers}
    response = await client.get(path, headers=await b.headers("owner"))
    assert response.status_code == 200, response.text
    text = response.text
    assert not any(i in text for i in ids)
    assert str(a.id) not in text
