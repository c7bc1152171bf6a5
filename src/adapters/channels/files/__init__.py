"""Order files into platform orders (ORD-9, CHN-2): CSV in Shopify's order-export layout
and the JSON order file (the connector port's wire shape)."""
