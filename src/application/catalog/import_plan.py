"""Evaluating an import file against what is stored (CAT-2): read the sheet, check the
header, group rows into products, look up what the domain needs in a few set-based reads,
plan with ``plan_import`` and turn each valid product into a change. The validation
preview (dry run) and the commit run exactly this; only the commit writes the changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from application.catalog.import_apply import ProductChange, apply_planned
from application.catalog.import_creations import Creations, created_lookups, plan_creations
from application.catalog.ports.files import ImportRecord, TableFiles, file_rows
from application.catalog.ports.store import CATALOG
from application.catalog.priced_listings import unpriced_listing_errors
from application.catalog.whole_lists import all_rows, categories, category_paths, product_types
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.category import category_path_key
from domain.catalog.checks import name_key
from domain.catalog.codes import barcode_key, code_key
from domain.catalog.file_layout import HEADER_ROW, Layout, read_header
from domain.catalog.import_references import missing_references
from domain.catalog.import_rows import (
    Grouping,
    ImportContext,
    PlannedProduct,
    group_rows,
    plan_import,
)
from domain.catalog.permissions import CATALOG_READ_COST
from domain.shared.errors import DomainError, ValidationFailed
from domain.shared.file_rows import RowError


@dataclass
class Evaluation:
    errors: list[RowError] = field(default_factory=list)
    changes: list[ProductChange] = field(default_factory=list)
    unchanged: int = 0
    rejected: int = 0
    products: int = 0  # product groups in the file
    creations: Creations = field(default_factory=Creations)  # asked for: createMissing
    to_create: dict[str, list[str]] = field(default_factory=dict)  # what the file lacks

    @property
    def counts(self) -> dict[str, int]:
        created = sum(1 for c in self.changes if c.created)
        return {
            "products": self.products,
            "created": created,
            "updated": len(self.changes) - created,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": len(self.errors),
        }


async def evaluate(
    uow: UnitOfWork,
    tables: TableFiles,
    record: ImportRecord,
    *,
    currency: str,
    actor: str,
    now: datetime,
    new_id: Callable[[], UUID],
    lock: bool,
) -> Evaluation:
    result = Evaluation()
    rows = file_rows(tables, record.content, record.format)
    if isinstance(rows, RowError):
        result.errors.append(rows)
        return result
    layout, header_errors = read_header(rows[0])
    if layout.has("cost") and not record.include_cost:
        header_errors.append(
            RowError(HEADER_ROW, "cost", "permission_denied", {"permission": CATALOG_READ_COST})
        )
    if header_errors:  # a wrong header makes every row unreadable: nothing imports
        result.errors.extend(header_errors)
        return result
    grouping = group_rows(layout, rows[1:])
    result.products = len(grouping.groups)
    paths = category_paths(await categories(uow))  # read once: for the rows and creations
    context = await _context(uow, grouping, paths, currency, new_id, lock)
    context = _with_missing(layout, grouping, context, record, paths, new_id, result)
    plan = plan_import(layout, grouping, context)
    errors = [*plan.errors, *result.creations.errors]
    rejected = set(plan.rejected)
    taken = await _barcodes_of_others(uow, plan.products, grouping)
    errors.extend(taken)
    bad_rows = {e.row for e in taken}
    for planned in plan.products:
        if bad_rows.intersection(planned.rows):
            rejected.add(planned.product_code)
            continue
        try:
            change = apply_planned(planned, currency, actor, now, new_id)
        except ValidationFailed as error:
            first = planned.rows[0]
            errors.extend(
                RowError(first, "product_code" if e.field == "code" else None, e.code, e.params)
                for e in error.errors
            )
            rejected.add(planned.product_code)
            continue
        except DomainError as error:
            errors.append(RowError(planned.rows[0], None, error.code, error.params))
            rejected.add(planned.product_code)
            continue
        if change is None:
            result.unchanged += 1
            continue
        unpriced = [] if change.created else await unpriced_listing_errors(uow, change.product)
        if unpriced:  # as over HTTP: a published listing keeps a price for every SKU
            errors.extend(
                RowError(planned.rows[0], "list_price", e.code, e.params) for e in unpriced
            )
            rejected.add(planned.product_code)
            continue
        result.changes.append(change)
    errors.sort(key=lambda e: (e.row, e.column or "", e.code))
    result.errors = errors
    result.rejected = len(rejected)
    return result


def _with_missing(
    layout: Layout,
    grouping: Grouping,
    context: ImportContext,
    record: ImportRecord,
    paths: dict[UUID, list[str]],
    new_id: Callable[[], UUID],
    result: Evaluation,
) -> ImportContext:
    """Notes what the file names that the catalog lacks; when the uploader asked to create
    it, plans the creations and returns the lookups with them, so the rows naming them
    resolve (``application.catalog.import_creations``)."""
    known_types = {name_key(t.name) for t in context.product_types}
    missing = missing_references(
        layout, grouping, context.category_ids, context.brand_ids, known_types
    )
    result.to_create = missing.listed() if missing else {}
    if not (record.create_missing and missing):
        return context
    result.creations = plan_creations(missing, paths, new_id)
    new_categories, new_brands = created_lookups(result.creations, paths)
    return replace(
        context,
        product_types=[*context.product_types, *result.creations.product_types],
        category_ids={**context.category_ids, **new_categories},
        brand_ids={**context.brand_ids, **new_brands},
    )


async def _context(
    uow: UnitOfWork,
    grouping: Grouping,
    paths: dict[UUID, list[str]],
    currency: str,
    new_id: Callable[[], UUID],
    lock: bool,
) -> ImportContext:
    types = await product_types(uow)
    brands = await all_rows(uow.of(CATALOG).brands.page)
    codes = sorted({code_key(g.product_code) for g in grouping.groups})
    existing = await uow.of(CATALOG).catalog_files.products_by_code_keys(codes, lock=lock)
    sku_codes = sorted(
        {code_key(row.get("sku_code")) for g in grouping.groups for row in g.sku_rows}
    )
    return ImportContext(
        currency=currency,
        product_types=types,
        category_ids={category_path_key(path): cid for cid, path in paths.items()},
        brand_ids={name_key(b.name): b.id for b in brands},
        existing={code_key(p.code): p for p in existing},
        sku_owners=await uow.of(CATALOG).catalog_files.sku_owners(sku_codes),
        new_id=new_id,
    )


async def _barcodes_of_others(
    uow: UnitOfWork, planned: tuple[PlannedProduct, ...], grouping: Grouping
) -> list[RowError]:
    """Barcodes the file gives a SKU while a SKU of another product holds them (the
    domain sees one product at a time; the unique index would refuse the whole file)."""
    row_of = {
        code_key(row.get("sku_code")): row.number for g in grouping.groups for row in g.sku_rows
    }
    wanted = {
        barcode_key(sku.barcode): (p.product_code, sku.code, sku.barcode)
        for p in planned
        for sku in p.skus
        if sku.barcode and code_key(sku.code) in row_of
    }
    owners = await uow.of(CATALOG).catalog_files.barcode_owners(sorted(wanted))
    errors = []
    for key, owner in owners.items():
        product_code, sku_code, barcode = wanted[key]
        if code_key(owner) != code_key(product_code):
            errors.append(
                RowError(
                    row_of[code_key(sku_code)], "barcode", "barcode_taken", {"barcode": barcode}
                )
            )
    return errors
