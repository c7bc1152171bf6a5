"""Operations endpoints: /health, /ready (names what is down), /metrics, request ids."""

from __future__ import annotations

from dataclasses import replace

import httpx

from bootstrap import build_container
from bootstrap.settings import Settings
from entrypoints.http.app import create_app


async def test_ready_when_postgres_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"postgres": "ok", "redis": "ok"}}


async def test_ready_reports_redis_down(settings: Settings) -> None:
    # A Redis URL where nothing listens: the service must say which dependency is down.
    broken = build_container(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    try:
        transport = httpx.ASGITransport(app=create_app(broken))
        async with httpx.AsyncClient(transport=transport, base_url="http://sk.test") as client:
            response = await client.get("/ready")
    finally:
        await broken.aclose()
    assert response.status_code == 503
    assert response.json()["checks"] == {"postgres": "ok", "redis": "down"}


async def test_ready_reports_postgres_down(settings: Settings) -> None:
    broken = build_container(
        replace(settings, database_url="postgresql://shopkeeper_app@127.0.0.1:1/none")
    )
    try:
        transport = httpx.ASGITransport(app=create_app(broken))
        async with httpx.AsyncClient(transport=transport, base_url="http://sk.test") as client:
            response = await client.get("/ready")
    finally:
        await broken.aclose()
    assert response.status_code == 503
    assert response.json()["checks"] == {"postgres": "down", "redis": "ok"}


async def test_metrics_are_prometheus_text(client: httpx.AsyncClient) -> None:
    await client.get("/health")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "shopkeeper_requests_total" in response.text or "requests_total" in response.text


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "trace-abc.123"})
    assert given.headers["x-request-id"] == "trace-abc.123"
    hostile = await client.get("/health", headers={"X-Request-ID": "bad id\nwith newline"[:10]})
    assert hostile.headers["x-request-id"] != "bad id\nwit"
    unknown = await client.get("/no/such/route")
    assert unknown.status_code == 404
    assert unknown.json()["requestId"] == unknown.headers["x-request-id"]


async def test_openapi_viewer_is_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/schema/openapi.json")).status_code == 200
    viewer = await client.get("/schema")
    assert viewer.status_code == 200
    assert "html" in viewer.headers["content-type"]
