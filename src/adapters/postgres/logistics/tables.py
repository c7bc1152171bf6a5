"""Logistics tables (migration 0023; LOG-3): carriers."""

from __future__ import annotations

from sqlalchemy import Column, Text, UniqueConstraint, Uuid

from adapters.postgres.shared.tables import flag, stamps, tenant_table, version

carriers = tenant_table(
    "carriers",
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    flag("cash_on_delivery", False),
    flag("active", True),
    Column("gateway_kind", Text),
    Column("endpoint", Text),
    version(),
    *stamps(),
    UniqueConstraint("tenant_id", "code", name="carriers_tenant_id_code_key"),
)
