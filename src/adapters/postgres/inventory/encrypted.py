"""The inventory module's encrypted columns, found by key rotation
(adapters/postgres/shared/encrypted_sources.py): the alert robot's URL, which carries the
robot's key (one robot a tenant: the tenant's id is its row)."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.inventory.alerts import ROBOT_URL_FIELD
from adapters.postgres.inventory.tables import alert_robots
from adapters.postgres.shared.encrypted_sources import EncryptedSource

SOURCES = (
    EncryptedSource(
        "alert_robots",
        alert_robots,
        "tenant_id",
        (("url_enc", ROBOT_URL_FIELD),),
        UUID,
    ),
)
