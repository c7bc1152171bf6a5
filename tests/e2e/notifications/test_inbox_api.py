"""/api/v1/inbox over HTTP: each user reads and marks only their own messages (ORD-7)."""

from __future__ import annotations

import uuid

import httpx

from application.identity.access_admin import CreateUser, NewUser
from domain.identity.user import User
from domain.notifications.notification import Notification
from tests.conftest import PASSWORD, TenantFactory, TenantHandle

INBOX = "/api/v1/inbox"


async def signed_in(
    tenant: TenantHandle, roles: list[str], locale: str
) -> tuple[User, dict[str, str]]:
    address = f"inbox-{uuid.uuid4().hex[:8]}@example.com"
    user = await tenant.container.use_cases.run(
        tenant.admin_context, CreateUser(NewUser(address, "Inbox User", PASSWORD, roles, locale))
    )
    tokens = await tenant.login(address)
    return user, {"Authorization": f"Bearer {tokens['accessToken']}"}


async def notify_role(tenant: TenantHandle, role: str, sku: str) -> None:
    container = tenant.container
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        await container.notifier.notify(
            uow,
            Notification(
                topic="stock.low",
                template="stock.low",
                params={"sku": sku, "warehouse": "SZ-01", "available": 1, "threshold": 5},
                roles=(role,),
                link=f"/inventory/levels/{sku}",
            ),
        )
        await uow.commit()


async def test_each_user_lists_counts_and_marks_their_own_messages(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    _, alice = await signed_in(tenant, ["warehouse"], "zh-TW")
    _, bob = await signed_in(tenant, ["warehouse"], "en")
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        await notify_role(tenant, "warehouse", sku)

    listed = (await client.get(INBOX, headers=alice)).json()
    assert [m["title"] for m in listed["items"]] == [
        f"庫存警示：SKU-{n} 低於下限" for n in (3, 2, 1)
    ]  # newest first, in Alice's language
    assert listed["nextCursor"] is None
    first = listed["items"][0]
    assert first["unread"] is True and first["readAt"] is None
    assert first["link"] == "/inventory/levels/SKU-3" and first["topic"] == "stock.low"
    bobs = (await client.get(INBOX, headers=bob)).json()["items"]
    assert bobs[0]["title"] == "Low stock: SKU-3 is below its minimum"
    assert not {m["id"] for m in bobs} & {m["id"] for m in listed["items"]}

    count = await client.get(f"{INBOX}/unread-count", headers=alice)
    assert count.status_code == 200 and count.json() == {"unread": 3}

    # Bob cannot touch Alice's message: it does not exist for him.
    stolen = await client.post(f"{INBOX}/{first['id']}/read", headers=bob)
    assert stolen.status_code == 404, stolen.text
    assert stolen.json()["code"] == "not_found"

    marked = await client.post(f"{INBOX}/{first['id']}/read", headers=alice)
    assert marked.status_code == 200, marked.text
    assert marked.json()["unread"] is False and marked.json()["readAt"]
    again = await client.post(f"{INBOX}/{first['id']}/read", headers=alice)
    assert again.status_code == 200 and again.json()["readAt"] == marked.json()["readAt"]

    assert (await client.get(f"{INBOX}/unread-count", headers=alice)).json() == {"unread": 2}
    assert (await client.get(f"{INBOX}/unread-count", headers=bob)).json() == {"unread": 3}
    unread = (await client.get(INBOX, params={"unread": "true"}, headers=alice)).json()
    assert first["id"] not in {m["id"] for m in unread["items"]}
    assert len(unread["items"]) == 2

    all_read = await client.post(f"{INBOX}/read-all", headers=alice)
    assert all_read.status_code == 200 and all_read.json() == {"marked": 2}
    assert (await client.get(f"{INBOX}/unread-count", headers=alice)).json() == {"unread": 0}
    assert (await client.get(f"{INBOX}/unread-count", headers=bob)).json() == {"unread": 3}


async def test_pages_follow_the_cursor_without_overlap(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    _, headers = await signed_in(tenant, ["purchasing"], "en")
    for n in range(5):
        await notify_role(tenant, "purchasing", f"P-{n}")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(INBOX, params=params, headers=headers)).json()
        seen += [m["title"] for m in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [f"Low stock: P-{n} is below its minimum" for n in (4, 3, 2, 1, 0)]
    bad = await client.get(INBOX, params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad.status_code == 422


async def test_another_tenants_message_is_404(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    _, alice = await signed_in(a, ["warehouse"], "en")
    await notify_role(a, "warehouse", "SKU-A")
    [message] = (await client.get(INBOX, headers=alice)).json()["items"]
    _, mallory = await signed_in(b, ["warehouse"], "en")
    response = await client.post(f"{INBOX}/{message['id']}/read", headers=mallory)
    assert response.status_code == 404
    assert (await client.get(INBOX, headers=mallory)).json()["items"] == []
    unknown = await client.post(f"{INBOX}/{uuid.uuid4()}/read", headers=alice)
    assert unknown.status_code == 404


async def test_api_keys_have_no_inbox(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "integration", "permissions": []},
        headers=await tenant.headers("owner"),
    )
    key = {"X-API-Key": created.json()["key"], "Accept-Language": "zh-TW"}
    for method, path in (
        ("GET", INBOX),
        ("GET", f"{INBOX}/unread-count"),
        ("POST", f"{INBOX}/read-all"),
        ("POST", f"{INBOX}/{uuid.uuid4()}/read"),
    ):
        response = await client.request(method, path, headers=key)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "inbox_users_only"
        assert "API 金鑰" in response.json()["title"]


async def test_mark_read_honours_idempotency_keys(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    _, headers = await signed_in(tenant, ["warehouse"], "en")
    await notify_role(tenant, "warehouse", "SKU-I")
    [message] = (await client.get(INBOX, headers=headers)).json()["items"]
    keyed = {**headers, "Idempotency-Key": f"read-{uuid.uuid4()}"}
    first = await client.post(f"{INBOX}/{message['id']}/read", headers=keyed)
    replay = await client.post(f"{INBOX}/{message['id']}/read", headers=keyed)
    assert first.status_code == replay.status_code == 200
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == first.json()
