"""Stock counts (盘点, INV-4)."""
