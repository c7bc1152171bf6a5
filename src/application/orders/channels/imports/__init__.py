"""Order files (ORD-9, CHN-2): CSV in Shopify's order-export layout or the JSON order
file, uploaded for a channel, checked (the dry run) and committed as jobs on the catalog
import's machinery, through the channel intake's path (``taking.ChannelOrders``)."""
