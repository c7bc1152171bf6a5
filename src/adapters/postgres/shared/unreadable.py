"""Encrypted values that do not decrypt, read one field of one row at a time (#9, item 7).

A ciphertext that fails authentication (copied to another row, altered, or sealed under a
data key that is gone) must not take a whole listing down with a 500. A repository opens
each encrypted field with ``UnreadableValues.open``: a value that does not decrypt comes
back as None and is noted — logged at once (structlog ``undecryptable_value``, with the
tenant, entity, row and logical field, never the ciphertext) and kept on the unit of
work, which audits each one (``personal_data.unreadable``, outcome ``failed``) in a
transaction of its own when it ends, whether its own transaction committed or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.crypto.field_cipher import UndecryptableValue
from adapters.postgres.shared.rows import TenantRepository
from application.shared.field_cipher import FieldCipher
from domain.shared.audit import AuditEntry

AUDIT_ACTION = "personal_data.unreadable"

log = structlog.get_logger("shopkeeper.crypto")


@dataclass(frozen=True)
class UnreadableValue:
    entity_type: str
    row_id: UUID
    field: str  # the logical field name the value is bound to (``customer.phone``)
    reason: str

    def audit_entry(self) -> AuditEntry:
        return AuditEntry(
            action=AUDIT_ACTION,
            entity_type=self.entity_type,
            entity_id=self.row_id,
            outcome="failed",
            detail={"field": self.field, "error": "undecryptable"},
        )


@dataclass
class UnreadableValues:
    """What one unit of work could not decrypt."""

    found: list[UnreadableValue] = field(default_factory=list)

    async def open(
        self,
        cipher: FieldCipher,
        tenant_id: UUID,
        entity_type: str,
        logical_field: str,
        row_id: UUID,
        ciphertext: bytes,
    ) -> str | None:
        """The plaintext, or None (noted and logged) when it does not decrypt."""
        try:
            return await cipher.decrypt(tenant_id, logical_field, row_id, ciphertext)
        except UndecryptableValue as error:
            reason = type(error).__name__
            log.warning(
                "undecryptable_value",
                tenant_id=str(tenant_id),
                entity_type=entity_type,
                row_id=str(row_id),
                field=logical_field,
                reason=reason,
            )
            self.found.append(UnreadableValue(entity_type, row_id, logical_field, reason))
            return None


class EncryptedTenantRepository(TenantRepository):
    """A tenant repository whose rows hold encrypted fields: the cipher that seals and
    opens them, and where a value that does not decrypt is noted (``UnreadableValues``;
    the unit of work passes its own, a test may leave it out)."""

    def __init__(
        self,
        conn: AsyncConnection,
        tenant_id: UUID,
        cipher: FieldCipher,
        unreadable: UnreadableValues | None = None,
    ) -> None:
        super().__init__(conn, tenant_id)
        self._cipher = cipher
        self._unreadable = unreadable if unreadable is not None else UnreadableValues()
