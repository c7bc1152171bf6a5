"""Member prices (CAT-10): one file per use case, gathered by ``MemberPriceService``."""

from application.catalog.member_prices.common import load_sku
from application.catalog.member_prices.service import MemberPriceService

__all__ = ["MemberPriceService", "load_sku"]
