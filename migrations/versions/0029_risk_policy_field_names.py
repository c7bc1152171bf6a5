"""The stored risk policy (``order_settings.risk_policy``) keyed by the policy's own field
names (``far_above_factor``), not the API's (``farAboveFactor``): the wire's spelling
stays in the HTTP layer (docs/orders.md, "Risk score"). The values are unchanged.

Revision ID: 0029
Revises: 0028
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE order_settings SET risk_policy = jsonb_strip_nulls(jsonb_build_object("
        "'far_above_factor', risk_policy -> 'farAboveFactor',"
        " 'far_above_points', risk_policy -> 'farAbovePoints',"
        " 'many_orders', risk_policy -> 'manyOrders',"
        " 'many_orders_points', risk_policy -> 'manyOrdersPoints',"
        " 'high_amount', risk_policy -> 'highAmount',"
        " 'new_customer_points', risk_policy -> 'newCustomerPoints',"
        " 'suspect_from', risk_policy -> 'suspectFrom',"
        " 'window_hours', risk_policy -> 'windowHours'))"
        " WHERE risk_policy IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE order_settings SET risk_policy = jsonb_strip_nulls(jsonb_build_object("
        "'farAboveFactor', risk_policy -> 'far_above_factor',"
        " 'farAbovePoints', risk_policy -> 'far_above_points',"
        " 'manyOrders', risk_policy -> 'many_orders',"
        " 'manyOrdersPoints', risk_policy -> 'many_orders_points',"
        " 'highAmount', risk_policy -> 'high_amount',"
        " 'newCustomerPoints', risk_policy -> 'new_customer_points',"
        " 'suspectFrom', risk_policy -> 'suspect_from',"
        " 'windowHours', risk_policy -> 'window_hours'))"
        " WHERE risk_policy IS NOT NULL"
    )
