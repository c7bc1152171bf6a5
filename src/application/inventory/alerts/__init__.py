"""Stock thresholds and alerts (INV-3)."""
