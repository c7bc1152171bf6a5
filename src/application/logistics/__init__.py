"""Logistics (LOG-1, LOG-3): carriers, and waybills booked through a carrier's gateway."""
