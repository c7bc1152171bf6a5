"""The orders work queue and analytics (ORD-8, ORD-10; docs/orders.md, "Work queue" and
"Analytics").

``orders`` gains ``priority`` (set by staff or in bulk; higher first), ``due_at`` (the
earliest target time of its open abnormalities: "time left" in the queue) and ``province``
(the receiver's province in the clear, coarse enough for reports; the receiver stays
sealed), with the indexes the queue's orderings page by. ``order_views``: saved views of
the queue (name, filters, ordering), a user's own (``owner``) or shared with the tenant
(``owner`` NULL). ``customers.language`` and ``queued_emails.customer_id``: the customer's
email on a status change, in their language (ORD-7). ``order_rollups``: per tenant, local day and dimension value (the
channel, the hour of day, or the province) the orders counted, their amount and what of
it is paid, kept by the same transaction that writes the order; ``slot`` spreads
concurrent writers of one cell over a few rows (summed when read).

Revision ID: 0019
Revises: 0018
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def upgrade() -> None:
    op.execute("""
        ALTER TABLE orders
            ADD COLUMN priority integer NOT NULL DEFAULT 0,
            ADD COLUMN due_at timestamptz,
            ADD COLUMN province text NOT NULL DEFAULT ''""")
    op.execute("CREATE INDEX orders_queue_amount ON orders (tenant_id, total, id)")
    op.execute(
        "CREATE INDEX orders_queue_due ON orders (tenant_id, due_at, id) WHERE due_at IS NOT NULL"
    )
    op.execute(f"""
        CREATE TABLE order_views (
            {TENANT},
            id uuid NOT NULL,
            owner text,
            name text NOT NULL CHECK (length(name) >= 1 AND length(name) <= 100),
            filters jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            ordering text NOT NULL,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX order_views_owner ON order_views (tenant_id, owner)")
    op.execute(f"""
        CREATE TABLE order_rollups (
            {TENANT},
            day date NOT NULL,
            dimension text NOT NULL CHECK (dimension IN ('channel', 'hour', 'province')),
            value text NOT NULL,
            slot smallint NOT NULL,
            orders bigint NOT NULL DEFAULT 0,
            amount numeric(20, 2) NOT NULL DEFAULT 0,
            paid_orders bigint NOT NULL DEFAULT 0,
            paid_amount numeric(20, 2) NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant_id, day, dimension, value, slot)
        )""")
    tenant_table("order_views")
    tenant_table("order_rollups")
    # The customer's email on a status change (ORD-7): the customer's language, and a
    # queued email to a customer rather than a user.
    op.execute("ALTER TABLE customers ADD COLUMN language text")
    op.execute("""
        ALTER TABLE queued_emails
            ALTER COLUMN user_id DROP NOT NULL,
            ADD COLUMN customer_id uuid,
            ADD CONSTRAINT queued_emails_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id)
                REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
            ADD CONSTRAINT queued_emails_recipient_check
                CHECK ((user_id IS NULL) <> (customer_id IS NULL))""")
    op.execute("CREATE INDEX queued_emails_customer ON queued_emails (tenant_id, customer_id)")


def downgrade() -> None:
    op.execute("DELETE FROM queued_emails WHERE customer_id IS NOT NULL")
    op.execute("DROP INDEX queued_emails_customer")
    op.execute("""
        ALTER TABLE queued_emails
            DROP CONSTRAINT queued_emails_recipient_check,
            DROP CONSTRAINT queued_emails_tenant_id_customer_id_fkey,
            DROP COLUMN customer_id,
            ALTER COLUMN user_id SET NOT NULL""")
    op.execute("ALTER TABLE customers DROP COLUMN language")
    op.execute("DROP TABLE order_rollups")
    op.execute("DROP TABLE order_views")
    op.execute("DROP INDEX orders_queue_due")
    op.execute("DROP INDEX orders_queue_amount")
    op.execute("ALTER TABLE orders DROP COLUMN province, DROP COLUMN due_at, DROP COLUMN priority")
