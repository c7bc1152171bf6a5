"""Use cases of the catalog module (docs/catalog.md)."""
