"""Sales-channel connectors (ORD-9, CHN-2): adapters of ``application.orders.channels.ports``."""
