"""Notifications: messages to users and roles over the inbox, email and webhooks (ORD-7, INV-3)."""
