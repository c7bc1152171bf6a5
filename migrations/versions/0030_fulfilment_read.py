"""``fulfilment:read`` (reading waves, pick lists and parcels) split from
``fulfilment:pick``: a custom role or an API key that could read them keeps reading them —
each holding ``fulfilment:pick`` or ``fulfilment:ship`` is given ``fulfilment:read``. Built-in
roles take their permissions from the code (docs/roles.md).

Revision ID: 0030
Revises: 0029
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in (
        "UPDATE roles SET permissions = array_append(permissions, 'fulfilment:read')"
        " WHERE permissions && ARRAY['fulfilment:pick', 'fulfilment:ship']"
        " AND NOT 'fulfilment:read' = ANY(permissions)",
        "UPDATE api_keys SET permissions = array_append(permissions, 'fulfilment:read')"
        " WHERE permissions && ARRAY['fulfilment:pick', 'fulfilment:ship']"
        " AND NOT 'fulfilment:read' = ANY(permissions)",
    ):
        op.execute(statement)


def downgrade() -> None:
    for statement in (
        "UPDATE roles SET permissions = array_remove(permissions, 'fulfilment:read')",
        "UPDATE api_keys SET permissions = array_remove(permissions, 'fulfilment:read')",
    ):
        op.execute(statement)
