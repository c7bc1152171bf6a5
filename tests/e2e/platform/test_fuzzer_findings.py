"""What the property-based fuzzer found at the edge (#9, item 8), beside the strict
decoding and integer ranges of test_bad_input.py: a keyed upload, the status /metrics
counts, and the methods OPTIONS lists."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.support.built_app import routes_app

CSV = "product_code,product_name,sku_code,list_price\r\nA,甲,A-1,1\r\n"


async def test_an_import_upload_with_an_idempotency_key_is_replayed(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}

    async def upload(body: str, name: str = "catalog.csv") -> httpx.Response:
        files = {"file": (name, body.encode(), "text/csv")}
        return await client.post("/api/v1/catalog/imports", files=files, headers=headers)

    first, replay = await upload(CSV), await upload(CSV)
    assert first.status_code == replay.status_code == 202, first.text
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    other = await upload(CSV + "B,乙,B-1,2\r\n")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    renamed = await upload(CSV, name="other.csv")
    assert renamed.status_code == 422 and renamed.json()["code"] == "idempotency_key_reused"


def _count(metrics: str, status: int) -> float:
    """How many GET /api/v1/catalog/products the metrics counted with ``status``."""
    for line in metrics.splitlines():
        if (
            line.startswith("litestar_requests_total")
            and 'path="/api/v1/catalog/products"' in line
            and 'method="GET"' in line
            and f'status_code="{status}"' in line
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_each_response_by_its_real_status(client: httpx.AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    refused = await client.get("/api/v1/catalog/products")  # no credentials
    assert refused.status_code == 401
    after = (await client.get("/metrics")).text
    assert _count(after, 401) == _count(before, 401) + 1
    assert _count(after, 200) == _count(before, 200)


async def test_options_lists_every_method_of_its_path(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    user = f"/api/v1/users/{uuid.uuid4()}"
    answered = await client.options(user)
    assert answered.status_code == 204
    assert answered.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
    listing = await client.options("/api/v1/catalog/products")
    assert listing.headers["allow"] == "GET, OPTIONS, POST"
    # Every path of the app: OPTIONS names exactly the methods its routes serve.
    app = routes_app()
    for route in app.routes:
        if "OPTIONS" in route.methods and "{" not in route.path:
            allow = (await client.options(route.path)).headers.get("allow", "")
            assert set(allow.split(", ")) >= set(route.methods), route.path
