"""A request's token check in one statement: ``token_access(tenant, user, session)`` enters
the token's tenant for the rest of its own transaction and reads the tenant's row, the
user's active flag, whether the session is the user's and unrevoked, and one row per role
the user holds (decision 97; bench/README.md, P3).

Called alone (autocommit), the tenant setting ends with the statement: no ``BEGIN``,
``SET LOCAL`` or ``ROLLBACK`` around the read, one round trip a request instead of five.
PL/pgSQL runs its statements in order, so the tenant is set before the read's row-level
security policy reads it (inside one plain statement the order would not be guaranteed).
``SECURITY INVOKER`` (the default): it reads as the request role, under the policies.

Revision ID: 0031
Revises: 0030
"""

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION token_access(p_tenant uuid, p_user uuid, p_session uuid)
        RETURNS TABLE (
            tenant_id uuid, tenant_slug text, tenant_name text, tenant_status text,
            tenant_time_zone text, tenant_currency char(3), tenant_locale text,
            user_active boolean, session_active boolean,
            role_key text, role_builtin boolean, role_permissions text[]
        )
        LANGUAGE plpgsql VOLATILE
        SET search_path = public, pg_temp
        AS $$
        BEGIN
            PERFORM set_config('app.tenant_id', p_tenant::text, true);
            RETURN QUERY
            SELECT t.id, t.slug, t.name, t.status, t.time_zone, t.currency, t.locale,
                   u.active,
                   (SELECT s.revoked_at IS NULL FROM auth_sessions s
                     WHERE s.tenant_id = u.tenant_id AND s.id = p_session
                       AND s.user_id = u.id),
                   r.key, r.builtin, r.permissions
              FROM tenants t
              LEFT JOIN users u ON u.tenant_id = t.id AND u.id = p_user
              LEFT JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
              LEFT JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
             WHERE t.id = p_tenant;
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION token_access(uuid, uuid, uuid)")
