"""The webhooks module's encrypted columns, found by key rotation
(adapters/postgres/shared/encrypted_sources.py)."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.shared.encrypted_sources import EncryptedSource
from adapters.postgres.webhooks.repository import SECRET_FIELD
from adapters.postgres.webhooks.tables import webhook_endpoints

SOURCES = (
    EncryptedSource(
        "webhook_endpoints",
        webhook_endpoints,
        "id",
        (("secret_enc", SECRET_FIELD),),
        UUID,
    ),
)
