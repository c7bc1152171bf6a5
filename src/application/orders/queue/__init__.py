"""The orders work queue (ORD-8), its saved views, the abnormal queue, and analytics (ORD-10)."""
