"""The webhook delivery log (CHN-3): the tenant's view (``queries``, run through
``UseCases``; ``DeliveryReplay`` queues a replayed delivery after its commit) and the
operator's support view (``support``)."""

from application.webhooks.deliveries.common import DeliveryDetail as DeliveryDetail
from application.webhooks.deliveries.common import delivery_filter as delivery_filter
from application.webhooks.deliveries.log import DeliveryReplay as DeliveryReplay
from application.webhooks.deliveries.queries import GetDelivery as GetDelivery
from application.webhooks.deliveries.queries import ListDeliveries as ListDeliveries
from application.webhooks.deliveries.replay import ReplayDelivery as ReplayDelivery
from application.webhooks.deliveries.support import SupportDeliveries as SupportDeliveries
