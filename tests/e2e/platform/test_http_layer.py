"""The shape of the HTTP layer (#8): handlers receive what they use by dependency
injection and never reach into the application state; each module's router is found by
discovery; every operation that needs a caller shows its permission (``x-permission``);
wire types derive from the one base; money travels as decimal strings."""

from __future__ import annotations

import inspect
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

import entrypoints.http as http_package
from application.catalog.products import CreateProduct
from application.notifications.inbox import ListInbox
from application.shared.versions import ANY_VERSION
from domain.identity.permissions import ALL_PERMISSIONS
from entrypoints.http.app import module_routers
from entrypoints.http.auth import PUBLIC_PATHS
from entrypoints.http.conventions import NEVER_MATCHES, version_in
from entrypoints.http.permissions import needs
from entrypoints.http.wire import WireIn, WireOut
from tests.conftest import TenantHandle
from tests.support.built_app import openapi_document, routes_app

HTTP_DIR = Path(http_package.__file__).parent
# Providers may read the application state; so do the app factory that puts the container
# there and the authentication middleware, which runs before any handler.
READS_STATE = {"dependencies.py", "app.py", "auth.py"}
# Handlers that still take the raw request, and why.
TAKES_REQUEST = {
    "login": "the client address and request id of a caller not yet known",
    "refresh": "the client address and request id of a caller not yet known",
}
METHODS = ("get", "put", "post", "delete", "patch")


def _handlers(app: Litestar) -> list[HTTPRouteHandler]:
    return [
        handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler, HTTPRouteHandler)
    ]


def test_no_handler_reaches_into_the_application_state() -> None:
    offenders = []
    for handler in _handlers(routes_app()):
        source = inspect.getsource(handler.fn)
        if "app.state" in source or ".container" in source:
            offenders.append(handler.handler_name)
    assert not offenders, f"handlers reading app.state (inject a dependency): {offenders}"
    files = [
        str(path.relative_to(HTTP_DIR))
        for path in HTTP_DIR.rglob("*.py")
        if path.name not in READS_STATE and "app.state" in path.read_text(encoding="utf-8")
    ]
    assert not files, f"only providers read app.state: {files}"


def test_handlers_take_the_raw_request_only_where_they_need_it() -> None:
    taking = {
        handler.handler_name
        for handler in _handlers(routes_app())
        if handler.fn.__module__.startswith("entrypoints.http")
        and "request" in handler.parsed_fn_signature.parameters
    }
    assert taking == set(TAKES_REQUEST)


def test_every_module_router_is_discovered() -> None:
    packages = {p.parent.name for p in HTTP_DIR.glob("*/__init__.py")}
    routers = {r.path for r in module_routers()}
    assert len(module_routers()) == len(packages)  # one router per module package
    assert "/api/v1/catalog" in routers and "/api/v1/customers" in routers


def _public(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in PUBLIC_PATHS)


def test_every_operation_that_needs_a_caller_names_its_permission() -> None:
    document: dict[str, Any] = openapi_document()
    missing, unknown = [], []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or _public(path):
                continue
            declared = operation.get("x-permission")
            if declared is None:
                missing.append(f"{method.upper()} {path}")
            else:
                unknown += [p for p in declared if p not in ALL_PERMISSIONS]
    assert not missing, f"operations without x-permission: {missing}"
    assert not unknown


def test_public_operations_declare_no_permission() -> None:
    document: dict[str, Any] = openapi_document()
    for path, item in document["paths"].items():
        if _public(path):
            for method in METHODS:
                assert "x-permission" not in item.get(method, {}), path


def test_permissions_in_the_document() -> None:
    paths: dict[str, Any] = openapi_document()["paths"]  # type: ignore[assignment]
    assert paths["/api/v1/catalog/products"]["post"]["x-permission"] == ["catalog:write"]
    assert paths["/api/v1/customers/{customer_id}"]["delete"]["x-permission"] == ["customers:erase"]
    assert paths["/api/v1/inbox"]["get"]["x-permission"] == []  # any signed-in user


def test_money_fields_are_decimal_strings_in_the_document() -> None:
    schemas: dict[str, Any] = openapi_document()["components"]["schemas"]  # type: ignore[index]
    for name, field in (("SkuIn", "listPrice"), ("SkuOut", "cost"), ("MemberPriceIn", "amount")):
        money = schemas[name]["properties"][field]
        assert money["format"] == "decimal" and money["pattern"].startswith("^"), (name, field)
        assert "string" in str(money)


def _structs(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_structs(sub)}
    return found


def test_every_wire_type_derives_from_the_base() -> None:
    routes_app()  # imports every module's schemas
    own = {
        s
        for s in _structs(msgspec.Struct)
        if s.__module__.startswith("entrypoints.http.")
        and s not in (WireIn, WireOut)
        and not any(base.__name__ == "SignatureModel" for base in s.__mro__)  # Litestar's
    }
    assert own and all(issubclass(s, WireIn | WireOut) for s in own), sorted(
        s.__name__ for s in own if not issubclass(s, WireIn | WireOut)
    )
    inputs = [s for s in own if s.__name__.endswith(("In", "Patch"))]
    assert all(issubclass(s, WireIn) for s in inputs)


def test_if_match_is_parsed_once_with_the_old_meaning() -> None:
    assert version_in(None) is None
    assert version_in('"v3"') == 3 and version_in(' W/"v12" ') == 12
    assert version_in('"3"') == NEVER_MATCHES
    assert version_in("*") is ANY_VERSION  # any current version (RFC 9110; #9 item 15)


async def test_amounts_travel_as_decimal_strings(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    body = {"code": "DEC-1", "name": "十进制", "skus": [{"code": "DEC-1-A", "listPrice": "99.5"}]}
    created = await client.post("/api/v1/catalog/products", json=body, headers=owner)
    assert created.status_code == 201, created.text
    assert created.json()["skus"][0]["listPrice"] == "99.50"  # a string, in the currency
    assert Decimal(created.json()["skus"][0]["listPrice"]) == Decimal("99.5")

    # A malformed amount is refused by the decoder, with the use cases' old answer.
    bad = {"code": "DEC-2", "name": "坏价", "skus": [{"code": "DEC-2-A", "listPrice": "9,5"}]}
    refused = await client.post("/api/v1/catalog/products", json=bad, headers=owner)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "invalid_amount"
    assert refused.json()["errors"] == [
        {
            "field": "skus[0].listPrice",
            "code": "invalid_amount",
            "message": "The amount is not a valid number.",
        }
    ]
    prices = {"channelId": str(uuid.uuid4()), "prices": {str(uuid.uuid4()): "abc"}}
    url = f"/api/v1/catalog/products/{created.json()['id']}/channel-prices"
    wrong = await client.put(url, json=prices, headers={**owner, "If-Match": '"v1"'})
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid_amount", wrong.text
    for bound in ("minPrice", "maxPrice"):
        for text in ("abc", "NaN", "Infinity"):
            search = await client.get(
                "/api/v1/catalog/products/search", params={bound: text}, headers=owner
            )
            assert search.status_code == 422, (bound, text, search.text)
            assert search.json()["errors"][0] == {
                "field": bound,
                "code": "invalid_amount",
                "message": "The amount is not a valid number.",
            }
    # Anything else malformed stays the decoder's 400.
    typed = {**bad, "skus": [{"code": "DEC-2-A", "listPrice": "9", "archived": "no"}]}
    assert (
        await client.post("/api/v1/catalog/products", json=typed, headers=owner)
    ).status_code == 400

    unknown = {**body, "code": "DEC-3", "colour": "red"}
    assert (
        await client.post("/api/v1/catalog/products", json=unknown, headers=owner)
    ).status_code == 400


def test_a_route_names_its_use_case_not_a_permission() -> None:
    assert needs(CreateProduct) == {"permission": ("catalog:write",)}
    assert needs(ListInbox) == {"permission": ()}  # SIGNED_IN: the caller's own data
    with pytest.raises(LookupError):
        needs("catalog:write")  # a bare string would be the permission written twice
