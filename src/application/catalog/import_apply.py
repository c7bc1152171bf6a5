"""One planned product of an import becomes a change (CAT-2): the single place where an
import creates or revises a product. A product the file discontinues is then taken off
sale on every channel by the commit (``CatalogImports._write``), as over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.catalog.ports.files import ProductWrite
from domain.catalog.import_rows import PlannedProduct
from domain.catalog.product import Lifecycle, Product
from domain.catalog.snapshot_diff import diff_snapshots
from domain.catalog.versions import ProductVersion


@dataclass(frozen=True)
class ProductChange:
    write: ProductWrite
    created: bool

    @property
    def product(self) -> Product:
        return self.write.product


def apply_planned(
    planned: PlannedProduct,
    currency: str,
    actor: str,
    now: datetime,
    new_id: Callable[[], UUID],
) -> ProductChange | None:
    """The product after the file, with its version; None when nothing changes (no
    version, audit record or event). Raises the domain's errors (ValidationFailed,
    Conflict) like the HTTP path does."""
    existing = planned.existing
    if existing is None:
        product = Product.create_validated(  # the plan validated the content
            new_id(), planned.product_code, planned.content, now, planned.lifecycle or Lifecycle.NEW
        )
        snapshot = product.snapshot()  # fresh: no copy needed (first_version deep-copies)
        version = ProductVersion(product.id, 1, snapshot, actor, now, diff_snapshots({}, snapshot))
        return ProductChange(ProductWrite(product, None, version), created=True)
    product = existing
    before, read_version = product.snapshot(), product.version
    changed = bool(
        product.revise(planned.product, planned.skus, planned.product_type, currency, now)
    )
    if planned.lifecycle is not None:
        changed |= bool(product.change_lifecycle(planned.lifecycle, now))
    if not changed:
        return None
    product.version = read_version + 1  # one version per import, as per command
    snapshot = product.snapshot()
    version = ProductVersion(
        product.id, product.version, snapshot, actor, now, diff_snapshots(before, snapshot)
    )
    return ProductChange(ProductWrite(product, read_version, version), created=False)
