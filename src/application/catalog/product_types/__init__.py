"""Product types (CAT-5): one file per use case, run through ``UseCases``."""

from application.catalog.product_types.common import AttributeInput as AttributeInput
from application.catalog.product_types.common import definitions as definitions
from application.catalog.product_types.create import CreateProductType as CreateProductType
from application.catalog.product_types.revise import ReviseProductType as ReviseProductType
