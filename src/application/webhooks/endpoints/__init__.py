"""Webhook endpoints (CHN-3): one file per use case, run through ``UseCases``."""

from application.webhooks.endpoints.common import EndpointWithSecret as EndpointWithSecret
from application.webhooks.endpoints.create import CreateEndpoint as CreateEndpoint
from application.webhooks.endpoints.create import NewEndpoint as NewEndpoint
from application.webhooks.endpoints.delete import DeleteEndpoint as DeleteEndpoint
from application.webhooks.endpoints.queries import GetEndpoint as GetEndpoint
from application.webhooks.endpoints.queries import ListEndpoints as ListEndpoints
from application.webhooks.endpoints.rotate_secret import RotateSecret as RotateSecret
from application.webhooks.endpoints.update import EndpointChanges as EndpointChanges
from application.webhooks.endpoints.update import UpdateEndpoint as UpdateEndpoint
