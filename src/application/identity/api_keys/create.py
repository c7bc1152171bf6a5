"""Create an API key for integrations (PLT-2): scoped to permissions the creator holds;
the key is shown once."""

from __future__ import annotations

from dataclasses import dataclass

from application.identity.credentials import digest, new_api_key, parse_api_key
from application.identity.ports import IDENTITY, ApiKeyRecord
from application.shared.use_case import Command, Work
from domain.identity.permissions import API_KEYS_MANAGE, validate_permissions
from domain.shared.errors import ValidationFailed


@dataclass(frozen=True)
class CreatedApiKey:
    record: ApiKeyRecord
    key: str  # shown once


class CreateApiKey(Command[CreatedApiKey], action="api_key.create", permission=API_KEYS_MANAGE):
    name: str
    permissions: list[str]


class CreateApiKeyHandler:
    async def handle(self, command: CreateApiKey, work: Work) -> CreatedApiKey:
        ctx = work.ctx
        if not command.name.strip():
            raise ValidationFailed.single("name", "required")
        scopes = validate_permissions(command.permissions)
        if scopes - ctx.permissions:
            raise ValidationFailed.single(
                "permissions",
                "permission_escalation",
                permissions=sorted(scopes - ctx.permissions),
            )
        key_id = work.ids.new_id()
        key = new_api_key(ctx.tenant_id, key_id)
        record = ApiKeyRecord(
            key_id, command.name.strip(), scopes, ctx.actor.label, work.clock.now(), None, None
        )
        await work.uow.of(IDENTITY).api_keys.add(record, digest(parse_api_key(key).secret))
        work.audit(key_id, detail={"name": record.name, "permissions": sorted(scopes)})
        return CreatedApiKey(record, key)
