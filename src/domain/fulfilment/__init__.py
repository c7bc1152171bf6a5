"""Fulfilment (LOG-1, ORD-6 dispatch side): waves, picking, verifying, weighing, shipping."""
