"""Related products (CAT-9): one file per use case, gathered by ``RelatedProductService``."""

from application.catalog.related.common import RelatedView, parse_kind
from application.catalog.related.service import RelatedProductService

__all__ = ["RelatedProductService", "RelatedView", "parse_kind"]
