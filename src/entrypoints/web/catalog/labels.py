"""The console's words for the catalog's codes (lifecycle states, sorts, job states): the
codes stay what the API says, the page shows these labels."""

from __future__ import annotations

LIFECYCLE = {
    "new": "catalog.lifecycle_new",
    "active": "catalog.lifecycle_active",
    "phasing_out": "catalog.lifecycle_phasing_out",
    "discontinued": "catalog.lifecycle_discontinued",
}
SORT = {
    "created": "catalog.sort_created",
    "-created": "catalog.sort_created_desc",
    "updated": "catalog.sort_updated",
    "-updated": "catalog.sort_updated_desc",
    "price": "catalog.sort_price",
    "-price": "catalog.sort_price_desc",
}
JOB = {
    "queued": "catalog.job_queued",
    "running": "catalog.job_running",
    "succeeded": "catalog.job_succeeded",
    "failed": "catalog.job_failed",
}
IMPORT = {
    "checking": "catalog.import_checking",
    "checked": "catalog.import_checked",
    "committing": "catalog.import_committing",
    "committed": "catalog.import_committed",
}
COUNT = {
    "products": "catalog.count_products",
    "created": "catalog.count_created",
    "updated": "catalog.count_updated",
    "unchanged": "catalog.count_unchanged",
    "rejected": "catalog.count_rejected",
    "errors": "catalog.count_errors",
}
LABELS = {"lifecycle": LIFECYCLE, "sort": SORT, "job": JOB, "import": IMPORT, "count": COUNT}
