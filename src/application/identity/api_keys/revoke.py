"""Revoke an API key (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.use_case import Command, Work
from domain.identity.permissions import API_KEYS_MANAGE
from domain.shared.errors import NotFound


class RevokeApiKey(
    Command[None], action="api_key.revoke", permission=API_KEYS_MANAGE, target="key_id"
):
    key_id: UUID


class RevokeApiKeyHandler:
    async def handle(self, command: RevokeApiKey, work: Work) -> None:
        api_keys = work.uow.of(IDENTITY).api_keys
        if await api_keys.get(command.key_id) is None:
            raise NotFound(entity="api_key")
        await api_keys.revoke(command.key_id, work.clock.now())
        work.audit(command.key_id)
