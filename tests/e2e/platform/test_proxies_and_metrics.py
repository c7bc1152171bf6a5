"""The client's address comes from X-Forwarded-For only through a configured proxy, and
/metrics is served only inside or with its token (#9, item 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar

from bootstrap import Container
from entrypoints.http.middleware import client_address, parse_networks
from tests.conftest import PASSWORD, TenantHandle
from tests.support.built_app import openapi_document

PROXY = "192.0.2.10"  # SHOPKEEPER_TRUSTED_PROXIES of the tests (tests/conftest.py)


@asynccontextmanager
async def client_at(app: Litestar, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address, 4444))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as c:
        yield c


def test_only_the_part_of_the_chain_trusted_proxies_wrote_is_believed() -> None:
    trusted = parse_networks(["192.0.2.10", "10.0.0.0/8"])
    assert client_address("192.0.2.10", "198.51.100.7", trusted) == "198.51.100.7"
    # The client wrote the left part itself: the right-most untrusted hop is the client.
    assert client_address("192.0.2.10", "1.1.1.1, 198.51.100.7, 10.1.2.3", trusted) == (
        "198.51.100.7"
    )
    assert client_address("198.18.0.9", "198.51.100.7", trusted) == "198.18.0.9"
    assert client_address("192.0.2.10", "not-an-address", trusted) == "192.0.2.10"
    assert client_address("192.0.2.10", None, trusted) == "192.0.2.10"
    assert client_address("192.0.2.10", "198.51.100.7", ()) == "192.0.2.10"


async def test_the_audit_and_the_login_throttle_see_the_address_the_proxy_saw(
    tenant: TenantHandle, app: Litestar
) -> None:
    body = {"tenant": tenant.slug, "email": tenant.owner_email, "password": PASSWORD}
    async with (
        client_at(app, PROXY) as proxied,
        client_at(app, "198.18.0.9") as direct,
    ):
        via_proxy = await proxied.post(
            "/api/v1/auth/login", json=body, headers={"X-Forwarded-For": "198.18.0.77"}
        )
        spoofed = await direct.post(
            "/api/v1/auth/login", json=body, headers={"X-Forwarded-For": "198.18.0.88"}
        )
        assert via_proxy.status_code == spoofed.status_code == 200
        token = via_proxy.json()["accessToken"]
        audit = await direct.get(
            "/api/v1/audit",
            params={"action": "auth.login"},
            headers={"Authorization": f"Bearer {token}"},
        )
    addresses = {record["ip"] for record in audit.json()["items"]}
    assert addresses == {"198.18.0.77", "198.18.0.9"}, addresses


async def test_metrics_only_inside_or_with_the_token(container: Container, app: Litestar) -> None:
    token = container.settings.metrics_token
    async with client_at(app, "127.0.0.1") as inside:
        assert (await inside.get("/metrics")).status_code == 200
    async with client_at(app, "198.51.100.9") as outside:
        refused = await outside.get("/metrics", headers={"Accept-Language": "en"})
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "metrics_not_public"
        wrong = await outside.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        allowed = await outside.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert allowed.status_code == 200 and "requests_total" in allowed.text


def test_the_document_says_metrics_may_be_refused() -> None:
    responses = openapi_document()["paths"]["/metrics"]["get"]["responses"]  # type: ignore[index]
    assert "403" in responses
