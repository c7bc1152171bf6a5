"""The catalog (CAT-1..CAT-12, CHN-1): products and SKUs, product types, the SKU matrix,
categories, prices, sales channels, versions, search terms, related products and the
import/export layout. Pure standard library; the rules are written down in docs/catalog.md.
"""
