"""The after-sales module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import BASE, open_case, paid_order, step
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.inventory.isolation_routes import _warehouse
from tests.e2e.orders.isolation_routes import _order
from tests.e2e.platform.isolation import EntityRoute, Maker

_ANY_ID = "01900000-0000-7000-8000-000000000000"


async def _case(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "10.00"))
    return str((await open_case(client, owner, order, "return_refund", (0, 1)))["id"])


async def _approved_case(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A return approved: its goods may be received."""
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "10.00"))
    case = await open_case(client, owner, order, "return_refund", (0, 1))
    return str((await step(client, owner, case, "approve"))["id"])


async def _refundable_case(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A refund-only case approved: its refund is due."""
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "10.00"))
    case = await open_case(client, owner, order, "refund_only", (0, 1))
    return str((await step(client, owner, case, "approve"))["id"])


async def _payment(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A payment of a paid order (what a refund's ``payment`` names)."""
    order = await paid_order(client, await tenant.headers("owner"), (1, "10.00"))
    return str(order["payments"][0]["id"])


_ROUTE = f"{BASE}/{{case_id:uuid}}"
ROUTES: dict[str, EntityRoute] = {
    _ROUTE: EntityRoute(_case),
    f"{_ROUTE}/approve": EntityRoute(_case, {"POST": {}}),
    f"{_ROUTE}/reject": EntityRoute(_case, {"POST": {"reason": "不符合条件"}}),
    f"{_ROUTE}/receipts": EntityRoute(
        _case, {"POST": {"warehouseId": _ANY_ID, "lines": [{"lineNo": 1, "resellable": 1}]}}
    ),
    f"{_ROUTE}/inspect": EntityRoute(_case, {"POST": {}}),
    f"{_ROUTE}/refunds": EntityRoute(
        _case, {"POST": {"paymentId": _ANY_ID, "amount": "1.00", "key": "RF-1"}}
    ),
    f"{_ROUTE}/complete": EntityRoute(_case, {"POST": {}}),
    f"{_ROUTE}/tracking": EntityRoute(_case, {"POST": {"trackingNo": "SF1234567890"}}),
    f"{_ROUTE}/insurance-claims": EntityRoute(
        _case, {"POST": {"amount": "8.00", "insurer": "运费险"}}
    ),
    f"{_ROUTE}/replenishment": EntityRoute(_case, {"POST": {}}),
}
LISTS = [BASE]
LIST_MAKERS: tuple[Maker, ...] = (_case,)

CONSOLE_CASE = "/console/aftersales/cases/{case_id:uuid}"
CONSOLE_ROUTES: dict[str, Maker | ConsoleRoute] = {
    CONSOLE_CASE: _case,
    **{f"{CONSOLE_CASE}/{step}": _case for step in ("approve", "reject", "inspect", "complete")},
    # The other company's payment is no payment of the case's order: the refund is refused
    # (409 payment_refused, unknown_payment), as for any payment not on it.
    f"{CONSOLE_CASE}/refunds": ConsoleRoute(
        _refundable_case,
        form={"payment": _payment},
        fields={"amount": "1.00", "key": "RF-ISO"},
        answers=(409,),
    ),
    f"{CONSOLE_CASE}/receipts": ConsoleRoute(
        _approved_case,
        form={"warehouse": _warehouse},
        fields={"line_no": ["1"], "resellable": ["1"], "damaged": ["0"]},
        page=CONSOLE_CASE,
    ),
    "/console/aftersales": ConsoleRoute(query={"order": _order}),
    # A valid case but for its order: the other company's order is not found (404), not
    # a refusal of the form's other fields.
    "/console/aftersales/new": ConsoleRoute(
        query={"order": _order},
        form={"order": _order},
        fields={"kind": "return_refund", "reason": "quality_issue"},
        answers=(404,),
    ),
}
