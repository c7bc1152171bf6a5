"""``shopkeeper inventory serial`` and ``expiring`` run in-process (INV-8): a
support engineer sees where a serial is and what moved it, and the stock about to
expire, as the platform role, recorded in the operator audit."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from application.inventory.batches.queries import ListExpiringStock
from application.inventory.stock.movements import IssueStock
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, cli_env
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.integration.inventory.test_batches import managed, receive
from tests.support.cli import shopkeeper as in_process


async def shopkeeper(settings: Settings, *arguments: str) -> subprocess.CompletedProcess[str]:
    return await in_process({**cli_env(settings), "SHOPKEEPER_LANG": "en"}, "inventory", *arguments)


async def test_a_serials_history_and_expiring_stock_from_the_command_line(
    tenant: TenantHandle, make_skus: MakeSkus, settings: Settings
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "MAIN")
    await managed(tenant, sku, serials=True)
    uses, ctx = tenant.container.use_cases, caller(tenant)
    today = (await uses.query(ctx, ListExpiringStock(within_days=0))).today
    await receive(tenant, sku, main, 2, "LOT-7", today + timedelta(days=3), ("SN-1", "SN-2"))
    await uses.run(ctx, IssueStock(sku, main, 1, serials=("SN-1",)))
    found = await shopkeeper(settings, "serial", "SN-1", "--tenant", tenant.slug, "--sku", str(sku))
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0].startswith(f"SN-1: issued, warehouse {main} batch ")
    assert [line.split()[2] for line in lines[1:]] == ["receipt", "issue"]
    soon = await shopkeeper(settings, "expiring", "--tenant", tenant.slug, "--days", "7")
    assert soon.returncode == 0, soon.stderr
    (row,) = soon.stdout.splitlines()[2:]
    assert row.split()[1:] == ["MAIN", "LOT-7", str(today + timedelta(days=3)), "1", "3"]
