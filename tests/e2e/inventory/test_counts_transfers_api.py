"""Stock counts (INV-4) and transfers (INV-5) over HTTP, end to end: blind entry (the
counter never sees a book quantity), stock moving during a count kept, the variance report
in quantity and value as JSON, CSV and XLSX, approval posting once; a transfer shipped and
received over two receipts with a damaged and a short quantity; the ledger check agreeing
afterwards."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import httpx

from adapters.files.tables import CsvXlsxTables
from application.inventory.stock.check import CheckLedger
from tests.conftest import TenantHandle
from tests.e2e.inventory.test_inventory_api import BASE, sku_of, warehouse

COUNTS = f"{BASE}/counts"
TRANSFERS = f"{BASE}/transfers"


async def figures(
    client: httpx.AsyncClient, headers: dict[str, str], sku: str, warehouse_id: str
) -> dict[str, int]:
    response = await client.get(
        f"{BASE}/stock", params={"skuId": sku, "warehouseId": warehouse_id}, headers=headers
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return dict(items[0]["figures"]) if items else {}


async def receive(
    client: httpx.AsyncClient, headers: dict[str, str], sku: str, where: str, n: int, cost: str
) -> None:
    body = {"skuId": sku, "warehouseId": where, "quantity": n, "unitCost": cost}
    response = await client.post(f"{BASE}/receipts", json=body, headers=headers)
    assert response.status_code == 201, response.text


def _no_book(value: Any) -> None:
    """Nothing a counter reads carries a book quantity or a variance."""
    text = str(value)
    for word in ("book", "variance", "onHand"):
        assert word not in text, value


async def _ledger_agrees(tenant: TenantHandle) -> None:
    assert await tenant.container.use_cases.query(tenant.admin_context, CheckLedger()) == []


async def test_a_blind_cycle_count_with_stock_moving_during_it_posts_once(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-4: blind entry, book snapshotted per line when counted, variance posted relative
    to the figure at posting, report in quantity and value (CSV, XLSX), approval once."""
    owner = await tenant.headers("owner")
    a, b = await sku_of(client, owner, "CNT-A"), await sku_of(client, owner, "CNT-B")
    main = await warehouse(client, owner, "CNT-MAIN")
    await receive(client, owner, a, main, 10, "2.50")
    await receive(client, owner, b, main, 5, "4")
    role = {"key": "counter", "name": "盘点员", "permissions": ["inventory:count"]}
    made = await client.post("/api/v1/roles", json=role, headers=owner)
    assert made.status_code == 201, made.text
    counter = await tenant.headers("counter")

    created = await client.post(
        COUNTS,
        json={"warehouse": "CNT-MAIN", "kind": "cycle", "skuIds": [a, b]},
        headers={**counter, "Idempotency-Key": "count-1"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "open" and created.headers["etag"] == '"v1"'
    url = created.headers["location"]
    assert (await client.post(f"{url}/start", headers=counter)).status_code == 428
    started = await client.post(f"{url}/start", headers={**counter, "If-Match": '"v1"'})
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "counting"
    assert (started.json()["lines"], started.json()["uncounted"]) == (2, 2)

    sheet = await client.get(f"{url}/sheet", headers=counter)
    assert sheet.status_code == 200, sheet.text
    assert {i["skuCode"] for i in sheet.json()["items"]} == {"CNT-A-A", "CNT-B-A"}
    assert all(i["counted"] is None for i in sheet.json()["items"])
    _no_book(sheet.json())
    # The counter finds 8 of A (2 missing)...
    entered = await client.post(
        f"{url}/entries", json={"lines": [{"skuId": a, "counted": 8}]}, headers=counter
    )
    assert entered.status_code == 200, entered.text
    assert entered.json()["uncounted"] == 1
    _no_book(entered.json())
    # ...then 3 of A ship (after A was counted) and 2 of B arrive (before B is counted).
    issued = {"skuId": a, "warehouseId": main, "quantity": 3}
    assert (await client.post(f"{BASE}/issues", json=issued, headers=owner)).status_code == 201
    await receive(client, owner, b, main, 2, "4")
    entered = await client.post(
        f"{url}/entries", json={"lines": [{"skuId": b, "counted": 7}]}, headers=counter
    )
    assert entered.json()["uncounted"] == 0
    stranger = await sku_of(client, owner, "CNT-X")
    refused = await client.post(
        f"{url}/entries", json={"lines": [{"skuId": stranger, "counted": 1}]}, headers=counter
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "sku_not_in_count"

    # The counter sees no book quantities anywhere: the supervisor's view needs inventory:read.
    assert (await client.get(f"{url}/variances", headers=counter)).status_code == 403
    sheet = await client.get(f"{url}/sheet", headers=counter)
    assert {i["skuId"]: i["counted"] for i in sheet.json()["items"]} == {a: 8, b: 7}
    _no_book(sheet.json())

    submitted = await client.post(f"{url}/submit", headers={**counter, "If-Match": '"v2"'})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    # Posting needs inventory:write besides inventory:count: the counter cannot post.
    denied = await client.post(f"{url}/approve", headers={**counter, "If-Match": '"v3"'})
    assert denied.status_code == 403

    report = await client.get(f"{url}/variances", headers=owner)
    assert report.status_code == 200, report.text
    lines = {li["skuId"]: li for li in report.json()["lines"]}
    assert (lines[a]["book"], lines[a]["counted"], lines[a]["variance"]) == (10, 8, -2)
    assert lines[a]["onHandNow"] == 7
    assert (lines[a]["unitCost"], lines[a]["value"]) == ("2.500000", "-5.00")
    assert (lines[b]["book"], lines[b]["counted"], lines[b]["variance"]) == (7, 7, 0)
    assert report.json()["totalValue"] == "-5.00" and report.json()["totalVariance"] == -2
    without_costs = await client.get(f"{url}/variances", headers=await tenant.headers("warehouse"))
    assert without_costs.json()["costsShown"] is False
    assert all(li["value"] is None for li in without_costs.json()["lines"])

    as_csv = await client.get(f"{url}/variances", params={"format": "csv"}, headers=owner)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["skuId", "skuCode", "book", "counted", "variance"]
    by_sku = {r[0]: r for r in rows[1:]}
    assert by_sku[a][2:5] == ["10", "8", "-2"] and by_sku[a][8] == "-5.00"
    assert rows[-1][1] == "total" and rows[-1][8] == "-5.00"
    as_xlsx = await client.get(f"{url}/variances", params={"format": "xlsx"}, headers=owner)
    assert as_xlsx.status_code == 200
    sheet_rows = CsvXlsxTables().read(as_xlsx.content, "xlsx")
    assert sheet_rows[0][:5] == rows[0][:5]
    assert {r[0]: r[2:5] for r in sheet_rows[1:-1]}[a] == ["10", "8", "-2"]

    approve = {**owner, "If-Match": '"v3"', "Idempotency-Key": "approve-1"}
    posted = await client.post(f"{url}/approve", headers=approve)
    assert posted.status_code == 200, posted.text
    assert posted.json()["count"]["status"] == "posted" and posted.json()["postedLines"] == 1
    replayed = await client.post(f"{url}/approve", headers=approve)
    assert replayed.headers.get("idempotent-replayed") == "true"
    titles = {
        "en": "This count is posted: that step is not possible now.",
        "zh-CN": "该盘点单当前为 posted 状态，不能执行此操作。",
        "zh-TW": "該盤點單目前為 posted 狀態，不能執行此操作。",
    }
    for language, title in titles.items():
        again = await client.post(
            f"{url}/approve", headers={**owner, "If-Match": '"v4"', "Accept-Language": language}
        )
        assert again.status_code == 409 and again.json()["code"] == "count_not_in_state"
        assert again.json()["title"] == title
    listed = (await client.get(COUNTS, headers=owner)).json()["items"]
    assert [(c["id"], c["status"]) for c in listed] == [(url.rsplit("/", 1)[1], "posted")]
    # A: 7 on hand at posting, minus the 2 the count found missing; B unchanged.
    assert (await figures(client, owner, a, main))["onHand"] == 5
    assert (await figures(client, owner, b, main))["onHand"] == 7
    ledger = await client.get(f"{BASE}/ledger", params={"skuId": a}, headers=owner)
    variances = [e for e in ledger.json()["items"] if e["kind"] == "count_variance"]
    assert len(variances) == 1 and variances[0]["changes"] == {"onHand": -2}
    assert variances[0]["sourceType"] == "stock_count"
    after = await client.get(f"{url}/variances", headers=owner)
    assert {li["skuId"]: li["posted"] for li in after.json()["lines"]} == {a: -2, b: None}
    await _ledger_agrees(tenant)


async def test_a_full_count_takes_found_goods_and_cancelling_posts_nothing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-4: a full count lists every SKU stocked in the warehouse and takes goods found
    that the books do not have; a cancelled count posts nothing."""
    owner = await tenant.headers("owner")
    a, found = await sku_of(client, owner, "FULL-A"), await sku_of(client, owner, "FULL-F")
    main = await warehouse(client, owner, "FULL-MAIN")
    await receive(client, owner, a, main, 4, "1")
    cycle = await client.post(COUNTS, json={"warehouseId": main, "kind": "cycle"}, headers=owner)
    assert cycle.status_code == 422
    assert cycle.json()["errors"][0]["code"] == "cycle_count_needs_scope"

    url = (
        await client.post(COUNTS, json={"warehouseId": main, "kind": "full"}, headers=owner)
    ).headers["location"]
    started = await client.post(f"{url}/start", headers={**owner, "If-Match": '"v1"'})
    assert started.json()["lines"] == 1
    body = {"lines": [{"skuId": a, "counted": 4}, {"skuId": found, "counted": 3}]}
    assert (await client.post(f"{url}/entries", json=body, headers=owner)).status_code == 200
    await client.post(f"{url}/submit", headers={**owner, "If-Match": '"v2"'})
    posted = await client.post(f"{url}/approve", headers={**owner, "If-Match": '"v3"'})
    assert posted.status_code == 200, posted.text
    assert posted.json()["postedLines"] == 1  # only the goods found; A matched
    assert (await figures(client, owner, found, main))["onHand"] == 3

    # A bin count lists the SKUs received into that bin.
    shelf = await client.post(
        f"{BASE}/warehouses/{main}/bins", json={"code": "A-01"}, headers=owner
    )
    assert shelf.status_code == 201, shelf.text
    binned = await sku_of(client, owner, "FULL-BIN")
    into_bin = {"skuId": binned, "warehouseId": main, "quantity": 2, "binId": shelf.json()["id"]}
    assert (await client.post(f"{BASE}/receipts", json=into_bin, headers=owner)).status_code == 201
    unknown_bin = {"warehouseId": main, "binIds": [found]}
    refused = await client.post(COUNTS, json=unknown_bin, headers=owner)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "unknown_bin"
    by_bin = await client.post(
        COUNTS, json={"warehouseId": main, "binIds": [shelf.json()["id"]]}, headers=owner
    )
    assert by_bin.status_code == 201, by_bin.text
    bin_url = by_bin.headers["location"]
    await client.post(f"{bin_url}/start", headers={**owner, "If-Match": '"v1"'})
    bin_sheet = await client.get(f"{bin_url}/sheet", headers=owner)
    assert [i["skuId"] for i in bin_sheet.json()["items"]] == [binned]

    other = (
        await client.post(COUNTS, json={"warehouseId": main, "kind": "full"}, headers=owner)
    ).headers["location"]
    await client.post(f"{other}/start", headers={**owner, "If-Match": '"v1"'})
    body = {"lines": [{"skuId": a, "counted": 0}]}
    await client.post(f"{other}/entries", json=body, headers=owner)
    cancelled = await client.post(f"{other}/cancel", headers={**owner, "If-Match": '"v2"'})
    assert cancelled.json()["status"] == "cancelled"
    assert (await figures(client, owner, a, main))["onHand"] == 4
    await _ledger_agrees(tenant)


async def test_scans_count_units_each_once_beside_the_entries(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#14 item 1: ``POST …/scans`` counts one unit (or ``quantity``) more of the SKU named
    by id or by its code, added in the database — two scans at once both count, a retried
    one (same Idempotency-Key) counts once — blind like the entries; a code the company
    does not have or a SKU named twice is a problem that counts nothing."""
    owner = await tenant.headers("owner")
    a = await sku_of(client, owner, "SCAN-A")
    main = await warehouse(client, owner, "SCAN-MAIN")
    await receive(client, owner, a, main, 9, "1")
    url = (
        await client.post(COUNTS, json={"warehouseId": main, "skuIds": [a]}, headers=owner)
    ).headers["location"]
    await client.post(f"{url}/start", headers={**owner, "If-Match": '"v1"'})
    at_once = await asyncio.gather(
        *(client.post(f"{url}/scans", json={"skuId": a}, headers=owner) for _ in range(2))
    )
    assert [r.status_code for r in at_once] == [200, 200], [r.text for r in at_once]
    assert sorted(r.json()["counted"] for r in at_once) == [1, 2]
    keyed = {**owner, "Idempotency-Key": "scan-1"}
    body = {"code": "SCAN-A-A", "quantity": 3}
    scanned = await client.post(f"{url}/scans", json=body, headers=keyed)
    again = await client.post(f"{url}/scans", json=body, headers=keyed)
    assert scanned.status_code == again.status_code == 200, scanned.text
    assert scanned.json() == again.json()
    assert scanned.json()["counted"] == 5 and scanned.json()["uncounted"] == 0
    _no_book(scanned.json())
    unknown = await client.post(f"{url}/scans", json={"code": "NO-SUCH"}, headers=owner)
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["errors"][0]["code"] == "unknown_sku_code"
    twice = await client.post(f"{url}/scans", json={"skuId": a, "code": "X"}, headers=owner)
    assert twice.status_code == 422 and twice.json()["errors"][0]["code"] == "given_twice"
    sheet = await client.get(f"{url}/sheet", headers=owner)
    assert [i["counted"] for i in sheet.json()["items"]] == [5]


async def test_a_transfer_shipped_and_received_in_two_receipts_with_discrepancies(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-5: request → ship (source on hand −, destination in transit +) → a partial
    receipt → a second receipt with a damaged (non-sellable) and a short (a discrepancy
    closing in transit) quantity; ETags and If-Match on every step; never negative."""
    owner = await tenant.headers("owner")
    a, b = await sku_of(client, owner, "TRF-A"), await sku_of(client, owner, "TRF-B")
    source = await warehouse(client, owner, "TRF-SRC")
    destination = await warehouse(client, owner, "TRF-DST")
    await receive(client, owner, a, source, 10, "3")
    await receive(client, owner, b, source, 4, "1.5")

    body = {
        "source": "TRF-SRC",
        "destinationId": destination,
        "lines": [{"skuId": a, "quantity": 6}, {"skuId": b, "quantity": 4}],
    }
    created = await client.post(
        TRANSFERS, json=body, headers={**owner, "Idempotency-Key": "transfer-1"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "requested" and created.json()["sourceId"] == source
    url = created.headers["location"]
    again = await client.post(
        TRANSFERS, json=body, headers={**owner, "Idempotency-Key": "transfer-1"}
    )
    assert again.headers.get("idempotent-replayed") == "true"
    assert (await client.post(f"{url}/ship", headers=owner)).status_code == 428
    assert (
        await client.post(f"{url}/ship", headers={**owner, "If-Match": '"v9"'})
    ).status_code == 412
    shipped = await client.post(f"{url}/ship", headers={**owner, "If-Match": '"v1"'})
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["status"] == "shipped" and shipped.headers["etag"] == '"v2"'
    assert (await figures(client, owner, a, source))["onHand"] == 4
    assert (await figures(client, owner, b, source))["onHand"] == 0
    assert (await figures(client, owner, a, destination))["inTransit"] == 6
    assert (await figures(client, owner, b, destination))["inTransit"] == 4
    assert (
        await client.post(f"{url}/cancel", headers={**owner, "If-Match": '"v2"'})
    ).status_code == 409

    too_many = {"lines": [{"skuId": a, "received": 7}]}
    over = await client.post(
        f"{url}/receipts",
        json=too_many,
        headers={**owner, "If-Match": '"v2"', "Accept-Language": "en"},
    )
    assert over.status_code == 409 and over.json()["code"] == "transfer_over_received"
    assert over.json()["title"] == "Line 1 has 6 unit(s) in transit; 7 were given."
    first = await client.post(
        f"{url}/receipts",
        json={"lines": [{"skuId": a, "received": 3}]},
        headers={**owner, "If-Match": '"v2"'},
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "partially_received"
    dst_a = await figures(client, owner, a, destination)
    assert (dst_a["onHand"], dst_a["inTransit"]) == (3, 3)
    second = await client.post(
        f"{url}/receipts",
        json={
            "lines": [
                {"skuId": a, "received": 1, "damaged": 1, "short": 1},
                {"skuId": b, "received": 4},
            ],
            "note": "one box crushed, one missing",
        },
        headers={**owner, "If-Match": '"v3"'},
    )
    assert second.status_code == 200, second.text
    done = second.json()
    assert done["status"] == "received" and len(done["receipts"]) == 2
    line_a = next(li for li in done["lines"] if li["skuId"] == a)
    assert (line_a["received"], line_a["damaged"], line_a["short"], line_a["outstanding"]) == (
        4,
        1,
        1,
        0,
    )
    dst_a = await figures(client, owner, a, destination)
    assert (dst_a["onHand"], dst_a["nonSellable"], dst_a["inTransit"]) == (4, 1, 0)
    assert (await figures(client, owner, b, destination))["onHand"] == 4
    listed = (await client.get(TRANSFERS, headers=owner)).json()["items"]
    assert [(t["id"], t["status"]) for t in listed] == [(done["id"], "received")]
    closed = await client.post(
        f"{url}/receipts",
        json={"lines": [{"skuId": a, "received": 1}]},
        headers={**owner, "If-Match": '"v4"'},
    )
    assert closed.status_code == 409 and closed.json()["code"] == "transfer_not_in_state"

    ledger = (await client.get(f"{BASE}/ledger", params={"skuId": a}, headers=owner)).json()
    kinds = [(e["kind"], e["warehouseId"], e["changes"]) for e in ledger["items"][1:]]
    assert kinds == [
        ("transfer_out", source, {"onHand": -6}),
        ("transfer_out", destination, {"inTransit": 6}),
        ("transfer_in", destination, {"onHand": 3, "inTransit": -3}),
        ("transfer_in", destination, {"onHand": 1, "nonSellable": 1, "inTransit": -3}),
    ]
    # INV-7: the source gives up the value of 6 units at 3.00 (costing's FIFO); what
    # arrives brings the same unit cost in: 3 sound, then 1 sound and 1 damaged.
    costs = [(e["kind"], e["unitCost"], e["costAmount"]) for e in ledger["items"][1:]]
    assert costs == [
        ("transfer_out", None, "-18.00"),
        ("transfer_out", "3.000000", None),  # into in transit: no value moves yet
        ("transfer_in", "3.000000", "9.00"),
        ("transfer_in", "3.000000", "6.00"),
    ]
    audit = await client.get(
        "/api/v1/audit", params={"entityId": url.rsplit("/", 1)[1]}, headers=owner
    )
    assert audit.status_code == 200, audit.text
    actions = {e["action"] for e in audit.json()["items"]}
    assert {
        "transfer.create",
        "transfer.ship",
        "transfer.receive",
        "transfer.discrepancy",
    } <= actions
    await _ledger_agrees(tenant)


async def test_transfers_refuse_what_is_not_there_a_closed_destination_and_late_cancels(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-5: shipping more than is available ships nothing (409 naming the SKU); a closed
    destination takes no transfer; a requested transfer can be cancelled."""
    owner = await tenant.headers("owner")
    a = await sku_of(client, owner, "TRX-A")
    source = await warehouse(client, owner, "TRX-SRC")
    destination = await warehouse(client, owner, "TRX-DST")
    await receive(client, owner, a, source, 2, "1")
    body = {
        "sourceId": source,
        "destinationId": destination,
        "lines": [{"skuId": a, "quantity": 3}],
    }
    url = (await client.post(TRANSFERS, json=body, headers=owner)).headers["location"]
    refused = await client.post(f"{url}/ship", headers={**owner, "If-Match": '"v1"'})
    assert refused.status_code == 409 and refused.json()["code"] == "insufficient_stock"
    assert (await figures(client, owner, a, source))["onHand"] == 2
    assert (await client.get(url, headers=owner)).json()["status"] == "requested"
    cancelled = await client.post(f"{url}/cancel", headers={**owner, "If-Match": '"v1"'})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    same = {**body, "destinationId": source}
    assert (await client.post(TRANSFERS, json=same, headers=owner)).status_code == 422

    closed = await client.get(f"{BASE}/warehouses/{destination}", headers=owner)
    await client.post(
        f"{BASE}/warehouses/{destination}/close",
        headers={**owner, "If-Match": closed.headers["etag"]},
    )
    into_closed = await client.post(
        TRANSFERS, json={**body, "lines": [{"skuId": a, "quantity": 1}]}, headers=owner
    )
    assert into_closed.status_code == 409 and into_closed.json()["code"] == "warehouse_closed"
    denied = await client.post(TRANSFERS, json=body, headers=await tenant.headers("marketing"))
    assert denied.status_code == 403
    await _ledger_agrees(tenant)
