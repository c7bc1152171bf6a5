"""Brands (CAT-6): one file per use case, run through ``UseCases`` (registered in
``bootstrap/modules/catalog.py``). Logos: ``catalog.brand_logos``."""
