"""Inventory (INV-*): warehouses, stock and its ledger, reservations, per-channel availability."""
