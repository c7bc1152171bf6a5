"""Fulfilment (LOG-1): from an approved order to a shipped one."""
