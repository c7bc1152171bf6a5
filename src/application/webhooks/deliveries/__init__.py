"""The webhook delivery log (CHN-3): the tenant's view (``log``, one file per use case)
and the operator's support view (``support``)."""

from application.webhooks.deliveries.common import DeliveryDetail, delivery_filter
from application.webhooks.deliveries.log import DeliveryLog
from application.webhooks.deliveries.support import SupportDeliveries

__all__ = ["DeliveryDetail", "DeliveryLog", "SupportDeliveries", "delivery_filter"]
