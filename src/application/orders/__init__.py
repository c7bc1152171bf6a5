"""Orders (ORD-1..ORD-10): the use cases come next (docs/orders.md, "Next steps"). The
package exists already so the orders domain's error codes have their own message catalog
(``entrypoints/messages/extract.py`` finds a module by its package here)."""
