"""What the export use cases and the export job share."""

from __future__ import annotations

EXPORT_ENTITY = "catalog_export"
EXPORT_KIND = "catalog.export"
RUNNING, DONE = "running", "done"
