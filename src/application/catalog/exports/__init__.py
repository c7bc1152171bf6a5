"""Bulk export of the catalog (CAT-2): one file per use case, the job in ``job``,
gathered by ``CatalogExports``."""

from application.catalog.exports.common import EXPORT_KIND
from application.catalog.exports.service import CatalogExports

__all__ = ["EXPORT_KIND", "CatalogExports"]
