"""Customer tables (migration 0001, CRM-1): personal fields encrypted, with blind indexes
for exact search and keyed name-gram hashes for name search."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    LargeBinary,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.shared.tables import (
    EMPTY_ARRAY,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)

customers = tenant_table(
    "customers",
    Column("id", Uuid, nullable=False),
    Column("name_enc", LargeBinary),
    Column("phone_enc", LargeBinary),
    Column("email_enc", LargeBinary),
    Column("addresses_enc", LargeBinary),
    Column("phone_bidx", LargeBinary),
    Column("email_bidx", LargeBinary),
    Column("tags", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("source_channel", Text),
    Column("language", Text),  # migration 0019: emails to the customer (ORD-7)
    version(),
    *stamps(),
    timestamp("erased_at", nullable=True),
    Index("customers_phone", "tenant_id", "phone_bidx"),
    Index("customers_email", "tenant_id", "email_bidx"),
    Index("customers_created", "tenant_id", "created_at", "id"),
)

# Name search: keyed hashes of the name's character grams (equality, so RLS-friendly).
customer_search_terms = tenant_table(
    "customer_search_terms",
    Column("term", LargeBinary, nullable=False),
    Column("customer_id", Uuid, nullable=False),
    tenant_reference("customer_search_terms", "customer_id", "customers", ondelete="CASCADE"),
    Index("customer_search_terms_customer", "tenant_id", "customer_id"),
    key=("term", "customer_id"),
)
