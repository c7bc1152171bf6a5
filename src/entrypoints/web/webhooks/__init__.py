"""Settings → webhooks (CHN-3): endpoints, their signing secret shown once, the delivery
log with each attempt, a delivery sent again."""

from litestar import Router

from application.webhooks.endpoints.queries import ListEndpoints
from application.webhooks.service import WebhookService
from entrypoints.http.dependencies import service
from entrypoints.web.menu import MenuItem
from entrypoints.web.webhooks.pages import WebhookPages

router = Router(
    path="/settings/webhooks",
    route_handlers=[WebhookPages],
    dependencies={"webhooks": service(WebhookService)},
)
MENU = (MenuItem("nav.webhooks", "/console/settings/webhooks", ListEndpoints, order=940),)
