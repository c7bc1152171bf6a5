"""Who am I (PLT-2; #9 item 21): the signed-in caller as people read it — a user's email,
name, language and role keys, or an API key's name — beside the permissions it holds, and
the company's name and terms (currency, time zone) a screen formats its figures in."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.context import ActorKind
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import SIGNED_IN, Query, Reading


@dataclass(frozen=True)
class Me:
    tenant_id: UUID
    actor: str  # the label audit records carry: "user:<id>", "api_key:<id>"
    kind: str  # user | api_key | ...
    name: str  # a user's display name, an API key's name
    email: str | None
    locale: str | None
    roles: list[str]
    permissions: list[str]
    company: str
    currency: str
    time_zone: str


class WhoAmI(Query[Me], entity="user", permission=SIGNED_IN):
    pass


class WhoAmIHandler:
    async def handle(self, query: WhoAmI, reading: Reading) -> Me:
        ctx, store = reading.ctx, reading.uow.of(IDENTITY)
        actor = ctx.actor
        name, email, locale, roles = actor.id, None, None, []
        if actor.kind is ActorKind.USER and (user := await store.users.get(UUID(actor.id))):
            name, email, locale, roles = user.display_name, user.email, user.locale, user.role_keys
        elif actor.kind is ActorKind.API_KEY and (key := await store.api_keys.get(UUID(actor.id))):
            name = key.name
        terms = await tenant_terms(reading.uow)
        tenant = await store.tenants.get(ctx.tenant_id)
        return Me(
            ctx.tenant_id,
            actor.label,
            str(actor.kind),
            name,
            email,
            locale,
            roles,
            sorted(ctx.permissions),
            tenant.name if tenant else "",
            terms.currency,
            terms.time_zone,
        )
