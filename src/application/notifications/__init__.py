"""Notifications: the ``Notifier`` (inbox, email, webhook), the inbox and email delivery."""
