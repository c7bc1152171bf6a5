"""The inbox (ORD-7, INV-3 alerts reach people here) and the audit log (PLT-3) in the
console: messages shown and marked read; the trail filtered by actor and action, showing
who did it by name, and a bad day in a filter refused in the page's language."""

from __future__ import annotations

from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient
from tests.e2e.notifications.isolation_routes import _inbox_message


async def test_a_message_is_shown_then_marked_read(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    message_id = await _inbox_message(tenant, tenant.client)
    await console.sign_in_as(tenant, "owner")
    home = await console.get("/console", **{"accept-language": "en"})
    assert "unread messages" in home.text
    inbox = await console.get("/console/inbox?unread=true", **{"accept-language": "en"})
    assert f"/console/inbox/{message_id}/read" in inbox.text
    marked = await console.post_form("/console/inbox", f"/console/inbox/{message_id}/read", {})
    assert marked.status_code == 303
    after = await console.get("/console/inbox?unread=true", **{"accept-language": "en"})
    assert f"/console/inbox/{message_id}/read" not in after.text
    assert "Marked as read." in after.text
    assert "No messages." in after.text


async def test_the_audit_log_filters_by_actor_and_action(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    await console.post_form(
        "/console/customers/new", "/console/customers/new", {"name": "审计客户", "phone": ""}
    )
    trail = await console.get(
        f"/console/settings/audit?actor={tenant.owner_email}", **{"accept-language": "en"}
    )
    assert trail.status_code == 200
    assert "customer.create" not in trail.text  # the owner registered nobody
    mine = await console.get(
        "/console/settings/audit?action=customer.create", **{"accept-language": "en"}
    )
    assert "customer.create" in mine.text
    assert "User admin-" in mine.text  # the actor by name, not a bare id


async def test_a_bad_day_in_the_filter_is_refused(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    refused = await console.get(
        "/console/settings/audit?since=2026-13-45", **{"accept-language": "zh-CN"}
    )
    assert refused.status_code in (400, 422)
    assert "since" in refused.text


async def test_the_audit_log_is_forbidden_without_audit_read(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "warehouse")
    refused = await console.get("/console/settings/audit", **{"accept-language": "en"})
    assert refused.status_code == 403
    assert "audit:read" in refused.text
