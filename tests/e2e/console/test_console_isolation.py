"""PLT-1 in the console: tenant B never sees tenant A's data on any page. Every console
route with an id, given A's id by B's owner (who holds every permission), is a 404 — for
reading and for every action posted to it; every id a route takes in its query string or
its form, given A's, shows none of A's data and writes nothing (a post is a 404 or a 422);
and walking B's whole menu after A has data shows none of A's ids."""

from __future__ import annotations

import re

import httpx
import pytest

from entrypoints.web.menu import menu
from tests.conftest import TenantFactory, TenantHandle
from tests.e2e.console.isolation import ConsoleRoute, gather_console
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.platform.isolation import gather
from tests.support.built_app import routes_app

APP = routes_app()
CONSOLE_ROUTES = gather_console()
NOT_TENANT_DATA = re.compile(r"^/console/static/")
PARAMETER = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def _console_routes_with_ids() -> dict[str, set[str]]:
    return {
        route.path: set(route.methods) - {"HEAD", "OPTIONS"}
        for route in APP.routes
        if route.path.startswith("/console/")
        and "{" in route.path
        and not NOT_TENANT_DATA.match(route.path)
    }


ROUTES = _console_routes_with_ids()
CASES = sorted((path, method) for path, methods in ROUTES.items() for method in methods)


def test_every_console_route_with_an_id_is_declared() -> None:
    missing = sorted(set(ROUTES) - set(CONSOLE_ROUTES))
    assert not missing, f"add these to a module's CONSOLE_ROUTES: {missing}"


def _filled(path: str, entity_id: str) -> str:
    """The route with A's id in its (first) id parameter; other parameters get 1."""
    first = True

    def value(match: re.Match[str]) -> str:
        nonlocal first
        if first:
            first = False
            return entity_id
        return "1"

    return PARAMETER.sub(value, path)


@pytest.mark.parametrize(("path", "method"), CASES)
async def test_another_tenants_id_is_not_found_in_the_console(
    path: str,
    method: str,
    new_tenant: TenantFactory,
    client: httpx.AsyncClient,
    console: ConsoleClient,
) -> None:
    tenant_a, tenant_b = await new_tenant(), await new_tenant()
    make = CONSOLE_ROUTES[path].make
    assert make is not None, f"{path} takes an id: declare its maker"
    entity_id = await make(tenant_a, client)
    await console.sign_in_as(tenant_b, "owner")
    url = _filled(path, entity_id)
    if method == "GET":
        response = await console.get(url)
    else:
        home = await console.get("/console")
        response = await console.http.request(
            method, url, data={"_csrf_token": csrf_token(home.text)}
        )
    assert response.status_code == 404, (method, url, response.status_code)
    assert entity_id not in response.text


FIELD_CASES = sorted(
    (path, kind, name)
    for path, route in CONSOLE_ROUTES.items()
    for kind, names in (("query", route.query), ("form", route.form))
    for name in names
)


async def _written(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """The ids of the company's audit records of changes made (a refusal writes none)."""
    headers = await tenant.headers("owner")
    found = await client.get("/api/v1/audit", params={"limit": 100}, headers=headers)
    assert found.status_code == 200, found.text
    return [e["id"] for e in found.json()["items"] if e["outcome"] == "success"]


@pytest.mark.parametrize(("path", "kind", "name"), FIELD_CASES)
async def test_another_tenants_id_in_a_query_or_form_field_shows_and_changes_nothing(
    path: str,
    kind: str,
    name: str,
    new_tenant: TenantFactory,
    client: httpx.AsyncClient,
    console: ConsoleClient,
) -> None:
    route: ConsoleRoute = CONSOLE_ROUTES[path]
    tenant_a, tenant_b = await new_tenant(), await new_tenant()
    foreign = await (route.query if kind == "query" else route.form)[name](tenant_a, client)
    own = await route.make(tenant_b, client) if route.make else ""
    url = _filled(path, own) if route.make else path
    own_fields = {field: await make(tenant_b, client) for field, make in route.own.items()}
    await console.sign_in_as(tenant_b, "owner")
    before = [await _written(tenant, client) for tenant in (tenant_a, tenant_b)]
    if kind == "query":
        response = await console.http.get(url, params={name: foreign})
        assert response.status_code in (200, 404, 422), (url, name, response.status_code)
        if response.status_code == 200:  # a refusal may say the reference typed; a page not
            shown = response.text.replace(f'value="{foreign}"', "")  # the filter as typed
            shown = shown.replace(f"{name}={foreign}", "")  # and in the page's own links
            assert foreign not in shown, (url, name)
    else:
        home = await console.get(_filled(route.page, own) if route.page else "/console")
        data = {**route.fields, **own_fields, name: foreign, "_csrf_token": csrf_token(home.text)}
        if route.page:  # the version the form's page shows, as a user would post it
            shown = re.search(r'name="version" value="(\d+)"', home.text)
            assert shown, route.page
            data["version"] = shown[1]
        response = await console.http.post(url, data=data)
        assert response.status_code in route.answers, (url, name, response.status_code)
    assert tenant_a.slug not in response.text
    after = [await _written(tenant, client) for tenant in (tenant_a, tenant_b)]
    assert after == before, (url, name)  # nothing written in either company


async def test_walking_the_menu_as_another_tenant_shows_none_of_the_first_ones_data(
    new_tenant: TenantFactory, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    tenant_a, tenant_b = await new_tenant(), await new_tenant()
    declared = [
        m
        for r in CONSOLE_ROUTES.values()
        for m in (r.make, *r.query.values(), *r.form.values())
        if m
    ]
    makers = dict.fromkeys([*gather().list_makers, *declared])  # each once
    made = [await make(tenant_a, client) for make in makers]
    await console.sign_in_as(tenant_b, "owner")
    for item in menu():
        page = await console.get(item.href)
        assert page.status_code == 200, (item.href, page.status_code)
        leaked = [entity_id for entity_id in made if entity_id in page.text]
        assert not leaked, (item.href, leaked)
        assert tenant_a.slug not in page.text, item.href
