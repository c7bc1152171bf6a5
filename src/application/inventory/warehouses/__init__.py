"""Warehouses and their bins (INV-1)."""
