"""The category tree (CAT-4): one file per use case, gathered by ``CategoryService``."""

from application.catalog.categories.change import KEEP, CategoryChanges
from application.catalog.categories.service import CategoryService

__all__ = ["KEEP", "CategoryChanges", "CategoryService"]
