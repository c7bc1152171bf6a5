"""Product types (CAT-5): one file per use case, gathered by ``ProductTypeService``."""

from application.catalog.product_types.common import AttributeInput, definitions
from application.catalog.product_types.service import ProductTypeService

__all__ = ["AttributeInput", "ProductTypeService", "definitions"]
