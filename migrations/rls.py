"""Helpers every migration uses for a tenant table (docs/architecture.md, Tenancy)."""

from __future__ import annotations

from alembic import op

APP_ROLE = "shopkeeper_app"
PLATFORM_ROLE = "shopkeeper_platform"

# The one canonical policy expression; tests compare every policy against it.
TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def tenant_table(name: str, *, app_privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    """Force row-level security with the canonical policy and grant the request role."""
    op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {name} "
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )
    op.execute(f"GRANT {app_privileges} ON {name} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {PLATFORM_ROLE}")
