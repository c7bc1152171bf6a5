"""Reservations (INV-2): the port orders call, its commands and the expiry sweep."""
