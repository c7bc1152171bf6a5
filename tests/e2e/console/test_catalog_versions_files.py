"""PLT-8 for the catalog's history and files (CAT-8, CAT-2): versions with the diff of two
and restore (a stale restore refused with its message); an import whose page polls its
job until the row report shows, then commits the good products; an export downloaded
when its job is done."""

from __future__ import annotations

import re
from uuid import UUID

import httpx

from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.catalog_support import EN, PRODUCTS, api_product
from tests.e2e.console.support import ConsoleClient, csrf_token

FILES = "/console/catalog/files"
HTMX = {"hx-request": "true"}
CSV = "product_code,product_name,sku_code,list_price\r\nA,甲,A-1,1\r\nB,乙,B-1,=1+2\r\n"


async def test_versions_diff_and_restore(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    product = await api_product(tenant, client, "VER-1", "第一版")
    revised = await client.put(
        f"/api/v1/catalog/products/{product['id']}",
        json={"name": "第二版", "skus": [{"id": product["skus"][0]["id"], "code": "VER-1-1"}]},
        headers={**(await tenant.headers("owner")), "If-Match": '"v1"'},
    )
    assert revised.status_code == 200, revised.text
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    versions = f"{PRODUCTS}/{product['id']}/versions"
    page = await console.get(versions)
    assert page.status_code == 200
    assert "Version 2" in page.text and "Restore version 1" in page.text
    diff = await console.get(f"{versions}?older=1&newer=2", **HTMX)
    assert diff.status_code == 200 and "<html" not in diff.text
    assert "第一版" in diff.text and "第二版" in diff.text
    assert "skus[VER-1-1].listPrice" in diff.text  # the list price was left out: removed
    stale = await console.http.post(
        f"{versions}/1/restore", data={"version": "1", "_csrf_token": csrf_token(page.text)}
    )
    assert stale.status_code == 412
    assert message("stale_version", "en") in stale.text
    restored = await console.post_form(versions, f"{versions}/1/restore", {"version": "2"})
    assert restored.status_code == 303, restored.text
    after = await console.get(versions)
    assert "Version 1 restored (as a new version)." in after.text
    assert "restored from version 1" in after.text
    shown = await client.get(
        f"/api/v1/catalog/products/{product['id']}", headers=await tenant.headers("owner")
    )
    assert shown.json()["name"] == "第一版" and shown.json()["version"] == 3


async def test_an_import_polls_its_job_shows_the_row_report_and_commits(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    files = await console.get(FILES)
    assert files.status_code == 200 and 'enctype="multipart/form-data"' in files.text
    uploaded = await console.http.post(
        f"{FILES}/imports",
        data={"_csrf_token": csrf_token(files.text)},
        files={"file": ("catalog.csv", CSV.encode(), "text/csv")},
    )
    assert uploaded.status_code == 303, uploaded.text
    location = uploaded.headers["location"]
    import_id = UUID(location.rsplit("/", 1)[1])
    checking = await console.get(location, **HTMX)
    assert 'hx-trigger="every 1s"' in checking.text and "<progress" in checking.text
    imports = tenant.container.get(CatalogImports)
    view = await imports.get(tenant.admin_context, import_id)
    await imports.run_check(tenant.id, view.record.check_job_id)
    checked = await console.get(location, **HTMX)
    assert 'hx-trigger="every 1s"' not in checked.text  # done: the page stops polling
    assert "Row report" in checked.text
    assert re.search(r'<td class="num">3</td><td><code>list_price</code></td>', checked.text)
    assert "Import only the products without errors" in checked.text
    report = await console.get(f"{location}/errors?format=csv")
    assert report.status_code == 200 and "list_price" in report.text
    page = await console.get(location)
    committed = await console.post_form(
        location,
        f"{location}/commit",
        {
            "version": re.findall(r'name="version" value="(\d+)"', page.text)[0],
            "valid_only": "true",
        },
    )
    assert committed.status_code == 303, committed.text
    view = await imports.get(tenant.admin_context, import_id)
    assert view.commit_job is not None
    await imports.run_commit(tenant.id, view.commit_job.id)
    done = await console.get(location)
    assert "The import is done." in done.text
    found = await console.get("/console/catalog?q=A-1")
    assert "甲" in found.text


async def test_an_import_committed_with_errors_is_refused_with_the_message(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    files = await console.get(FILES)
    uploaded = await console.http.post(
        f"{FILES}/imports",
        data={"_csrf_token": csrf_token(files.text)},
        files={"file": ("catalog.csv", CSV.encode(), "text/csv")},
    )
    location = uploaded.headers["location"]
    imports = tenant.container.get(CatalogImports)
    view = await imports.get(tenant.admin_context, UUID(location.rsplit("/", 1)[1]))
    await imports.run_check(tenant.id, view.record.check_job_id)
    version = str(view.record.version + 1)
    refused = await console.post_form(location, f"{location}/commit", {"version": version})
    assert refused.status_code == 409
    assert message("import_has_errors", "en", count=1) in refused.text


async def test_an_export_is_downloaded_when_its_job_is_done(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await api_product(tenant, client, "EXP-1", "导出商品")
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    started = await console.post_form(FILES, f"{FILES}/exports", {"format": "csv"})
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    waiting = await console.get(location, **HTMX)
    assert 'hx-trigger="every 1s"' in waiting.text
    assert (await console.get(f"{location}/file")).status_code == 409  # not ready
    exports = tenant.container.get(CatalogExports)
    _, job = await exports.get(tenant.admin_context, UUID(location.rsplit("/", 1)[1]))
    assert job is not None
    await exports.run(tenant.id, job.id)
    ready = await console.get(location, **HTMX)
    assert 'hx-trigger="every 1s"' not in ready.text and "Download the CSV file" in ready.text
    download = await console.get(f"{location}/file")
    assert download.status_code == 200 and "导出商品" in download.content.decode("utf-8-sig")


async def test_a_role_without_import_sees_only_the_export(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "warehouse")
    files = await console.get(FILES)
    assert files.status_code == 200
    assert "Start the export" in files.text and 'name="file"' not in files.text
