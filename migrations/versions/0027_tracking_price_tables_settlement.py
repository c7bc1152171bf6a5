"""Tracking, price tables and carrier settlement (LOG-2, LOG-3, ORD-11; docs/logistics.md).

- ``carrier_price_tables``: a carrier's rates by region and weight (JSONB), its service
  area being their regions.
- ``waybills``: logistics' register of booked waybills — shipment, order, carrier and
  tracking number, region, weight, cash on delivery, the estimated postage — with what
  tracking said (last status and scan, delivered, the anomalies alerted).
- ``tracking_events``: each waybill's events, once per status and time.
- ``tracking_cursors``: where each carrier's event feed was read to.
- ``logistics_settings``: the hours without a scan that make a parcel stalled, the bill's
  weight tolerance.
- ``carrier_statements``: a carrier's monthly statement file and what its reconciliation
  found (ORD-11); ``cod_remittances``: cash-on-delivery remittances and their differences;
  ``waybills.cod_collected``, ``cod_remittance_id``: what paid a COD waybill.

Revision ID: 0027
Revises: 0026
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = [
    "carrier_price_tables",
    "waybills",
    "tracking_events",
    "tracking_cursors",
    "logistics_settings",
    "carrier_statements",
    "cod_remittances",
]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE carrier_price_tables (
            {TENANT},
            carrier_id uuid NOT NULL,
            rates jsonb NOT NULL,
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, carrier_id),
            FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE waybills (
            {TENANT},
            shipment_id uuid NOT NULL,
            order_id uuid NOT NULL,
            order_number text NOT NULL,
            carrier_code text NOT NULL,
            tracking_no text NOT NULL,
            region text NOT NULL,
            weight_grams integer NOT NULL,
            cash_on_delivery numeric(20, 2),
            cost_estimate numeric(20, 2),
            booked_at timestamptz NOT NULL,
            version integer NOT NULL DEFAULT 1,
            cancelled boolean NOT NULL DEFAULT false,
            intercepted boolean NOT NULL DEFAULT false,
            last_status text,
            last_scan_at timestamptz,
            delivered_at timestamptz,
            anomalies text[] NOT NULL DEFAULT '{{}}',
            cod_collected numeric(20, 2),
            cod_remittance_id uuid,
            PRIMARY KEY (tenant_id, shipment_id),
            CONSTRAINT waybills_tenant_id_carrier_code_key
                UNIQUE (tenant_id, carrier_code, tracking_no),
            FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
        )""")
    op.execute("CREATE INDEX waybills_booked ON waybills (tenant_id, carrier_code, booked_at)")
    op.execute("CREATE INDEX waybills_order ON waybills (tenant_id, order_id)")
    op.execute(f"""
        CREATE TABLE tracking_events (
            {TENANT},
            shipment_id uuid NOT NULL,
            status text NOT NULL,
            occurred_at timestamptz NOT NULL,
            location text NOT NULL DEFAULT '',
            received_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, shipment_id, occurred_at, status),
            FOREIGN KEY (tenant_id, shipment_id) REFERENCES waybills (tenant_id, shipment_id)
        )""")
    op.execute(f"""
        CREATE TABLE tracking_cursors (
            {TENANT},
            carrier_code text NOT NULL,
            cursor text NOT NULL,
            PRIMARY KEY (tenant_id, carrier_code)
        )""")
    op.execute(f"""
        CREATE TABLE logistics_settings (
            {TENANT},
            stall_hours integer NOT NULL,
            bill_tolerance_percent numeric(5, 2) NOT NULL,
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE carrier_statements (
            {TENANT},
            id uuid NOT NULL,
            carrier_code text NOT NULL,
            month text NOT NULL,
            file_name text NOT NULL,
            format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            content bytea NOT NULL,
            job_id uuid NOT NULL,
            status text NOT NULL
                CHECK (status IN ('reconciling', 'reconciled', 'failed')),
            lines integer NOT NULL DEFAULT 0,
            billed_total numeric(20, 2) NOT NULL DEFAULT 0,
            differences jsonb NOT NULL DEFAULT '[]'::jsonb,
            errors jsonb NOT NULL DEFAULT '[]'::jsonb,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            version integer NOT NULL DEFAULT 1,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE cod_remittances (
            {TENANT},
            id uuid NOT NULL,
            carrier_code text NOT NULL,
            reference text NOT NULL,
            lines jsonb NOT NULL,
            total numeric(20, 2) NOT NULL,
            matched integer NOT NULL,
            differences jsonb NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT cod_remittances_tenant_id_carrier_code_key
                UNIQUE (tenant_id, carrier_code, reference)
        )""")
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
