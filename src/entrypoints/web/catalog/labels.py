"""The console's words for the catalog's codes (lifecycle states, sorts, job states): the
codes stay what the API says, the page shows these labels."""

from __future__ import annotations

from entrypoints.web.jobs.progress import STATUS_LABELS

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
JOB = STATUS_LABELS  # a job's state is said alike on every page that shows one
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
