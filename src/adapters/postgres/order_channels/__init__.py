"""Orders' channel tables (ORD-9, CHN-2): SKU mappings and connectors with sync points."""
