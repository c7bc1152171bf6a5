"""Brands (CAT-6): one file per use case, gathered by ``BrandService``."""

from application.catalog.brands.service import BrandService

__all__ = ["BrandService"]
