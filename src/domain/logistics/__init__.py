"""Logistics (LOG-1, LOG-3): carriers and their waybills."""
