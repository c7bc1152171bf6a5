"""The console's words for each kind of job (``catalog.export`` is "Catalog export"), by
message id (literal, so ``make messages`` finds them); a kind not listed shows as it is."""

from __future__ import annotations

from application.catalog.exports.common import EXPORT_KIND
from application.catalog.imports import common as catalog_imports
from application.inventory.costing.revaluation import REVALUE_KIND
from application.inventory.imports import common as stock_imports
from application.keys.reencrypt import REENCRYPT_KIND
from application.logistics.settlement import RECONCILE_KIND
from application.orders.channels.imports import common as order_imports
from application.orders.queue.backfill import BACKFILL_KIND
from application.orders.review_job import REVIEW_KIND

KINDS = {
    EXPORT_KIND: "jobs.kind_catalog_export",
    catalog_imports.CHECK_KIND: "jobs.kind_catalog_import_check",
    catalog_imports.COMMIT_KIND: "jobs.kind_catalog_import_commit",
    order_imports.CHECK_KIND: "jobs.kind_orders_import_check",
    order_imports.COMMIT_KIND: "jobs.kind_orders_import_commit",
    BACKFILL_KIND: "jobs.kind_orders_rollups_backfill",
    REVIEW_KIND: "jobs.kind_orders_review_waiting",
    RECONCILE_KIND: "jobs.kind_logistics_statement_reconcile",
    REVALUE_KIND: "jobs.kind_inventory_revalue",
    stock_imports.CHECK_KIND: "jobs.kind_stock_import_check",
    stock_imports.COMMIT_KIND: "jobs.kind_stock_import_commit",
    REENCRYPT_KIND: "jobs.kind_keys_reencrypt",
}
