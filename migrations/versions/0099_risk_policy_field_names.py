"""The stored risk policy (``order_settings.risk_policy``) keyed by the policy's own field
names (``far_above_factor``), not the API's (``farAboveFactor``): the wire's spelling
stays in the HTTP layer (docs/orders.md, "Risk score"). The values are unchanged.

Revision ID: 0099
Revises: 0026
"""

from alembic import op

revision = "0099"
down_revision = "0026"
branch_labels = None
depends_on = None

_NAMES = (
    ("far_above_factor", "farAboveFactor"),
    ("far_above_points", "farAbovePoints"),
    ("many_orders", "manyOrders"),
    ("many_orders_points", "manyOrdersPoints"),
    ("high_amount", "highAmount"),
    ("new_customer_points", "newCustomerPoints"),
    ("suspect_from", "suspectFrom"),
    ("window_hours", "windowHours"),
)


def _rename(pairs: tuple[tuple[str, str], ...]) -> None:
    """Each stored policy's keys renamed ``old`` → ``new`` (a key it lacks stays absent)."""
    renamed = ", ".join(f"'{new}', risk_policy -> '{old}'" for new, old in pairs)
    op.execute(
        f"UPDATE order_settings SET risk_policy = jsonb_strip_nulls(jsonb_build_object({renamed}))"
        " WHERE risk_policy IS NOT NULL"
    )


def upgrade() -> None:
    _rename(_NAMES)


def downgrade() -> None:
    _rename(tuple((old, new) for new, old in _NAMES))
