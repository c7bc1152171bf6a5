"""Tenant isolation over HTTP, generated from the OpenAPI document (PLT-1; issue 13's R6).

Every operation of the document with an id in its path is a case, so no route can be
forgotten; each route must be declared by its module in
``tests/e2e/<module>/isolation_routes.py`` (gathered into ``ENTITY_ROUTES`` by discovery,
``tests/e2e/platform/isolation.py``) with a way to create tenant A's entity and a valid
body: a route that is not declared fails ``test_every_route_with_an_id_is_covered``.
Tenant B's owner (who holds every permission) gets 404 on all of them — reads, updates,
deletes and actions — with or without If-Match (figures: operations, 2xx leaks), and A's
rows never show in B's lists.

Routes without an id over the tenant's data as a whole (``TENANT_ROUTES``: settings, rule
sets, counts, batches naming orders) are cases too: B's reads answer as if A had no data,
and B's writes leave A's data as it was — each with a control showing that A's data, or
A's same request, does show there.
"""

from __future__ import annotations

import re

import httpx
import pytest

from bootstrap import Container
from tests.conftest import TenantFactory, TenantHandle, create_tenant
from tests.e2e.platform.isolation import TenantRoute, gather
from tests.reliability.figures import figure
from tests.support.built_app import openapi_document, routes_app

TABLE = gather()
ENTITY_ROUTES = TABLE.routes
# The console has its own twin (tests/e2e/console/test_console_isolation.py).
NOT_TENANT_DATA = re.compile(r"^/(schema|console)")
LISTS = TABLE.lists
TENANT_ROUTES = TABLE.tenant_routes


APP = routes_app()
PATH_PARAMETER = re.compile(r"\{([^}:]+)[^}]*\}")
OPERATIONS = {"get", "put", "patch", "post", "delete"}


def _as_documented(path: str) -> str:
    """A route's path as the document writes it: ``{order_id:uuid}`` → ``{order_id}``."""
    return PATH_PARAMETER.sub(r"{\1}", path)


def _routes_with_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for route in APP.routes:
        if "{" in route.path and not NOT_TENANT_DATA.match(route.path):
            found[route.path] = set(route.methods) - {"HEAD", "OPTIONS"}
    return found


def _documented_operations_with_ids() -> list[tuple[str, str]]:
    """(route path, method) of every operation of the OpenAPI document with an id."""
    routes = {_as_documented(path): path for path in {*ROUTES, *ENTITY_ROUTES}}
    document = openapi_document()
    return sorted(
        (routes.get(path, path), method.upper())
        for path, operations in document["paths"].items()
        if "{" in path and not NOT_TENANT_DATA.match(path)
        for method in operations
        if method in OPERATIONS
    )


ROUTES = _routes_with_ids()
CASES = _documented_operations_with_ids()


def _served_without_ids(prefixes: tuple[str, ...]) -> set[str]:
    """``"METHOD path"`` of every route without an id under one of ``prefixes``."""
    return {
        f"{method} {route.path}"
        for route in APP.routes
        if "{" not in route.path
        and any(route.path == p or route.path.startswith(f"{p}/") for p in prefixes)
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }


def test_every_route_with_an_id_is_covered() -> None:
    missing = sorted(set(ROUTES) - set(ENTITY_ROUTES))
    assert not missing, f"add these routes to ENTITY_ROUTES: {missing}"


def test_every_route_without_an_id_is_covered() -> None:
    """A module that declares TENANT_ROUTES has every route without an id a list, a case or
    said why not; and every case is a route served."""
    served = _served_without_ids(TABLE.tenant_prefixes)
    covered = {*TENANT_ROUTES, *TABLE.without_a_case, *(f"GET {path}" for path in LISTS)}
    assert TABLE.tenant_prefixes
    assert not served - covered, f"add these to TENANT_ROUTES: {sorted(served - covered)}"
    assert not set(TENANT_ROUTES) - served, sorted(set(TENANT_ROUTES) - served)


def test_the_document_holds_every_route_with_an_id() -> None:
    """The cases come from the document: a route left out of it would escape them."""
    served = {(path, method) for path, methods in ROUTES.items() for method in methods}
    assert served - set(CASES) == set()


@pytest.fixture(scope="module")
async def outsider(container: Container, client: httpx.AsyncClient) -> TenantHandle:
    """Tenant B: one for the module's cases. B only ever calls with A's ids and is refused,
    so it carries nothing from one case to the next; every case makes its own A (whose
    control request may change or delete its entity), and logs B in afresh."""
    return await create_tenant(container, client)


async def fresh_login(tenant: TenantHandle) -> dict[str, str]:
    tokens = await tenant.login(tenant.owner_email)
    return {"Authorization": f"Bearer {tokens['accessToken']}"}


@pytest.mark.parametrize(("path", "method"), CASES)
async def test_another_tenants_id_is_404_whatever_the_headers(
    path: str,
    method: str,
    new_tenant: TenantFactory,
    outsider: TenantHandle,
    client: httpx.AsyncClient,
) -> None:
    if path not in ENTITY_ROUTES:
        pytest.fail(f"{path} is not in ENTITY_ROUTES")
    a, b_headers = await new_tenant(), await fresh_login(outsider)
    route = ENTITY_ROUTES[path]
    entity_id = await route.make(a, client)
    url = re.sub(r"\{([^}:]+)[^}]*\}", lambda m: route.params.get(m.group(1), entity_id), path)
    body = route.bodies.get(method)
    files = route.files.get(method)

    async def send(headers: dict[str, str]) -> httpx.Response:
        if files is not None:
            return await client.request(method, url, files=files(), headers=headers)
        return await client.request(method, url, json=body, headers=headers)

    answers = []
    for extra in ({}, {"If-Match": '"v1"'}, {"If-Match": '"v999"'}):
        answers.append((extra, await send({**b_headers, **extra})))
    # Control: the same request from A's owner does not get 404.
    own = await send({**(await a.headers("owner")), "If-Match": '"v1"'})
    figure("R6", "operations", 1)
    figure("R6", "2xx leaks", sum(r.status_code < 300 for _, r in answers), 0)
    figure("R6", "answers other than 404", sum(r.status_code != 404 for _, r in answers), 0)
    figure("R6", "controls A could not reach", int(own.status_code == 404), 0)
    for extra, response in answers:
        assert response.status_code == 404, (method, url, extra, response.text)
    assert own.status_code != 404, own.text


@pytest.mark.parametrize("path", LISTS)
async def test_lists_never_show_another_tenants_rows(
    path: str, new_tenant: TenantFactory, outsider: TenantHandle, client: httpx.AsyncClient
) -> None:
    a = await new_tenant()
    makers = TABLE.list_makers
    ids = {await make(a, client) for make in makers}
    response = await client.get(path, headers=await fresh_login(outsider))
    assert response.status_code == 200, response.text
    text = response.text
    assert not any(i in text for i in ids)
    assert str(a.id) not in text


async def _send(
    client: httpx.AsyncClient,
    operation: str,
    route: TenantRoute,
    headers: dict[str, str],
    ids: list[str],
) -> httpx.Response:
    method, path = operation.split(" ", 1)
    body = route.body(ids) if route.body is not None else None
    return await client.request(
        method, path, params=route.query, json=body, headers={**headers, **route.headers}
    )


async def _reads(
    client: httpx.AsyncClient, route: TenantRoute, headers: dict[str, str]
) -> list[object]:
    answers = []
    for path in route.reads:
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


@pytest.mark.parametrize("operation", sorted(TENANT_ROUTES))
async def test_another_tenant_neither_sees_nor_changes_the_tenants_data(
    operation: str, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    """PLT-1 without an id in the path: tenant B (its owner, every permission) reads none
    of A's settings, rule set, counts, views or orders, and changes none of them — naming
    A's orders in a bulk action or a merge included. B is fresh per case: its writes carry
    nothing to another case."""
    route = TENANT_ROUTES[operation]
    a, b = await new_tenant(), await new_tenant()
    a_owner, b_owner = await a.headers("owner"), await b.headers("owner")
    if not route.reads:  # a read
        before = await _send(client, operation, route, b_owner, [])
        assert before.status_code in route.answers, before.text
        ids = await route.make(a, client)
        after = await _send(client, operation, route, b_owner, ids)
        assert after.status_code == before.status_code, after.text
        assert after.json() == before.json()
        assert not any(i in after.text for i in ids) and str(a.id) not in after.text
        # Control: A's data shows in A's own answer.
        own = await _send(client, operation, route, a_owner, ids)
        assert own.status_code in route.answers, own.text
        assert own.json() != after.json()
        return
    ids = await route.make(a, client)
    seen = await _reads(client, route, a_owner)
    answer = await _send(client, operation, route, b_owner, ids)
    assert answer.status_code in route.answers, answer.text
    if route.answer is not None:
        assert route.answer(answer.json(), ids), answer.text
    if route.settle is not None:
        await route.settle(b, answer)
    assert await _reads(client, route, a_owner) == seen
    # Control: the same request from A changes what the reads show.
    own = await _send(client, operation, route, a_owner, ids)
    assert own.status_code < 300, own.text
    if route.settle is not None:
        await route.settle(a, own)
    assert await _reads(client, route, a_owner) != seen
