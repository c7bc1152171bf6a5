"""PLT-8 for inventory (INV-1..INV-7 in the console): stock by warehouse and SKU, receiving
stock by code or barcode, a SKU's ledger with running figures, counts with blind entry and
scanning, transfers shipped and received, alerts, the valuation and settings → warehouses —
each run by the module's use cases, each refusal shown in the page's language, each page
and action kept from a role without its permission."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx

from application.inventory.stock.movements import ReceiveStock
from domain.inventory.count import CountKind
from domain.inventory.warehouse import WarehouseKind
from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.inventory_support import Stocked, a_sku_and_warehouses
from tests.e2e.console.support import ConsoleClient

STOCK = "/console/inventory"
RECEIVE = "/console/inventory/receive"


async def receive(
    console: ConsoleClient, stocked: Stocked, quantity: str, sku: str | None = None, **more: str
) -> httpx.Response:
    form = {"warehouse": stocked.warehouse, "sku": sku or stocked.sku, "quantity": quantity}
    return await console.post_form(RECEIVE, RECEIVE, form | more)


def row_of(html: str, code: str) -> str:
    """The stock table's row of ``code`` (its cells' text, tags dropped)."""
    found = re.search(rf"<tr>\s*<td><a [^>]*>{re.escape(code)}</a></td>(.*?)</tr>", html, re.S)
    assert found, f"no row for {code}"
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())


async def test_received_stock_shows_on_the_stock_page_with_every_figure(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    done = await receive(console, stocked, "12", unit_cost="3.50")
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"{STOCK}?sku={stocked.sku}"
    by_barcode = await receive(console, stocked, "3", sku=stocked.barcode)
    assert by_barcode.status_code == 303, by_barcode.text
    page = await console.get(done.headers["location"])
    assert page.status_code == 200
    assert "15" in page.text  # the flash: received, 15 on hand
    # on hand, reserved, pick locked, in transit, on order, non-sellable, available
    assert row_of(page.text, stocked.sku).startswith(f"{stocked.warehouse} 15 0 0 0 0 0 15")
    filtered = await console.get(f"{STOCK}?warehouse={stocked.other}&sku={stocked.sku}")
    assert stocked.sku not in filtered.text.split('id="stock-table"')[1]
    live = await console.get(f"{STOCK}?sku={stocked.barcode}", **{"HX-Request": "true"})
    assert live.text.lstrip().startswith('<div id="stock-table">')  # the table alone
    assert stocked.sku in live.text


async def test_a_refused_receipt_says_why_in_the_pages_language_and_changes_nothing(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    await console.post_form(STOCK, "/console/language", {"language": "zh-TW", "next": STOCK})
    refused = await receive(console, stocked, "-3")
    assert refused.status_code == 422
    assert 'lang="zh-TW"' in refused.text
    assert message("must_be_positive", "zh-TW") in refused.text
    unknown = await receive(console, stocked, "1", sku="NO-SUCH-SKU")
    assert unknown.status_code == 422
    assert message("unknown_sku_code", "zh-TW", sku="NO-SUCH-SKU") in unknown.text
    page = await console.get(f"{STOCK}?sku={stocked.sku}")
    assert message("inventory.no_stock", "zh-TW") in page.text  # nothing was received


async def test_a_role_without_inventory_write_sees_stock_but_no_receive_form(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "customer_service")
    page = await console.get(STOCK)
    assert page.status_code == 200
    assert RECEIVE not in page.text and "/console/inventory/valuation" not in page.text
    forbidden = await console.get(RECEIVE)
    assert forbidden.status_code == 403
    assert "inventory:write" in forbidden.text
    home = await console.get("/console")
    posted = await console.http.post(
        RECEIVE,
        data={
            "warehouse": stocked.warehouse,
            "sku": stocked.sku,
            "quantity": "5",
            "_csrf_token": re.findall(r'name="_csrf_token" value="([^"]+)"', home.text)[0],
        },
    )
    assert posted.status_code == 403
    assert "/console/settings/warehouses" in home.text  # the list needs inventory:read only
    settings = await console.get("/console/settings/warehouses")
    assert (
        stocked.warehouse in settings.text
        and 'method="post"' not in settings.text.split("<main")[1]
    )
    assert (await console.get("/console/inventory/valuation")).status_code == 403


async def test_the_ledger_lists_movements_with_running_figures_and_documents(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    await receive(console, stocked, "10")
    await receive(console, stocked, "4", reason="补货")
    ledger = await console.get(f"/console/inventory/ledger?sku={stocked.barcode}")
    assert ledger.status_code == 200
    cells = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in ledger.text.split("<tr>")[2:]]
    assert len(cells) == 2
    assert cells[0].endswith("10 10") and "receipt" in cells[0]
    assert cells[1].endswith("14 14") and "补货" in cells[1]
    for _ in range(49):  # 51 rows: the second page holds the last
        await tenant.container.use_cases.run(
            tenant.admin_context, ReceiveStock(uuid.UUID(stocked.sku_id), stocked.warehouse, 1)
        )
    first = await console.get(f"/console/inventory/ledger?sku={stocked.sku}")
    following = re.findall(r'href="(/console/inventory/ledger\?[^"]+)"', first.text)
    assert len(following) == 1 and "carry" not in following[0]
    second = await console.get(following[0].replace("&amp;", "&"))
    rows = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in second.text.split("<tr>")[2:]]
    assert len(rows) == 1 and rows[0].endswith("63 63")  # 10 + 4 + 49, from the server
    stock = await console.get(f"{STOCK}?sku={stocked.sku}")
    assert row_of(stock.text, stocked.sku).startswith(f"{stocked.warehouse} 63 ")
    # a figure the client sends is not taken: the page has no such parameter any more
    tampered = await console.get(f"{following[0].replace('&amp;', '&')}&carry=5,0,0,0,0,0")
    assert "63 63" in " ".join(re.sub(r"<[^>]+>", " ", tampered.text).split())


async def test_a_blind_count_is_created_entered_by_scan_and_by_hand_submitted_and_posted(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    await receive(console, stocked, "12")
    counts = "/console/inventory/counts"
    created = await console.post_form(
        counts, counts, {"warehouse": stocked.warehouse, "kind": "cycle", "skus": stocked.sku}
    )
    assert created.status_code == 303, created.text
    count = created.headers["location"]
    shown = await console.get(count)
    assert "user:" not in shown.text.split("<main")[1]  # who opened it by name, not a raw id
    version = re.findall(r'name="version" value="(\d+)"', shown.text)[0]
    started = await console.post_form(count, f"{count}/start", {"version": version})
    assert started.headers["location"] == f"{count}/entry"
    entry = await console.get(f"{count}/entry")
    assert "data-scan" in entry.text and stocked.sku in entry.text
    field = re.findall(r'name="(counted\.[0-9a-f-]+)"[^>]*value=""', entry.text)
    assert len(field) == 1  # blind: nothing filled in, no book quantity
    # two scanners at once: each scan is added in the database, neither is lost (#14)
    at_once = await asyncio.gather(
        *(
            console.post_form(f"{count}/entry", f"{count}/scan", {"code": stocked.barcode})
            for _ in range(2)
        )
    )
    assert [r.status_code for r in at_once] == [303, 303], [r.text for r in at_once]
    after_scans = await console.get(f"{count}/entry")
    assert f'name="{field[0]}"' in after_scans.text and 'value="2"' in after_scans.text
    unknown = await console.post_form(f"{count}/entry", f"{count}/scan", {"code": "NO-SUCH"})
    assert unknown.status_code == 422
    assert message("unknown_sku_code", "zh-CN", sku="NO-SUCH") in unknown.text
    assert 'value="2"' in (await console.get(f"{count}/entry")).text  # nothing counted
    entered = await console.post_form(f"{count}/entry", f"{count}/entry", {field[0]: "10"})
    assert entered.status_code == 303, entered.text
    negative = await console.post_form(f"{count}/entry", f"{count}/entry", {field[0]: "-1"})
    assert negative.status_code == 422
    tampered = await console.post_form(f"{count}/entry", f"{count}/entry", {"counted.x": "1"})
    assert tampered.status_code == 422  # a field naming no SKU id (web/forms.by_id)
    shown = await console.get(count)
    version = re.findall(r'name="version" value="(\d+)"', shown.text)[0]
    submitted = await console.post_form(count, f"{count}/submit", {"version": version})
    assert submitted.status_code == 303, submitted.text
    report = await console.get(count)
    assert re.search(r"<strong>-2</strong>", report.text)  # 10 counted, 12 on the book
    version = re.findall(r'name="version" value="(\d+)"', report.text)[0]
    posted = await console.post_form(count, f"{count}/approve", {"version": version})
    assert posted.status_code == 303, posted.text
    stock = await console.get(f"{STOCK}?sku={stocked.sku}")
    assert row_of(stock.text, stocked.sku).startswith(f"{stocked.warehouse} 10 ")


async def test_a_stale_step_is_refused_with_the_problems_message(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    counts = "/console/inventory/counts"
    created = await console.post_form(
        counts, counts, {"warehouse": stocked.warehouse, "kind": "full"}
    )
    count = created.headers["location"]
    stale = await console.post_form(count, f"{count}/start", {"version": "99"})
    assert stale.status_code in (409, 412)
    assert "count_open" not in stale.text and "<h1" in stale.text


async def test_a_transfer_is_requested_shipped_and_received(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    await receive(console, stocked, "8")
    transfers = "/console/inventory/transfers"
    form = {
        "source": stocked.warehouse,
        "destination": stocked.other,
        "sku": stocked.sku,
        "quantity": "5",
    }
    created = await console.post_form(transfers, transfers, form)
    assert created.status_code == 303, created.text
    transfer = created.headers["location"]
    shown = await console.get(transfer)
    assert "user:" not in shown.text.split("<main")[1]  # who asked by name, not a raw id
    version = re.findall(r'name="version" value="(\d+)"', shown.text)[0]
    shipped = await console.post_form(transfer, f"{transfer}/ship", {"version": version})
    assert shipped.status_code == 303, shipped.text
    in_transit = await console.get(f"{STOCK}?sku={stocked.sku}&warehouse={stocked.other}")
    assert row_of(in_transit.text, stocked.sku).startswith(f"{stocked.other} 0 0 0 5 ")
    shown = await console.get(transfer)
    version = re.findall(r'name="version" value="(\d+)"', shown.text)[0]
    field = re.findall(r'name="(received\.[0-9a-f-]+)"', shown.text)[0]
    damaged = field.replace("received.", "damaged.")
    received = await console.post_form(
        transfer, f"{transfer}/receipts", {"version": version, field: "4", damaged: "1"}
    )
    assert received.status_code == 303, received.text
    done = await console.get(transfer)
    assert message("inventory.transfer_received", "zh-CN") in done.text
    arrived = await console.get(f"{STOCK}?sku={stocked.sku}&warehouse={stocked.other}")
    assert row_of(arrived.text, stocked.sku).startswith(f"{stocked.other} 4 0 0 0 0 1 4")


async def test_alerts_list_what_crossed_a_threshold(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    owner = await tenant.headers("owner")
    warehouses = await client.get("/api/v1/inventory/warehouses", headers=owner)
    warehouse_id = next(
        w["id"] for w in warehouses.json()["items"] if w["code"] == stocked.warehouse
    )
    threshold = await client.put(
        f"/api/v1/inventory/warehouses/{warehouse_id}/thresholds/{stocked.sku_id}",
        json={"low": 5, "high": None},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert threshold.status_code == 200, threshold.text
    await console.sign_in_as(tenant, "warehouse")
    await receive(console, stocked, "2")
    alerts = await console.get("/console/inventory/alerts")
    assert alerts.status_code == 200
    assert stocked.sku in alerts.text
    assert message("inventory.alert_low", "zh-CN") in alerts.text
    resolved = await console.get("/console/inventory/alerts?status=resolved")
    assert stocked.sku not in resolved.text.split("</h1>")[1]


async def test_the_valuation_shows_values_and_their_total(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    await receive(console, stocked, "4", unit_cost="2.50")
    page = await console.get(f"/console/inventory/valuation?warehouse={stocked.warehouse}")
    assert page.status_code == 200
    assert stocked.sku in page.text
    assert page.text.count("10.00") >= 2  # the level's value and the total


async def test_settings_open_a_warehouse_and_refuse_a_code_taken(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await console.sign_in_as(tenant, "owner")
    place = "/console/settings/warehouses"
    home = await console.get("/console")
    assert place in home.text  # the menu entry
    form = {"code": "GZ-01", "name": "广州仓", "kind": "returns", "region": "广东"}
    opened = await console.post_form(place, place, form)
    assert opened.status_code == 303, opened.text
    page = await console.get(place)
    assert "GZ-01" in page.text and "广州仓" in page.text
    assert message("inventory.warehouse_opened", "zh-CN", warehouse="GZ-01") in page.text
    again = await console.post_form(place, place, form)
    assert again.status_code == 409
    assert message("warehouse_code_taken", "zh-CN") in again.text
    # a kind not offered: the kinds there are, said as a list (own、third_party…和virtual)
    odd = await console.post_form(place, place, {**form, "code": "GZ-02", "kind": "mine"})
    assert odd.status_code == 422
    kinds = [kind.value for kind in WarehouseKind]
    assert f"{'、'.join(kinds[:-1])}和{kinds[-1]}" in odd.text


async def test_a_count_of_a_kind_not_offered_names_the_kinds_as_a_list(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    stocked = await a_sku_and_warehouses(tenant, client)
    await console.sign_in_as(tenant, "owner")
    counts = "/console/inventory/counts"
    odd = await console.post_form(counts, counts, {"warehouse": stocked.warehouse, "kind": "all"})
    assert odd.status_code == 422
    kinds = [kind.value for kind in CountKind]
    assert f"{'、'.join(kinds[:-1])}和{kinds[-1]}" in odd.text
