"""Fulfilment and logistics (LOG-1, LOG-3; docs/fulfilment.md, docs/logistics.md).

- ``carriers``: a tenant's carriers — code (unique per tenant), name, cash on delivery,
  active, and the gateway an operator connected (kind, endpoint).
- ``waves``: allocated orders of one warehouse and carrier picked together; their pick
  list (SKU, bin, units, picked) as JSONB on the row.
- ``shipments``: one order's parcel from its wave to the carrier — its lines (verified
  units, serials) as JSONB, weight and flag, waybill, dispatch. One shipment before
  dispatch per order at a time (a partial unique index).
- ``fulfilment_settings``: the tenant's weight tolerance (percent).

Revision ID: 0023
Revises: 0022
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = ["carriers", "waves", "shipments", "fulfilment_settings"]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE carriers (
            {TENANT},
            id uuid NOT NULL,
            code text NOT NULL,
            name text NOT NULL,
            cash_on_delivery boolean NOT NULL DEFAULT false,
            active boolean NOT NULL DEFAULT true,
            gateway_kind text,
            endpoint text,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT carriers_tenant_id_code_key UNIQUE (tenant_id, code)
        )""")
    op.execute(f"""
        CREATE TABLE waves (
            {TENANT},
            id uuid NOT NULL,
            number text NOT NULL,
            warehouse_id uuid NOT NULL,
            carrier_code text NOT NULL,
            single_sku boolean NOT NULL DEFAULT false,
            status text NOT NULL CHECK (status IN ('picking', 'picked')),
            lines jsonb NOT NULL,
            order_ids uuid[] NOT NULL,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT waves_tenant_id_number_key UNIQUE (tenant_id, number),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE shipments (
            {TENANT},
            id uuid NOT NULL,
            wave_id uuid NOT NULL,
            order_id uuid NOT NULL,
            order_number text NOT NULL,
            channel_id uuid,
            warehouse_id uuid NOT NULL,
            carrier_code text NOT NULL,
            status text NOT NULL CHECK (status IN ('picking', 'verified', 'weighed', 'booked',
                'shipped', 'intercepted', 'interception_requested')),
            lines jsonb NOT NULL,
            reservation_ids uuid[] NOT NULL,
            weight_grams integer,
            weight_flagged boolean NOT NULL DEFAULT false,
            packages integer NOT NULL DEFAULT 1 CHECK (packages >= 1),
            tracking_no text,
            sorting_code text,
            route text,
            cost_estimate numeric(20, 2),
            shipped_at timestamptz,
            channel_reported boolean,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, wave_id) REFERENCES waves (tenant_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute("CREATE INDEX shipments_wave ON shipments (tenant_id, wave_id)")
    op.execute("""
        CREATE UNIQUE INDEX shipments_open_order ON shipments (tenant_id, order_id)
        WHERE status IN ('picking', 'verified', 'weighed', 'booked')""")
    op.execute(f"""
        CREATE TABLE fulfilment_settings (
            {TENANT},
            weight_tolerance_percent numeric(5, 2) NOT NULL,
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
