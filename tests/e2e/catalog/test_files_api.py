"""/api/v1/catalog/imports and /exports over HTTP (CAT-2): upload → preview job → error
report in the caller's language (CSV and XLSX) → commit with If-Match (idempotent) →
progress in the jobs API; exports as a job with their file; costs only with
catalog:read_cost; the permission matrix."""

from __future__ import annotations

import csv
import io
from uuid import UUID

import httpx
from python_calamine import CalamineWorkbook

from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from entrypoints.messages import message
from tests.conftest import TenantHandle

IMPORTS = "/api/v1/catalog/imports"
EXPORTS = "/api/v1/catalog/exports"
GOOD = "product_code,product_name,sku_code,list_price\r\nA,甲,A-1,1\r\nB,乙,B-1,2\r\n"
BAD = GOOD + "C,丙,C-1,=1+2\r\n"


async def upload(
    tenant: TenantHandle, client: httpx.AsyncClient, body: str, role: str = "owner"
) -> httpx.Response:
    return await client.post(
        IMPORTS,
        files={"file": ("catalog.csv", body.encode("utf-8"), "text/csv")},
        headers=await tenant.headers(role),
    )


async def checked(tenant: TenantHandle, client: httpx.AsyncClient, body: str) -> dict:
    response = await upload(tenant, client, body)
    assert response.status_code == 202, response.text
    created = response.json()
    await tenant.container.get(CatalogImports).run_check(tenant.id, UUID(created["checkJob"]["id"]))
    return (
        await client.get(f"{IMPORTS}/{created['id']}", headers=await tenant.headers("owner"))
    ).json()


async def test_upload_preview_commit_and_progress(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    view = await checked(tenant, client, GOOD)
    assert view["status"] == "checked"
    assert view["counts"] == {
        "products": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": 0,
    }
    assert view["checkJob"]["status"] == "succeeded"
    products = await client.get("/api/v1/catalog/products", headers=owner)
    assert products.json()["items"] == []  # the preview wrote nothing

    url = f"{IMPORTS}/{view['id']}/commit"
    missing = await client.post(url, json={"validOnly": False}, headers=owner)
    assert missing.status_code == 428
    etag = (await client.get(f"{IMPORTS}/{view['id']}", headers=owner)).headers["ETag"]
    started = await client.post(url, json={}, headers={**owner, "If-Match": etag})
    assert started.status_code == 202, started.text
    again = await client.post(url, json={}, headers={**owner, "If-Match": etag})
    assert (
        again.status_code == 202
        and again.json()["commitJob"]["id"] == started.json()["commitJob"]["id"]
    )
    job_id = started.json()["commitJob"]["id"]
    await tenant.container.get(CatalogImports).run_commit(tenant.id, UUID(job_id))
    job = (await client.get(f"/api/v1/jobs/{job_id}", headers=owner)).json()
    assert job["status"] == "succeeded" and job["done"] == job["total"] == 2
    done = (await client.get(f"{IMPORTS}/{view['id']}", headers=owner)).json()
    assert done["status"] == "committed" and done["commitJob"]["progress"] == 1.0
    products = await client.get("/api/v1/catalog/products", headers=owner)
    assert sorted(p["code"] for p in products.json()["items"]) == ["A", "B"]


async def test_error_report_in_the_callers_language_and_valid_only(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    view = await checked(tenant, client, BAD)
    assert view["counts"]["errors"] == 1 and view["counts"]["rejected"] == 1
    assert view["firstErrors"][0]["row"] == 4
    report = await client.get(
        f"{IMPORTS}/{view['id']}/errors", headers={**owner, "Accept-Language": "zh-CN"}
    )
    assert report.status_code == 200
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert rows[0] == ["行号", "列", "错误代码", "说明"]
    assert rows[1][:3] == ["4", "list_price", "invalid_number"]
    assert rows[1][3] == message("invalid_number", "zh-CN")
    xlsx = await client.get(
        f"{IMPORTS}/{view['id']}/errors?format=xlsx", headers={**owner, "Accept-Language": "en"}
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0)
    cells = sheet.to_python()
    assert cells[0] == ["row", "column", "code", "message"]
    assert [str(cells[1][1]), cells[1][2]] == ["list_price", "invalid_number"]

    url = f"{IMPORTS}/{view['id']}/commit"
    etag = f'"v{view["version"]}"'
    refused = await client.post(url, json={"validOnly": False}, headers={**owner, "If-Match": etag})
    assert refused.status_code == 409 and refused.json()["code"] == "import_has_errors"
    started = await client.post(url, json={"validOnly": True}, headers={**owner, "If-Match": etag})
    assert started.status_code == 202, started.text
    await tenant.container.get(CatalogImports).run_commit(
        tenant.id, UUID(started.json()["commitJob"]["id"])
    )
    products = await client.get("/api/v1/catalog/products", headers=owner)
    assert sorted(p["code"] for p in products.json()["items"]) == ["A", "B"]


async def test_export_job_and_file_with_and_without_costs(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    body = {
        "code": "E-1",
        "name": "=导出",
        "skus": [{"code": "E-1-A", "listPrice": "5", "cost": "2"}],
    }
    assert (
        await client.post("/api/v1/catalog/products", json=body, headers=owner)
    ).status_code == 201
    for role, has_cost in (("owner", True), ("warehouse", False)):
        headers = await tenant.headers(role)
        started = await client.post(EXPORTS, json={"format": "csv"}, headers=headers)
        assert started.status_code == 202, started.text
        export = started.json()
        early = await client.get(f"{EXPORTS}/{export['id']}/file", headers=headers)
        assert early.status_code == 409 and early.json()["code"] == "export_not_ready"
        await tenant.container.get(CatalogExports).run(tenant.id, UUID(export["job"]["id"]))
        status = (await client.get(f"{EXPORTS}/{export['id']}", headers=headers)).json()
        assert status["status"] == "done" and status["products"] == 1
        file = await client.get(f"{EXPORTS}/{export['id']}/file", headers=headers)
        assert file.status_code == 200 and file.content.startswith("\ufeff".encode())
        text = file.content.decode("utf-8-sig")
        assert ("cost" in text.splitlines()[0].split(",")) is has_cost
        assert "'=导出" in text


async def test_an_export_with_costs_downloads_only_with_read_cost(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#9, item 3: the file re-checks what its content needs, whoever holds its id."""
    started = await client.post(
        EXPORTS, json={"format": "csv"}, headers=await tenant.headers("owner")
    )
    export = started.json()
    await tenant.container.get(CatalogExports).run(tenant.id, UUID(export["job"]["id"]))
    url = f"{EXPORTS}/{export['id']}/file"
    refused = await client.get(url, headers=await tenant.headers("warehouse"))
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "permission_denied"
    status = await client.get(
        f"{EXPORTS}/{export['id']}", headers=await tenant.headers("warehouse")
    )
    assert status.status_code == 200
    allowed = await client.get(url, headers=await tenant.headers("owner"))
    assert allowed.status_code == 200
    assert "cost" in allowed.content.decode("utf-8-sig").splitlines()[0].split(",")


async def test_permissions(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    assert (await upload(tenant, client, GOOD, role="warehouse")).status_code == 403
    no_cost = "product_code,sku_code,cost\r\nA,A-1,3\r\n"
    role = {"key": "importer", "name": "Importer", "permissions": ["catalog:import"]}
    made = await client.post("/api/v1/roles", json=role, headers=await tenant.headers("owner"))
    assert made.status_code == 201, made.text
    response = await upload(tenant, client, no_cost, role="importer")
    assert response.status_code == 202, response.text
    await tenant.container.get(CatalogImports).run_check(
        tenant.id, UUID(response.json()["checkJob"]["id"])
    )
    view = (
        await client.get(
            f"{IMPORTS}/{response.json()['id']}", headers=await tenant.headers("importer")
        )
    ).json()
    assert [(e["row"], e["column"], e["code"]) for e in view["firstErrors"]] == [
        (1, "cost", "permission_denied")
    ]
    wrong = await client.post(
        IMPORTS,
        files={"file": ("catalog.txt", b"x", "text/plain")},
        headers=await tenant.headers("owner"),
    )
    assert wrong.status_code == 422 or wrong.status_code == 400
    assert wrong.json()["code"] in {"validation_failed", "unsupported_file_format"}


async def test_create_missing_is_a_form_field_and_the_preview_lists_what_it_creates(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#9 item 17 over HTTP: ``createMissing`` beside the file; ``toCreate`` in the view."""
    body = (
        "product_code,product_name,category,brand,sku_code,list_price\r\n"
        "N-1,新品,家居 > 收纳,整理师,N-1-A,9\r\n"
    )
    owner = await tenant.headers("owner")
    asked = await client.post(
        IMPORTS,
        files={"file": ("catalog.csv", body.encode(), "text/csv")},
        data={"createMissing": "true"},
        headers={**owner, "Idempotency-Key": "first-import"},
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["createMissing"] is True
    await tenant.container.get(CatalogImports).run_check(
        tenant.id, UUID(asked.json()["checkJob"]["id"])
    )
    view = (await client.get(f"{IMPORTS}/{asked.json()['id']}", headers=owner)).json()
    assert view["toCreate"] == {
        "categories": ["家居 > 收纳"],
        "brands": ["整理师"],
        "productTypes": [],
    }
    assert view["firstErrors"] == [] and view["counts"]["created"] == 1
    again = await client.post(
        IMPORTS,
        files={"file": ("catalog.csv", body.encode(), "text/csv")},
        data={"createMissing": "false"},
        headers={**owner, "Idempotency-Key": "first-import"},
    )
    assert again.status_code == 422  # the same key for another request
    plain = await client.post(
        IMPORTS, files={"file": ("catalog.csv", body.encode(), "text/csv")}, headers=owner
    )
    assert plain.status_code == 202 and plain.json()["createMissing"] is False
