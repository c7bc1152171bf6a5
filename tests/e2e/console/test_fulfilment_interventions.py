"""LOG-1 in the console (PLT-8) when a parcel cannot go as planned: a short pick (the units
there are; the parcel ships those), an interception before dispatch (stock back, order
cancelled) and after it (the carrier asked; refused while the carrier has not picked the
parcel up), a report to the sales channel again (not taken while the marketplace fails,
then taken) — each offered only while the parcel's status allows it and to a role
that may, each refusal in the problem's words, each change said after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest

from application.fulfilment.scanning import GetShipment
from domain.fulfilment.shipment import Shipment
from tests.conftest import TenantHandle
from tests.e2e.console.fulfilment_support import in_english, planned, shipment_of, version_on
from tests.e2e.console.support import ConsoleClient
from tests.e2e.fulfilment.support import BASE, figures
from tests.integration.fulfilment.parcels import marketplace_parcel, through
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier, simulated_carrier
from tests.support.marketplace import RunningMarketplace, simulated_marketplace

PARCELS = "/console/fulfilment/shipments"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


@pytest.fixture(scope="module")
def market() -> Iterator[RunningMarketplace]:
    with simulated_marketplace() as running:
        yield running


async def _shipment(client: httpx.AsyncClient, owner: dict[str, str], shipment: str) -> Any:
    answer = await client.get(f"{BASE}/shipments/{shipment}", headers=owner)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _picked(
    tenant: TenantHandle, client: httpx.AsyncClient, wave: str, code: str
) -> Shipment:
    """The wave picked whole over the API: its one parcel."""
    owner = await tenant.headers("owner")
    picks = f"{BASE}/waves/{wave}/picks"
    picked = await client.post(picks, json={"code": code, "quantity": 1}, headers=owner)
    assert picked.status_code == 200, picked.text
    shipment = UUID(await shipment_of(tenant, client, wave))
    return await tenant.container.use_cases.query(caller(tenant), GetShipment(shipment))


async def test_a_short_pick_ships_the_units_there_are(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url, units=3)
    owner = await tenant.headers("owner")
    shipment = await shipment_of(tenant, client, goods.wave)
    line = (await _shipment(client, owner, shipment))["lines"][0]["lineId"]
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    wave = await console.get(f"/console/fulfilment/waves/{goods.wave}")
    assert f'href="{PARCELS}/{shipment}#short"' in wave.text
    page = f"{PARCELS}/{shipment}"
    shown = await console.get(page)
    assert f'action="{page}/short"' in shown.text and f'value="{line}"' in shown.text
    version = version_on(shown.text)

    blank = {"version": version, "line": line, "units": ""}  # every line left full
    none = await console.post_form(page, f"{page}/short", blank)
    assert none.status_code == 422 and "at least one line with fewer units" in none.text
    full = {"version": version, "line": line, "units": "3"}
    refused = await console.post_form(page, f"{page}/short", full)
    assert refused.status_code == 422 and "fewer units than it holds" in refused.text
    stale = await console.post_form(page, f"{page}/short", {**full, "version": "99", "units": "2"})
    assert stale.status_code == 412 and "Someone changed this record" in stale.text
    assert len((await _shipment(client, owner, shipment))["lines"]) == 1
    assert (await _shipment(client, owner, shipment))["lines"][0]["quantity"] == 3

    short = await console.post_form(page, f"{page}/short", {**full, "units": "2"})
    assert short.status_code == 303 and short.headers["location"] == page
    shown = await console.get(page)
    assert "Short pick recorded: the parcel ships 2 unit(s)" in shown.text
    assert "0</span> / 2" in shown.text
    stored = await _shipment(client, owner, shipment)
    assert stored["lines"][0]["quantity"] == 2 and stored["status"] == "picking"
    picks = (await client.get(f"{BASE}/waves/{goods.wave}", headers=owner)).json()["lines"]
    assert [p["quantity"] for p in picks] == [2]


async def test_interception_before_dispatch_gives_the_stock_back(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    owner = await tenant.headers("owner")
    sku = (await client.get(f"{BASE}/waves/{goods.wave}", headers=owner)).json()["lines"][0]
    shipment = await shipment_of(tenant, client, goods.wave)
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    page = f"{PARCELS}/{shipment}"
    shown = await console.get(page)
    assert "its stock goes back and its order is cancelled" in shown.text
    form = {"version": version_on(shown.text), "reason": "买家申请退款"}
    stopped = await console.post_form(page, f"{page}/intercept", form)
    assert stopped.status_code == 303
    shown = await console.get(page)
    assert f"Parcel stopped: its stock is back and order {goods.order_number}" in shown.text
    assert f'action="{page}/intercept"' not in shown.text
    assert f'action="{page}/short"' not in shown.text
    stock = await figures(client, owner, sku["skuId"])
    assert (stock["pickLocked"], stock["available"]) == (0, 10)
    current = str((await _shipment(client, owner, shipment))["version"])
    again = await console.post_form(page, f"{page}/intercept", {**form, "version": current})
    assert again.status_code == 409 and "while it is intercepted" in again.text


async def test_interception_after_dispatch_asks_the_carrier(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url, units=1)
    owner = await tenant.headers("owner")
    picked = await _picked(tenant, client, goods.wave, goods.barcode)
    parcel = await through(caller(tenant), tenant, picked, goods.barcode)
    shipment = str(parcel.id)
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    page = f"{PARCELS}/{shipment}"
    shown = await console.get(page)
    assert "its carrier is asked to stop it" in shown.text
    assert f'action="{page}/short"' not in shown.text  # shipped: too late for a short pick
    form = {"version": version_on(shown.text), "reason": "buyer refunded"}
    early = await console.post_form(page, f"{page}/intercept", form)  # still at the depot
    assert early.status_code == 409 and "refused the request: not_picked_up" in early.text
    assert (await _shipment(client, owner, shipment))["status"] == "shipped"
    sim.control.post("/sim/clock", json={"advance": 90})  # the carrier has picked it up
    asked = await console.post_form(page, f"{page}/intercept", form)
    assert asked.status_code == 303
    shown = await console.get(page)
    assert f"The carrier is asked to stop parcel {parcel.tracking_no}" in shown.text
    assert f'action="{page}/intercept"' not in shown.text
    stored = await _shipment(client, owner, shipment)
    assert stored["status"] == "interception_requested"


async def test_report_to_the_channel_again_once_it_answers(
    tenant: TenantHandle,
    console: ConsoleClient,
    sim: RunningCarrier,
    market: RunningMarketplace,
) -> None:
    parcel = await marketplace_parcel(tenant, sim, market)
    market.control.post("/sim/faults", json={"errorRate": 1.0}).raise_for_status()
    try:
        shipped = await through(caller(tenant), tenant, parcel.shipment, parcel.goods.barcode)
    finally:
        market.control.post("/sim/faults", json={"errorRate": 0.0}).raise_for_status()
    assert shipped.channel_reported is False
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    page = f"{PARCELS}/{shipped.id}"
    shown = await console.get(page)
    assert "Not told (1 failed attempt(s))" in shown.text and "next try" in shown.text
    stale = await console.post_form(page, f"{page}/report", {"version": "1"})
    assert stale.status_code == 412
    market.control.post("/sim/faults", json={"errorRate": 1.0}).raise_for_status()
    try:
        form = {"version": version_on(shown.text)}
        failed = await console.post_form(page, f"{page}/report", form)
    finally:
        market.control.post("/sim/faults", json={"errorRate": 0.0}).raise_for_status()
    assert failed.status_code == 303
    shown = await console.get(page)
    assert "The sales channel did not take it; it will be tried again." in shown.text
    assert "Not told (1 failed attempt(s))" in shown.text  # re-armed: counted from one
    told = await console.post_form(page, f"{page}/report", {"version": version_on(shown.text)})
    assert told.status_code == 303
    shown = await console.get(page)
    assert "The sales channel has the shipment now." in shown.text
    assert f'action="{page}/report"' not in shown.text and ">Told<" in shown.text
    confirmations = market.control.get(f"/sim/shops/{parcel.shop}/shipments").json()
    assert len(confirmations["shipments"]) == 1
    again = await console.post_form(page, f"{page}/report", {"version": version_on(shown.text)})
    assert again.status_code == 409 and "nothing to report again" in again.text


async def test_a_picker_may_short_pick_but_not_intercept(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    picker = ["fulfilment:read", "fulfilment:pick"]
    role = {"key": "picker", "name": "Picker", "permissions": picker}
    made = await client.post("/api/v1/roles", json=role, headers=await tenant.headers("owner"))
    assert made.status_code == 201, made.text
    shipment = await shipment_of(tenant, client, goods.wave)
    await console.sign_in_as(tenant, "picker")
    await in_english(console)
    page = f"{PARCELS}/{shipment}"
    shown = await console.get(page)
    assert f'action="{page}/short"' in shown.text
    assert f'action="{page}/intercept"' not in shown.text
    form = {"version": version_on(shown.text), "reason": "x"}
    refused = await console.post_form(page, f"{page}/intercept", form)
    assert refused.status_code == 403 and "fulfilment:ship" in refused.text


async def test_customer_service_intercepts_a_parcel_it_may_not_pick(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    owner = await tenant.headers("owner")
    shipment = await shipment_of(tenant, client, goods.wave)
    await console.sign_in_as(tenant, "customer_service")
    await in_english(console)
    home = await console.get("/console")
    assert 'href="/console/fulfilment"' in home.text
    waves = await console.get("/console/fulfilment")
    assert waves.status_code == 200 and 'action="/console/fulfilment/waves/plan"' not in waves.text
    wave = await console.get(f"/console/fulfilment/waves/{goods.wave}")
    assert wave.status_code == 200 and f'href="{PARCELS}/{shipment}"' in wave.text
    assert "/picks" not in wave.text  # no pick scan field without fulfilment:pick
    page = f"{PARCELS}/{shipment}"
    shown = await console.get(page)
    assert shown.status_code == 200 and f'action="{page}/intercept"' in shown.text
    assert f'action="{page}/short"' not in shown.text
    assert f'action="{page}/verify"' not in shown.text
    form = {"version": version_on(shown.text), "reason": "买家申请退款"}
    stopped = await console.post_form(page, f"{page}/intercept", form)
    assert stopped.status_code == 303
    shown = await console.get(page)
    assert f"Parcel stopped: its stock is back and order {goods.order_number}" in shown.text
    assert (await _shipment(client, owner, shipment))["status"] == "intercepted"
