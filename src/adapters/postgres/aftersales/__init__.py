"""After-sales cases and return figures in Postgres (ORD-6, LOG-4)."""
