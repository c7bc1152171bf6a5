"""Batches, expiry and serial numbers (INV-8)."""
