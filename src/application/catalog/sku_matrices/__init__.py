"""A product's SKUs from chosen variant values (CAT-5): one file per use case, run through
``UseCases``."""

from application.catalog.sku_matrices.common import MatrixPreview as MatrixPreview
from application.catalog.sku_matrices.common import MatrixRequest as MatrixRequest
from application.catalog.sku_matrices.generate import GenerateSkus as GenerateSkus
from application.catalog.sku_matrices.preview import PreviewSkuMatrix as PreviewSkuMatrix
