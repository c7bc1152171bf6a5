"""Settings → API keys: the company's keys with what each may do and when it was last
used; a new key shown once (only its hash is kept), a key revoked."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.identity.api_keys.create import CreateApiKey
from application.identity.api_keys.queries import ListApiKeys
from application.identity.api_keys.revoke import RevokeApiKey
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import form_of
from entrypoints.web.identity.permission_choices import permission_groups
from entrypoints.web.pages import done, page

KEYS = "/console/settings/api-keys"


class ApiKeyPages(Controller):
    path = "/settings/api-keys"

    @get("/", name="console_api_keys", opt=needs(ListApiKeys))
    async def keys(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        keys = await use_cases.query(ctx, ListApiKeys())
        return await page(
            request,
            use_cases,
            "identity/api_keys.html",
            keys=sorted(keys, key=lambda k: (k.revoked_at is not None, k.name)),
            groups=permission_groups(),
        )

    @post("/", opt=needs(CreateApiKey))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        texts, lists = await form_of(request)
        created = await use_cases.run(
            ctx, CreateApiKey(texts.get("name", "").strip(), lists.get("permissions", []))
        )
        # Shown on this answer only: it is never stored, so it cannot be shown again.
        return await page(request, use_cases, "identity/api_key_created.html", created=created)

    @post("/{key_id:uuid}/revoke", opt=needs(RevokeApiKey))
    async def revoke(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        key_id: FromPath[UUID],
    ) -> Response[Any]:
        await use_cases.run(ctx, RevokeApiKey(key_id))
        return done(request, KEYS, "api_keys.revoked")
