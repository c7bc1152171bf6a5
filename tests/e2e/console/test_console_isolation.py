"""PLT-1 in the console: tenant B never sees tenant A's data on any page. Every console
route with an id, given A's id by B's owner (who holds every permission), is a 404 — for
reading and for every action posted to it — and walking B's whole menu after A has data
shows none of A's ids."""

from __future__ import annotations

import re

import httpx
import pytest

from entrypoints.web.menu import menu
from tests.conftest import TenantFactory
from tests.e2e.console.isolation import gather_console
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
    entity_id = await CONSOLE_ROUTES[path](tenant_a, client)
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


async def test_walking_the_menu_as_another_tenant_shows_none_of_the_first_ones_data(
    new_tenant: TenantFactory, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    tenant_a, tenant_b = await new_tenant(), await new_tenant()
    makers = dict.fromkeys([*gather().list_makers, *CONSOLE_ROUTES.values()])  # each once
    made = [await make(tenant_a, client) for make in makers]
    await console.sign_in_as(tenant_b, "owner")
    for item in menu():
        page = await console.get(item.href)
        assert page.status_code == 200, (item.href, page.status_code)
        leaked = [entity_id for entity_id in made if entity_id in page.text]
        assert not leaked, (item.href, leaked)
        assert tenant_a.slug not in page.text, item.href
