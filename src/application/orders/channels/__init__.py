"""Sales-channel connectors for orders (ORD-9, CHN-2): the port and, later, intake."""
