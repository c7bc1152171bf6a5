"""What an import file names that the catalog does not hold yet (CAT-2; #9 item 17).

A first import usually names categories (by path), brands and product types that do not
exist. Asked to (``createMissing``), the import creates them: the preview lists them and
the commit creates them in its transaction, before the products that name them. Each is
named once however many rows name it, compared the way the catalog compares names
(``name_key``: case, width and spaces); the first spelling in the file is kept. A missing
category path creates each missing level under the deepest existing one. A created product
type has no attributes: files name attributes of types that exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.catalog.category import category_path_key, category_path_text, split_category_path
from domain.catalog.checks import name_key
from domain.catalog.file_layout import Layout
from domain.catalog.import_rows import Grouping


@dataclass(frozen=True)
class MissingReferences:
    """In file order, each with the first row naming it: each category path (root first)
    with at least one missing level, each brand name and product type name the catalog
    does not hold."""

    category_paths: tuple[tuple[tuple[str, ...], int], ...] = ()
    brands: tuple[tuple[str, int], ...] = ()
    product_types: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.category_paths or self.brands or self.product_types)

    def listed(self) -> dict[str, list[str]]:
        """What the preview shows: category paths written as in files (``服装 > 男装``)."""
        return {
            "categories": [category_path_text(path) for path, _ in self.category_paths],
            "brands": [name for name, _ in self.brands],
            "productTypes": [name for name, _ in self.product_types],
        }


def missing_references(
    layout: Layout,
    grouping: Grouping,
    category_ids: Mapping[str, object],
    brand_ids: Mapping[str, object],
    product_type_names: set[str],
) -> MissingReferences:
    """The names the file's products give that the lookups (keyed as the import keys them:
    ``category_path_key``, ``name_key``) do not hold."""
    paths: dict[str, tuple[tuple[str, ...], int]] = {}
    brands: dict[str, tuple[str, int]] = {}
    types: dict[str, tuple[str, int]] = {}
    for group in grouping.groups:
        first, row = group.rows[0], group.first_row
        if layout.has("category") and (text := first.get("category")):
            names = tuple(split_category_path(text))
            key = category_path_key(names)
            if names and key not in category_ids:
                paths.setdefault(key, (names, row))
        brand = first.get("brand") if layout.has("brand") else ""
        if brand and name_key(brand) not in brand_ids:
            brands.setdefault(name_key(brand), (brand, row))
        kind = first.get("product_type") if layout.has("product_type") else ""
        if kind and name_key(kind) not in product_type_names:
            types.setdefault(name_key(kind), (kind, row))
    return MissingReferences(tuple(paths.values()), tuple(brands.values()), tuple(types.values()))
