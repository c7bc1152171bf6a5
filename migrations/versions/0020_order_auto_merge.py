"""Automatic merging of orders (ORD-4; docs/orders.md, "Merge and split").

``order_settings.merge_wait_minutes``: the tenant's wait from payment before its orders
merge automatically (NULL: only orders a rule made merge-eligible, after the rule's wait).
``orders_merge_candidates``: the orders the merge sweep groups — by customer, channel and
receiver blind index — among those still mergeable (paid, awaiting review or approved,
neither merged nor split).

Revision ID: 0020
Revises: 0019
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE order_settings ADD COLUMN merge_wait_minutes integer"
        " CONSTRAINT order_settings_merge_wait_minutes_check CHECK (merge_wait_minutes >= 0)"
    )
    op.execute("""
        CREATE INDEX orders_merge_candidates
            ON orders (tenant_id, customer_id, channel_id, receiver_bidx)
            WHERE merged_into IS NULL AND status IN ('paid', 'awaiting_review', 'approved')""")


def downgrade() -> None:
    op.execute("DROP INDEX orders_merge_candidates")
    op.execute("ALTER TABLE order_settings DROP COLUMN merge_wait_minutes")
