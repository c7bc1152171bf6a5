"""Helpers of the console's fulfilment and after-sales tests: the console in English, a
wave planned over the API (an approved order of a SKU in bin A-01-03 with the simulated
carrier), htmx posts as the scan field sends them."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.fulfilment.support import BASE, approved_order, carrier, stocked

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Planned:
    barcode: str
    warehouse: str
    carrier: str
    order_number: str
    wave: str = ""


async def in_english(console: ConsoleClient) -> None:
    answer = await console.post_form(
        "/console", "/console/language", {"language": "en", "next": "/console"}
    )
    assert answer.status_code == 303, answer.text


async def approved(
    tenant: TenantHandle, client: httpx.AsyncClient, carrier_url: str, units: int = 2
) -> Planned:
    """An approved order of ``units`` waiting to be planned, and its carrier."""
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 10)
    code = await carrier(tenant, client, carrier_url)
    order = await approved_order(client, owner, (goods.sku, units))
    return Planned(goods.barcode, goods.warehouse, code, str(order["number"]))


async def planned(
    tenant: TenantHandle, client: httpx.AsyncClient, carrier_url: str, units: int = 2
) -> Planned:
    """As ``approved``, planned into a wave over the API."""
    goods = await approved(tenant, client, carrier_url, units)
    owner = await tenant.headers("owner")
    plan = {"carrier": goods.carrier, "warehouseId": goods.warehouse}
    answer = await client.post(f"{BASE}/waves/plan", json=plan, headers=owner)
    assert answer.status_code == 200, answer.text
    return Planned(**{**goods.__dict__, "wave": str(answer.json()[0]["id"])})


async def shipment_of(tenant: TenantHandle, client: httpx.AsyncClient, wave: str) -> str:
    owner = await tenant.headers("owner")
    answer = await client.get(f"{BASE}/waves/{wave}/shipments", headers=owner)
    assert answer.status_code == 200, answer.text
    return str(answer.json()[0]["id"])


async def htmx_post(
    console: ConsoleClient, page: str, action: str, form: dict[str, str]
) -> httpx.Response:
    """Post ``form`` as htmx does from ``page`` (its CSRF token in the header)."""
    token = csrf_token((await console.get(page)).text)
    return await console.http.post(action, data=form, headers={**HTMX, "X-CSRFToken": token})


def version_on(html: str) -> str:
    """The version a page's step forms carry (the record as the page showed it)."""
    return html.split('name="version" value="', maxsplit=1)[1].split('"', maxsplit=1)[0]
