"""Customers repository — being written by the customers slice (CRM-1)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from application.ports.field_cipher import FieldCipher


class PostgresCustomerRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID, cipher: FieldCipher) -> None:
        self._conn = conn
        self._tenant_id = tenant_id
        self._cipher = cipher
