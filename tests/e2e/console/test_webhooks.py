"""CHN-3 in the console: an endpoint added (its signing secret shown once), its delivery
log with each delivery's attempts and payload, a delivery sent again, a bad subscription
refused with the problem's message, the endpoint deleted."""

from __future__ import annotations

import re

from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.webhooks.isolation_routes import _webhook_delivery

HOOKS = "/console/settings/webhooks"


async def test_an_endpoint_is_added_with_its_secret_shown_once(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    made = await console.post_form(
        HOOKS,
        HOOKS,
        {
            "url": "https://hooks.example.com/erp",
            "event_types": "order.*, product.updated",
            "description": "ERP",
        },
    )
    assert made.status_code == 200
    secret = re.search(r'id="new-secret" readonly value="([^"]+)"', made.text)
    assert secret and secret[1].startswith("whsec_")
    listing = await console.get(HOOKS)
    assert "ERP" in listing.text and secret[1] not in listing.text
    endpoint = re.search(r"/console/settings/webhooks/([0-9a-f-]{36})", listing.text)
    assert endpoint
    shown = await console.get(endpoint[0], **{"accept-language": "en"})
    assert "order.*" in shown.text and "No deliveries." in shown.text
    version = re.search(r'name="version" value="(\d+)"', shown.text)
    assert version
    deleted = await console.http.post(
        f"{endpoint[0]}/delete",
        data={"version": version[1], "_csrf_token": csrf_token(shown.text)},
    )
    assert deleted.status_code == 303
    assert "ERP" not in (await console.get(HOOKS)).text


async def test_a_bad_subscription_is_refused(console: ConsoleClient, tenant: TenantHandle) -> None:
    await console.sign_in_as(tenant, "admin")
    shown = await console.get(HOOKS)
    refused = await console.http.post(
        HOOKS,
        data={
            "url": "https://hooks.example.com/x",
            "event_types": "Not An Event",
            "_csrf_token": csrf_token(shown.text),
        },
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert refused.status_code == 422
    assert "Not An Event" in refused.text
    assert "hooks.example.com/x" not in (await console.get(HOOKS)).text


async def test_a_delivery_shows_its_payload_and_is_sent_again(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    delivery_id = await _webhook_delivery(tenant, tenant.client)
    await console.sign_in_as(tenant, "admin")
    page = f"{HOOKS}/deliveries/{delivery_id}"
    shown = await console.get(page, **{"accept-language": "en"})
    assert shown.status_code == 200
    assert "customer.updated" in shown.text and "No attempts yet." in shown.text
    # Still pending: it cannot be sent again yet, and the page offers no button.
    assert f"{page}/replay" not in shown.text
    refused = await console.http.post(
        f"{page}/replay",
        data={"_csrf_token": csrf_token(shown.text)},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 409
