"""Shop groups of sales channels (ORD-4; docs/catalog.md, "Channels and listings", and
docs/orders.md, "Merge and split").

``sales_channels.shop_group``: the code of the shop group (店铺组) the channel belongs to
(``tmall-main``); the channels with the same code form one group, within which orders of
one customer and receiver merge (合单). NULL, every existing channel's value: the channel
is a group of its own, as before. The table already has its row-level security.

Revision ID: 0032
Revises: 0031
"""

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE sales_channels ADD COLUMN shop_group text")


def downgrade() -> None:
    op.execute("ALTER TABLE sales_channels DROP COLUMN shop_group")
