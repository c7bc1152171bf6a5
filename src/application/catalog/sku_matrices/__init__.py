"""A product's SKUs from chosen variant values (CAT-5): one file per use case, gathered by
``SkuMatrixService``."""

from application.catalog.sku_matrices.common import MatrixPreview, MatrixRequest
from application.catalog.sku_matrices.service import SkuMatrixService

__all__ = ["MatrixPreview", "MatrixRequest", "SkuMatrixService"]
