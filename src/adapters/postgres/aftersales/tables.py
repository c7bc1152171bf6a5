"""After-sales tables (migration 0024; ORD-6, LOG-4).

``aftersales_cases`` holds a case with its timeline, evidence notes and shipping-insurance
claims as JSON lists (read and written with the case, never queried apart but for the
analysis' totals); its lines and refunds have tables of their own — the lines because the
return analysis counts them per SKU, the refunds because a refund's key is unique per
case (the same refund twice is refused by the database too). Orders, order lines and SKUs
are other modules' tables: referenced by foreign key, by name (decisions.md, section 29).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.shared.tables import (
    EMPTY_LIST,
    at_least,
    flag,
    one_of,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)
from domain.aftersales.flows import CaseKind, CaseStatus
from domain.aftersales.records import ReturnReason

MONEY = Numeric(20, 2)

aftersales_cases = tenant_table(
    "aftersales_cases",
    Column("id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("reason_text", Text),
    Column("evidence", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("tracking_no", Text),
    Column("refund_amount", MONEY, nullable=False),
    Column("replacement_order_id", Uuid),
    Column("channel_refund_status", Text),
    Column("claims", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("timeline", JSONB, nullable=False, server_default=EMPTY_LIST),
    version(),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    one_of("aftersales_cases", "kind", tuple(k.value for k in CaseKind)),
    one_of("aftersales_cases", "status", tuple(s.value for s in CaseStatus)),
    one_of("aftersales_cases", "reason", tuple(r.value for r in ReturnReason)),
    CheckConstraint("refund_amount >= 0", name="aftersales_cases_refund_amount_check"),
    tenant_reference("aftersales_cases", "order_id", "orders"),
    tenant_reference("aftersales_cases", "replacement_order_id", "orders"),
    Index("aftersales_cases_order", "tenant_id", "order_id"),
    Index("aftersales_cases_created", "tenant_id", "created_at"),
)

aftersales_case_lines = tenant_table(
    "aftersales_case_lines",
    Column("case_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("order_line_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("resellable", BigInteger, nullable=False),
    Column("damaged", BigInteger, nullable=False),
    at_least("aftersales_case_lines", "quantity", 0, strict=True),
    at_least("aftersales_case_lines", "resellable", 0),
    at_least("aftersales_case_lines", "damaged", 0),
    CheckConstraint("resellable + damaged <= quantity", name="aftersales_case_lines_check"),
    tenant_reference("aftersales_case_lines", "case_id", "aftersales_cases"),
    tenant_reference("aftersales_case_lines", "sku_id", "skus"),
    key=("case_id", "line_no"),
)

aftersales_refunds = tenant_table(
    "aftersales_refunds",
    Column("id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("payment_id", Uuid, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("key", Text, nullable=False),
    Column("refunded_by", Text, nullable=False),
    timestamp("refunded_at"),
    CheckConstraint("amount > 0", name="aftersales_refunds_amount_check"),
    UniqueConstraint(
        "tenant_id", "case_id", "key", name="aftersales_refunds_tenant_id_case_id_key_key"
    ),
    tenant_reference("aftersales_refunds", "case_id", "aftersales_cases"),
)

# One row per tenant, once it saved its policy.
aftersales_settings = tenant_table(
    "aftersales_settings",
    flag("ship_exchange_first", False),
    version(),
    timestamp("updated_at"),
    key=(),
)
