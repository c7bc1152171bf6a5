"""After-sales (ORD-6) and return analysis (LOG-4): use cases and ports."""
