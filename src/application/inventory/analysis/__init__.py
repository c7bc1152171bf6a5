"""The daily position and the analysis (INV-9, INV-10)."""
