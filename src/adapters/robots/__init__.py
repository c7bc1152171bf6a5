"""Group robot webhooks (企业微信 / 钉钉) that receive stock alerts (INV-3)."""
