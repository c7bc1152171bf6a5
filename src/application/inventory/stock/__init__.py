"""Stock movements and their ledger (INV-1, INV-6; ORD-6 receiving side)."""
