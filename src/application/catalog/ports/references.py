"""What the catalog publishes for other modules to name its things (#9 item 16): a
category by id or path, as the catalog's own filters read it (inventory's thresholds and
analysis name categories this way)."""

from application.catalog.references import category_of

__all__ = ["category_of"]
