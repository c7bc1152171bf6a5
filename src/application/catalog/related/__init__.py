"""Related products (CAT-9): one file per use case, run through ``UseCases``."""

from application.catalog.related.common import RelatedView as RelatedView
from application.catalog.related.common import parse_kind as parse_kind
from application.catalog.related.queries import ShowRelated as ShowRelated
from application.catalog.related.replace import ReplaceRelated as ReplaceRelated
