"""Transfers between warehouses (调拨, INV-5)."""
