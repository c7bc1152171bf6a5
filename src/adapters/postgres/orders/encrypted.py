"""The orders module's encrypted column, found by key rotation
(adapters/postgres/shared/encrypted_sources.py)."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.orders.repository import RECEIVER
from adapters.postgres.orders.tables import orders
from adapters.postgres.shared.encrypted_sources import EncryptedSource

SOURCES = (EncryptedSource("orders", orders, "id", (("receiver_enc", RECEIVER),), UUID),)
