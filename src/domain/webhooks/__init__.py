"""Outgoing webhooks (CHN-3): endpoints, deliveries, Standard Webhooks signatures, retries
and the rule of where a webhook may be sent."""
