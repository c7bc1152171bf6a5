"""CRM-1 in the console: search customers (live, by name part, phone or email), register
one, read a profile with the customer's orders; personal data masked for a role without
``customers:read_pii``, and a refused registration says why in the page's language."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.console.catalog_support import api_channel
from tests.e2e.console.support import ConsoleClient, csrf_token


async def _register(console: ConsoleClient, name: str, phone: str) -> str:
    response = await console.post_form(
        "/console/customers/new",
        "/console/customers/new",
        {"name": name, "phone": phone, "email": "", "tags": "vip, 老客户"},
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_register_then_find_by_a_part_of_the_name(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "customer_service")
    profile = await _register(console, "张三丰", "13800138000")
    shown = await console.get(profile, **{"accept-language": "zh-CN"})
    assert "张三丰" in shown.text and "13800138000" in shown.text  # read_pii: in full
    assert "客户已创建" in shown.text  # the message left for the next page
    assert "老客户" in shown.text
    # Live search: htmx asks for the results only.
    results = await console.get(
        "/console/customers?q=三丰&by=name", **{"hx-request": "true", "hx-target": "results"}
    )
    assert results.status_code == 200
    assert "张三丰" in results.text and "<html" not in results.text
    by_phone = await console.get("/console/customers?q=138 0013 8000&by=phone")
    assert "张三丰" in by_phone.text


async def test_a_role_without_read_pii_sees_the_profile_masked(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "customer_service")
    profile = await _register(console, "李四", "13912345678")
    await console.http.post(
        "/console/logout",
        data={"_csrf_token": csrf_token((await console.get("/console")).text)},
    )
    await console.sign_in_as(tenant, "marketing")
    shown = await console.get(profile, **{"accept-language": "en"})
    assert shown.status_code == 200
    assert "13912345678" not in shown.text
    assert "139****5678" in shown.text
    assert "customers:read_pii" in shown.text  # says why it is masked
    listing = await console.get("/console/customers", **{"accept-language": "en"})
    assert "Register a customer" not in listing.text  # marketing may not register


async def test_a_refused_registration_shows_the_problem(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "customer_service")
    page = await console.get("/console/customers/new")
    response = await console.http.post(
        "/console/customers/new",
        data={"name": "王五", "phone": "not-a-phone", "_csrf_token": csrf_token(page.text)},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert response.status_code == 422
    assert response.headers["hx-retarget"] == "#feedback"
    assert "phone" in response.text
    empty = await console.get("/console/customers?q=王五&by=name")
    assert "王五" not in empty.text.split('id="results"')[1]  # nothing was registered


async def test_the_profile_shows_the_customers_order_figures(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    profile = await _register(console, "赵六", "13700001111")
    shown = await console.get(profile, **{"accept-language": "zh-CN"})
    assert "该客户还没有订单" in shown.text
    assert "订单总额" in shown.text


async def test_the_profile_names_the_source_channel(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await api_channel(tenant, client, "live_room", "抖音直播间")
    owner = await tenant.headers("owner")
    body = {"name": "钱七", "phone": "13700002222", "sourceChannel": "live_room"}
    made = (await client.post("/api/v1/customers", json=body, headers=owner)).json()
    await console.sign_in_as(tenant, "owner")
    shown = await console.get(f"/console/customers/{made['id']}", **{"accept-language": "zh-CN"})
    assert "<dd>抖音直播间</dd>" in shown.text and "live_room" not in shown.text  # not its code
