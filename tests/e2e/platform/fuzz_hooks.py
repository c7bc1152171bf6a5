"""Schemathesis hooks for the fuzzing test (#9 item 18; docs/decisions.md, 44).

Schemathesis' ``positive_data_acceptance`` fails any schema-valid request that is not
answered 2xx, 401, 403, 404 or 409. The document states every limit the service keeps (the
test would fail on one it does not); what it cannot state is the state a request meets
and a few rules across fields. ``rejected_only_for_state`` replaces that check with the
same question asked precisely: a schema-valid request may be refused only with a problem
code listed here — anywhere, or on the operations named — and for the reason written
beside it. Any other refusal of a schema-valid request fails the run.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis

# Refusals that depend on what is stored, on any operation.
STATE = {
    "stale_version": "If-Match names a version the record has moved past (412)",
    "invalid_cursor": "a cursor is what an earlier page returned, not any text",
    "idempotency_key_reused": "the key was used before with another request",
    "unknown_category": "the category a body or filter names does not exist",
    "unknown_brand": "the brand named does not exist",
    "unknown_channel": "the sales channel named does not exist",
    "unknown_warehouse": "the warehouse named does not exist",
    "unknown_membership_tier": "the membership tier named does not exist",
    "unknown_product_type": "the product type named does not exist",
    "unknown_sku": "the SKU named is not one of the product's",
    "unknown_role": "the role named does not exist",
    "unknown_event_type": "a webhook names an event type the service does not emit",
    "not_a_returns_warehouse": "a return receipt must name a returns warehouse",
    "warehouse_closed": "the warehouse is closed to new stock",
    "product_has_no_skus": "a product without SKUs cannot be published",
    "published_product_has_no_skus": "a published product keeps a SKU",
    "media_order_mismatch": "a media order lists exactly the product's media",
    "unknown_media": "the media named is not one of the product's",
    "unknown_product": "a product named (related products) does not exist",
    "related_to_itself": "a product is not related to itself (its id is in the path)",
    "must_be_in_the_future": "an expiry is later than the moment the request arrives",
    "category_cycle": "a category cannot move under itself",
    "duplicate_name": "names are unique among their siblings",
    "mapped_sku_unknown": "a channel SKU code maps to a SKU of the company",
    "not_batch_managed": "a batch is named only for a SKU whose stored setting keeps them",
    # ORD-6: what an after-sales case may claim follows its order and earlier cases
    "not_an_order_line": "a case names lines of its own order",
    "more_than_returnable": "units sold less what the order's earlier cases claim",
    "more_than_paid": "a refund never above what the order's payments hold",
    "order_not_served": "an unpaid or cancelled order has nothing for after-sales",
    "unknown_case_line": "a receipt or replenishment names lines of its case",
    "more_than_case_line": "a replenishment asks at most a case line's units",
}

# The operations that take a file (imports; a carrier's statement, ORD-11).
UPLOADS = r"POST /api/v1/\S*(imports|statements)$"

# Refusals by rules a schema cannot state (content, numbering plans, rules across fields),
# on the operations whose path matches.
RULES: list[tuple[str, str, str]] = [
    (UPLOADS, "unsupported_file_format", "the file's content decides"),
    (UPLOADS, "file_unreadable", "the file's content decides"),
    (UPLOADS, "file_empty", "the file's content decides"),
    (UPLOADS, "invalid_encoding", "a form field must be UTF-8 text"),
    (r"/media$", "unsupported_file_type", "an image or video, told by its bytes"),
    (r"/logo$", "unsupported_file_type", "an image, told by its bytes"),
    (r"/sku-matrix", "required", "the axes the product's type defines"),
    (r"/sku-matrix", "unknown_attribute", "the axes the product's type defines"),
    (r"/sku-matrix", "product_type_has_no_variant_axes", "a type with variant attributes"),
    (r"/sku-matrix", "invalid_choice", "the values the product's type allows"),
    (r"/sku-matrix", "invalid_value", "a value of the kind of its attribute"),
    (UPLOADS, "invalid_value", "the file is a part with a filename"),
    (r"POST /api/v1/orders/bulk$", "required", "a reason to hold or cancel: by action"),
    (r"/orders/\{order_id\}/edits$", "required", "the fields an edit needs follow its op"),
    (r"POST /api/v1/orders$", "payments_recorded_after_placing", "by the order's source"),
    (r"/thresholds", "threshold_high_not_above_low", "high above low: across two fields"),
    (r"/orders/rules", "required", "a rule's condition and action fields follow their kind"),
    (r"/orders/rules", "invalid_choice", "a rule's condition and action fields follow their kind"),
    (r"/orders/rules", "invalid_value", "a rule's condition and action fields follow their kind"),
    (r"/orders/rules", "invalid_characters", "a NUL in a free-form map's key: JSONB keeps none"),
    (r"/product-types", "not_applicable", "an attribute's fields follow its kind"),
    (r"/product-types", "required", "an attribute's fields follow its kind (enum: values)"),
    (r"/promotions", "must_be_after_start", "endsAt after startsAt: across two fields"),
    (r"GET /api/v1/customers/search$", "search_needs_one_criterion", "one of three parameters"),
    (r"/customers", "invalid_phone", "a phone number by its numbering plan"),
    (r"POST /api/v1/catalog/channels$", "not_applicable", "platform only for a marketplace"),
    (r"POST /api/v1/catalog/channels$", "invalid_choice", "the platforms of the channel's kind"),
    (r"/users|/auth/", "password_too_weak", "password strength (zxcvbn) is not a pattern"),
    (r"/webhooks/endpoints", "webhook_url_forbidden_address", "address ranges by resolution"),
    (r"/supply$", "out_of_range", "a percentage is at most 100, a cap any whole number"),
    (r"/supply$", "must_be_whole", "a cap is whole units, a percentage may have decimals"),
    # INV-8: what a SKU keeps (batches, serials) is its stored setting
    (r"/counts/\{count_id\}/entries$", "batch_counts_differ", "batches add up to the count"),
    (r"/counts/\{count_id\}/entries$", "duplicate_batch", "a batch once per line"),
    (r"/counts/\{count_id\}/entries$", "batch_dates_differ", "a stored batch's dates"),
    (r"/reservations/\{reservation_id\}/commit$", "serials_required", "the SKU's setting"),
    (r"/reservations/\{reservation_id\}/commit$", "not_serial_managed", "the SKU's setting"),
    (r"/reservations/\{reservation_id\}/commit$", "serial_count_mismatch", "one per unit"),
    (r"/reservations/\{reservation_id\}/commit$", "serials_not_on_reservation", "its lines"),
    # ORD-6: a case's fields follow its kind; a receipt line receives some unit
    (r"POST /api/v1/aftersales/cases$", "case_needs_a_line", "return, exchange, resend: lines"),
    (r"POST /api/v1/aftersales/cases$", "no_refund_for_kind", "only refund kinds refund"),
    (r"/aftersales/cases/\{case_id\}/receipts$", "must_be_positive", "resellable + damaged"),
    (r"/aftersales/analysis/returns$", "period_ends_before_it_starts", "from and to: two fields"),
    (r"/aftersales/analysis/returns$", "period_too_long", "from and to: two fields"),
    (r"/insurance-claims$", "invalid_characters", "an insurer's name is one printable line"),
    # LOG-3, ORD-11: a rate's weights across two fields; a statement is a file part
    (r"/price-table$", "max_under_first_weight", "a rate's max weight at least its first"),
]

ANSWERED = {401, 403, 404, 409, 429}


def explained(operation: str, code: str) -> bool:
    if code in STATE:
        return True
    return any(c == code and re.search(p, operation) for p, c, _ in RULES)


@schemathesis.check
def rejected_only_for_state(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request refused (4xx) only for a listed reason."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status >= 500 or status in ANSWERED:
        return None
    try:
        problem = response.json()
    except ValueError:
        raise AssertionError(f"a {status} that is not problem+json") from None
    codes = {e["code"] for e in problem.get("errors") or []} or {problem.get("code")}
    operation = case.operation.label
    unexplained = sorted(c for c in codes if not explained(operation, str(c)))
    if unexplained:
        raise AssertionError(
            f"schema-valid request refused ({status}) for {', '.join(unexplained)}:"
            " state the rule in the document, or list why a schema cannot"
        )
    return None
