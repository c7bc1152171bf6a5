"""Reading the tenant's API keys (PLT-2; secrets are never stored readable)."""

from __future__ import annotations

from application.identity.ports import IDENTITY, ApiKeyRecord
from application.shared.use_case import Query, Reading
from domain.identity.permissions import API_KEYS_MANAGE


class ListApiKeys(Query[list[ApiKeyRecord]], entity="api_key", permission=API_KEYS_MANAGE):
    pass


class ListApiKeysHandler:
    async def handle(self, query: ListApiKeys, reading: Reading) -> list[ApiKeyRecord]:
        return await reading.uow.of(IDENTITY).api_keys.list_all()
