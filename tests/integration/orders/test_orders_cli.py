"""``shopkeeper orders import`` run in-process (ORD-9, CHN-2): a dry run takes
nothing, the import takes the file's orders through the channel intake with a progress
bar, a file with a bad row writes its report beside the file and takes nothing."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import asyncpg

from application.orders.channels.intake import SetChannelSkuMapping
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env
from tests.e2e.orders.support import BASE, RECEIVER, channel, order_body
from tests.integration.orders.conftest import caller, stocked_sku
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase


async def _shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(settings), "SHOPKEEPER_LANG": "en"}
    return await in_process(env, *args)


def _order(pid: str, quantity: Any) -> dict[str, Any]:
    return {
        "platformOrderId": pid,
        "subOrders": [
            {
                "subOrderId": f"{pid}-1",
                "channelSkuCode": "CLI-A",
                "quantity": quantity,
                "unitPrice": "12.00",
            }
        ],
        "receiver": {
            "name": "赵六",
            "phone": "13600002222",
            "province": "上海市",
            "city": "上海市",
            "district": "浦东新区",
            "address": "世纪大道 100 号",
        },
        "paidAmount": "12.00",
        "modifiedAt": "2026-11-11T00:00:00+08:00",
    }


async def test_orders_import_from_the_command_line_ord_9_chn_2(
    settings: Settings, tenant: TenantHandle, database: TestDatabase, tmp_path: Path
) -> None:
    owner = await tenant.headers("owner")
    code = f"cli_{uuid4().hex[:8]}"
    channel_id = await channel(tenant.client, owner, code)
    sku = await stocked_sku(tenant, 10, "12.00")
    await tenant.container.use_cases.run(
        caller(tenant), SetChannelSkuMapping(channel_id, "CLI-A", sku)
    )
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"orders": [_order("C-1", 1), _order("C-2", 1)]}))
    args = ("orders", "import", str(path), "--tenant", tenant.slug, "--channel", code)
    conn = await asyncpg.connect(database.owner_url)
    count = "SELECT count(*) FROM orders WHERE tenant_id = $1 AND channel_id = $2"
    try:
        dry = await _shopkeeper(settings, *args, "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "2 orders (2 new" in dry.stdout and "dry run" in dry.stdout
        assert await conn.fetchval(count, tenant.id, channel_id) == 0

        done = await _shopkeeper(settings, *args)
        assert done.returncode == 0, done.stderr
        assert "imported: 2 placed, 0 updated" in done.stdout
        assert "taking" in done.stderr  # the progress bar
        assert await conn.fetchval(count, tenant.id, channel_id) == 2

        path.write_text(json.dumps({"orders": [_order("C-3", "lots")]}))
        bad = await _shopkeeper(settings, *args)
        assert bad.returncode == 1
        assert "subOrders[0].quantity" in bad.stderr
        report = (tmp_path / "orders.json.errors.csv").read_text(encoding="utf-8-sig")
        assert "invalid_quantity" in report
        assert await conn.fetchval(count, tenant.id, channel_id) == 2
    finally:
        await conn.close()


async def test_rebuild_analytics_backfills_old_orders_idempotently_ord_10(
    settings: Settings, tenant: TenantHandle, database: TestDatabase
) -> None:
    """Orders placed before the rollups existed (no cells, no province in the clear, no
    due time): the command rebuilds them from the orders, as a job, and a second run gives
    the same figures."""
    client, owner = tenant.client, await tenant.headers("owner")
    sku = str(await stocked_sku(tenant, 20, "10.00"))
    beijing = {**RECEIVER, "address": {**RECEIVER["address"], "province": "北京市"}}
    placed = [
        await client.post(BASE, json=order_body((sku, n), receiver=r), headers=owner)
        for n, r in ((1, RECEIVER), (2, beijing), (3, beijing))
    ]
    assert all(p.status_code == 201 for p in placed), [p.text for p in placed]
    paid = await client.post(
        f"{BASE}/{placed[1].json()['id']}/payments",
        json={"method": "cash", "amount": "20.00"},
        headers=owner,
    )
    assert paid.status_code == 201, paid.text
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()

    async def figures() -> dict[str, Any]:
        found = await client.get(
            f"{BASE}/analytics", params={"from": today, "to": today}, headers=owner
        )
        assert found.status_code == 200, found.text
        body: dict[str, Any] = found.json()
        return {k: body[k] for k in ("totals", "byChannel", "byHour", "byProvince")}

    kept = await figures()
    assert {p["province"]: p["orders"] for p in kept["byProvince"]} == {"北京市": 2, "浙江省": 1}
    conn = await asyncpg.connect(database.owner_url)
    try:  # as the orders stood before migration 0019
        await conn.execute(
            "UPDATE orders SET province = '', due_at = NULL WHERE tenant_id = $1", tenant.id
        )
        await conn.execute("DELETE FROM order_rollups WHERE tenant_id = $1", tenant.id)
        assert (await figures())["totals"]["orders"] == 0
        args = ("orders", "rebuild-analytics", "--tenant", tenant.slug)
        for _ in range(2):  # the second run gives the same figures
            rebuilt = await _shopkeeper(settings, *args)
            assert rebuilt.returncode == 0, rebuilt.stderr
            assert "rebuilding" in rebuilt.stderr and "3 orders read" in rebuilt.stdout
            assert await figures() == kept
        provinces = await conn.fetch(
            "SELECT DISTINCT province FROM orders WHERE tenant_id = $1", tenant.id
        )
        assert {r["province"] for r in provinces} == {"北京市", "浙江省"}
        job_id = rebuilt.stdout.split()[1].rstrip(":")
    finally:
        await conn.close()
    job = await client.get(f"/api/v1/jobs/{job_id}", headers=owner)
    assert job.status_code == 200, job.text
    assert (job.json()["status"], job.json()["done"], job.json()["kind"]) == (
        "succeeded",
        3,
        "orders.rollups_backfill",
    )


async def test_orders_review_waiting_from_the_command_line_ord_1(
    settings: Settings, tenant: TenantHandle
) -> None:
    """``shopkeeper orders review-waiting`` runs the job here with a progress bar."""
    owner, client = await tenant.headers("owner"), tenant.client
    sku = str(await stocked_sku(tenant, 20, "10.00"))
    for _ in range(2):  # cash on delivery: awaiting review at once, no rules yet
        placed = await client.post(
            BASE, json=order_body((sku, 1), cashOnDelivery=True), headers=owner
        )
        assert placed.json()["status"] == "awaiting_review", placed.text
    rules = [{"id": "ok", "name": "自动审核", "priority": 1, "actions": [{"kind": "approve"}]}]
    saved = await client.put(
        f"{BASE}/rules", json={"rules": rules}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    ran = await _shopkeeper(settings, "orders", "review-waiting", "--tenant", tenant.slug)
    assert ran.returncode == 0, ran.stderr
    assert "reviewing" in ran.stderr and "2 orders awaiting review reviewed" in ran.stdout
    listed = await client.get(BASE, params={"status": "approved"}, headers=owner)
    assert len(listed.json()["items"]) == 2, listed.text
