"""Promotional prices (CAT-10): one file per use case, run through ``UseCases``."""

from application.catalog.promotions.change import ChangePromotion as ChangePromotion
from application.catalog.promotions.common import PromotionData as PromotionData
from application.catalog.promotions.common import PromotionView as PromotionView
from application.catalog.promotions.common import instant as instant
from application.catalog.promotions.create import CreatePromotion as CreatePromotion
from application.catalog.promotions.delete import DeletePromotion as DeletePromotion
from application.catalog.promotions.queries import GetPromotion as GetPromotion
from application.catalog.promotions.queries import PromotionsOfSku as PromotionsOfSku
