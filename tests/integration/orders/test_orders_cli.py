"""``shopkeeper orders import`` as a real subprocess (ORD-9, CHN-2): a dry run takes
nothing, the import takes the file's orders through the channel intake with a progress
bar, a file with a bad row writes its report beside the file and takes nothing."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg

from application.orders.channels.intake import SetChannelSkuMapping
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env
from tests.e2e.orders.support import channel
from tests.integration.orders.conftest import caller, stocked_sku
from tests.support.databases import TestDatabase
from tests.support.processes import SHOPKEEPER


async def _shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(settings), "SHOPKEEPER_LANG": "en"}
    return await asyncio.to_thread(
        subprocess.run,
        [SHOPKEEPER, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
