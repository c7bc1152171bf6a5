"""Notification adapters: Jinja templates in zh-CN, zh-TW and en, and an SMTP sender."""
