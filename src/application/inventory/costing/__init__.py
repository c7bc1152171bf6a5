"""Inventory costing (INV-7): the hook every movement goes through, the method setting,
receipt documents with landed costs, the valuation at a date, the daily closing and the
re-valuation of a back-dated movement."""
