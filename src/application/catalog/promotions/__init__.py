"""Promotional prices (CAT-10): one file per use case, gathered by ``PromotionService``."""

from application.catalog.promotions.common import PromotionData, PromotionView, instant
from application.catalog.promotions.service import PromotionService

__all__ = ["PromotionData", "PromotionService", "PromotionView", "instant"]
