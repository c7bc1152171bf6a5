"""Products (SPU) and their SKUs (CAT-1), with their lifecycle (CAT-11).

A product holds what its variants share — name, description, material, kind, the
pre-order and sell-out-of-stock flags, type, category, brand and its specifications. A SKU
holds what a variant sells by: code, barcode, variant-axis values, list price, cost and
weight. Prices are Money in the tenant's one currency; a SKU may be saved without a list
price (a draft), but cannot be published without one (``channel.py``). A virtual product's
SKUs have no weight.

SKUs are never deleted: orders and stock point at them. A SKU left out of a revision is
archived and kept, its code still taken. Archiving a product (its "deletion") keeps it
whole; an archived product refuses every change.

Lifecycle (``LIFECYCLE_TRANSITIONS``)::

    new          → active, discontinued
    active       → phasing_out, discontinued
    phasing_out  → active, discontinued
    discontinued → active

Forward moves may skip a step only to ``discontinued`` (a product dropped before or while
selling). Going back: only ever to ``active`` — cancelling a phase-out, or relaunching a
discontinued product — and never to ``new``, which means "never on sale" and stops being
true once it was. Setting the current state again is no change. A product may be *created*
in any state (an import brings a catalog as it is).

Every change returns its field-level diff (``snapshot_diff``) and records a domain event
with the product id and the changed field names only: ``product.created``,
``product.updated``, ``product.archived``. A change that changes nothing returns an empty
diff, bumps no version and records no event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.catalog.checks import FieldChecks, canonical_decimal, decimal_places
from domain.catalog.codes import barcode_key, check_barcode, check_code, code_key
from domain.catalog.product_type import (
    AttributeValue,
    ProductType,
    check_product_attributes,
    snapshot_value,
)
from domain.catalog.snapshot_diff import changed_field_names, diff_snapshots
from domain.shared.audit import AuditChange
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.money import Money

ENTITY = "product"
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
MAX_MATERIAL_LENGTH = 100
MAX_ACTIVE_SKUS = 1000  # equal to the SKU-matrix cap: a full matrix always fits
MAX_WEIGHT_GRAMS = Decimal(10) ** 7  # ten tonnes
MAX_WEIGHT_PLACES = 3  # milligrams


class ProductKind(StrEnum):
    PHYSICAL = "physical"
    VIRTUAL = "virtual"  # services, cards, downloads: no weight, nothing to ship


class Lifecycle(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    PHASING_OUT = "phasing_out"
    DISCONTINUED = "discontinued"


LIFECYCLE_TRANSITIONS: Mapping[Lifecycle, frozenset[Lifecycle]] = {
    Lifecycle.NEW: frozenset({Lifecycle.ACTIVE, Lifecycle.DISCONTINUED}),
    Lifecycle.ACTIVE: frozenset({Lifecycle.PHASING_OUT, Lifecycle.DISCONTINUED}),
    Lifecycle.PHASING_OUT: frozenset({Lifecycle.ACTIVE, Lifecycle.DISCONTINUED}),
    Lifecycle.DISCONTINUED: frozenset({Lifecycle.ACTIVE}),
}


@dataclass(frozen=True)
class ProductInput:
    """What a form, an import row group or a restored snapshot says about the product."""

    name: str
    description: str = ""
    material: str | None = None
    kind: ProductKind = ProductKind.PHYSICAL
    preorder_allowed: bool = False
    sell_out_of_stock_allowed: bool = False
    category_id: UUID | None = None
    brand_id: UUID | None = None
    attributes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SkuInput:
    """One SKU as input; ``id`` is generated outside for new SKUs."""

    id: UUID
    code: str
    list_price: Decimal | None = None
    cost: Decimal | None = None
    barcode: str | None = None
    weight_grams: Decimal | None = None
    axis_values: Mapping[str, object] = field(default_factory=dict)
    archived: bool = False


@dataclass(frozen=True)
class ProductDetails:
    """The validated product-level fields."""

    name: str
    description: str
    material: str | None
    kind: ProductKind
    preorder_allowed: bool
    sell_out_of_stock_allowed: bool
    product_type_id: UUID | None
    category_id: UUID | None
    brand_id: UUID | None
    attributes: Mapping[str, AttributeValue]


@dataclass(frozen=True)
class Sku:
    id: UUID
    code: str
    list_price: Money | None
    cost: Money | None
    barcode: str | None
    weight_grams: Decimal | None
    axis_values: Mapping[str, str]
    archived: bool = False

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "code": self.code,
            "barcode": self.barcode,
            "axisValues": dict(sorted(self.axis_values.items())),
            "listPrice": str(self.list_price.amount) if self.list_price else None,
            "cost": str(self.cost.amount) if self.cost else None,
            "weightGrams": (
                canonical_decimal(self.weight_grams) if self.weight_grams is not None else None
            ),
            "archived": self.archived,
        }

    def as_input(self) -> SkuInput:
        return SkuInput(
            id=self.id,
            code=self.code,
            list_price=self.list_price.amount if self.list_price else None,
            cost=self.cost.amount if self.cost else None,
            barcode=self.barcode,
            weight_grams=self.weight_grams,
            axis_values=dict(self.axis_values),
            archived=self.archived,
        )


def validate_content(
    product: ProductInput,
    skus: Sequence[SkuInput],
    product_type: ProductType | None,
    currency: str,
    check: FieldChecks | None = None,
) -> tuple[ProductDetails, tuple[Sku, ...]]:
    """Validate a product and its SKUs together; every error at its path (``name``,
    ``attributes.color``, ``skus[2].listPrice``, …). With ``check`` given, errors are left
    in it for the caller (an import maps them to rows); otherwise ValidationFailed."""
    own = check is None
    checks = check if check is not None else FieldChecks()
    details = ProductDetails(
        name=checks.text("name", product.name, MAX_NAME_LENGTH, required=True) or "",
        description=checks.text(
            "description",
            product.description,
            MAX_DESCRIPTION_LENGTH,
            required=False,
            multiline=True,
        )
        or "",
        material=checks.text("material", product.material, MAX_MATERIAL_LENGTH, required=False),
        kind=product.kind,
        preorder_allowed=product.preorder_allowed,
        sell_out_of_stock_allowed=product.sell_out_of_stock_allowed,
        product_type_id=product_type.id if product_type else None,
        category_id=product.category_id,
        brand_id=product.brand_id,
        attributes=check_product_attributes(checks, "attributes", product_type, product.attributes),
    )
    clean = tuple(
        _checked_sku(checks, f"skus[{i}]", sku, product_type, product.kind, currency)
        for i, sku in enumerate(skus)
    )
    _check_unique(checks, clean)
    active = sum(1 for sku in clean if not sku.archived)
    if active > MAX_ACTIVE_SKUS:
        checks.add(FieldError("skus", "too_many", {"max": MAX_ACTIVE_SKUS}))
    if own:
        checks.raise_if_failed()
    return details, clean


def _checked_sku(
    check: FieldChecks,
    path: str,
    sku: SkuInput,
    product_type: ProductType | None,
    kind: ProductKind,
    currency: str,
) -> Sku:
    weight = sku.weight_grams
    if weight is not None:
        if not weight.is_finite() or weight < 0 or weight >= MAX_WEIGHT_GRAMS:
            check.add(FieldError(f"{path}.weightGrams", "invalid_weight", {"max": "10000000"}))
        elif decimal_places(weight) > MAX_WEIGHT_PLACES:
            check.add(
                FieldError(
                    f"{path}.weightGrams", "too_many_decimal_places", {"max": MAX_WEIGHT_PLACES}
                )
            )
        elif kind is ProductKind.VIRTUAL and not sku.archived:
            check.add(FieldError(f"{path}.weightGrams", "weight_not_allowed_for_virtual"))
    if sku.archived:
        # Archived SKUs are kept as they were: a later change of the product's type or kind
        # must not make them invalid. Intrinsic checks (code, barcode, amounts) still apply.
        axis_values = {str(k): str(v) for k, v in sku.axis_values.items()}
    elif product_type is None:
        for code in sorted(sku.axis_values):
            check.add(FieldError(f"{path}.axisValues.{code}", "unknown_attribute"))
        axis_values = {}
    else:
        axis_values = product_type.axis_values(check, f"{path}.axisValues", sku.axis_values)
    return Sku(
        id=sku.id,
        code=check_code(check, f"{path}.code", sku.code) or sku.code,
        list_price=check.amount(f"{path}.listPrice", sku.list_price, currency),
        cost=check.amount(f"{path}.cost", sku.cost, currency),
        barcode=check_barcode(check, f"{path}.barcode", sku.barcode),
        weight_grams=Decimal(canonical_decimal(weight)) if weight is not None else None,
        axis_values=axis_values,
        archived=sku.archived,
    )


def _check_unique(check: FieldChecks, skus: tuple[Sku, ...]) -> None:
    """Codes and barcodes are unique among all the product's SKUs, archived ones too;
    variant combinations among the active ones (an archived SKU may share a combination
    with its replacement)."""
    codes: dict[str, int] = {}
    barcodes: dict[str, int] = {}
    combinations: dict[tuple[tuple[str, str], ...], int] = {}
    ids: set[UUID] = set()
    for i, sku in enumerate(skus):
        if sku.id in ids:
            check.add(FieldError(f"skus[{i}].id", "duplicate"))
        ids.add(sku.id)
        if code_key(sku.code) in codes:
            check.add(
                FieldError(f"skus[{i}].code", "duplicate", {"index": codes[code_key(sku.code)]})
            )
        codes.setdefault(code_key(sku.code), i)
        if sku.barcode is not None:
            if barcode_key(sku.barcode) in barcodes:
                check.add(
                    FieldError(
                        f"skus[{i}].barcode",
                        "duplicate",
                        {"index": barcodes[barcode_key(sku.barcode)]},
                    )
                )
            barcodes.setdefault(barcode_key(sku.barcode), i)
        if not sku.archived:
            combination = tuple(sorted(sku.axis_values.items()))
            if combination in combinations:
                field, first = f"skus[{i}].axisValues", {"index": combinations[combination]}
                if combination:
                    check.add(FieldError(field, "duplicate", first))
                else:  # no variant values at all: nothing tells this SKU from the first
                    check.add(FieldError(field, "second_sku_without_variants", first))
            combinations.setdefault(combination, i)


@dataclass
class Product(RecordsEvents):
    id: UUID
    code: str  # the SPU code: groups import rows; fixed once created
    details: ProductDetails
    skus: tuple[Sku, ...]
    lifecycle: Lifecycle
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    version: int = 1

    @classmethod
    def create(
        cls,
        product_id: UUID,
        code: str,
        product: ProductInput,
        skus: Sequence[SkuInput],
        product_type: ProductType | None,
        currency: str,
        at: datetime,
        lifecycle: Lifecycle = Lifecycle.NEW,
    ) -> Product:
        check = FieldChecks()
        clean_code = check_code(check, "code", code)
        details, clean_skus = validate_content(product, skus, product_type, currency, check)
        check.raise_if_failed()
        return cls.create_validated(
            product_id, clean_code or code, (details, clean_skus), at, lifecycle
        )

    @classmethod
    def create_validated(
        cls,
        product_id: UUID,
        code: str,
        content: tuple[ProductDetails, tuple[Sku, ...]],
        at: datetime,
        lifecycle: Lifecycle = Lifecycle.NEW,
    ) -> Product:
        """A new product from what ``validate_content`` returned (an import validates each
        product while planning it, so creating it does not validate it twice); the code is
        checked here."""
        check = FieldChecks()
        clean_code = check_code(check, "code", code)
        check.raise_if_failed()
        details, clean_skus = content
        created = cls(product_id, clean_code or code, details, clean_skus, lifecycle, at, at)
        created.record_event(
            DomainEvent("product.created", ENTITY, product_id, data={"code": created.code})
        )
        return created

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def active_skus(self) -> tuple[Sku, ...]:
        return tuple(sku for sku in self.skus if not sku.archived)

    def sku(self, sku_id: UUID) -> Sku | None:
        return next((s for s in self.skus if s.id == sku_id), None)

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able state: what versions store and diffs compare."""
        details = self.details
        return {
            "code": self.code,
            "name": details.name,
            "description": details.description,
            "material": details.material,
            "kind": str(details.kind),
            "preorderAllowed": details.preorder_allowed,
            "sellOutOfStockAllowed": details.sell_out_of_stock_allowed,
            "productTypeId": _id_text(details.product_type_id),
            "categoryId": _id_text(details.category_id),
            "brandId": _id_text(details.brand_id),
            "attributes": {k: snapshot_value(v) for k, v in sorted(details.attributes.items())},
            "lifecycle": str(self.lifecycle),
            "archived": self.archived,
            "skus": [sku.snapshot() for sku in self.skus],
        }

    def as_input(self) -> tuple[ProductInput, list[SkuInput]]:
        """The current state as input, for a partial edit to change what it sends."""
        return inputs_from_snapshot(self.snapshot())

    def revise(
        self,
        product: ProductInput,
        skus: Sequence[SkuInput],
        product_type: ProductType | None,
        currency: str,
        at: datetime,
    ) -> tuple[AuditChange, ...]:
        """Replace the content. Current SKUs missing from ``skus`` are archived and kept."""
        self._refuse_if_archived()
        given = {sku.id for sku in skus}
        kept = [replace(sku.as_input(), archived=True) for sku in self.skus if sku.id not in given]
        details, clean = validate_content(product, [*skus, *kept], product_type, currency)
        return self._apply(at, details=details, skus=clean)

    def restore(
        self,
        snapshot: Mapping[str, Any],
        product_type: ProductType | None,
        currency: str,
        at: datetime,
    ) -> tuple[AuditChange, ...]:
        """Bring the content back to a stored snapshot (CAT-8). ``product_type``: the type
        the snapshot names (``productTypeId``), as it is now. Lifecycle and archiving are
        not content: they keep their current values and move only by their own rules."""
        product, skus = inputs_from_snapshot(snapshot)
        return self.revise(product, skus, product_type, currency, at)

    def change_lifecycle(self, target: Lifecycle, at: datetime) -> tuple[AuditChange, ...]:
        self._refuse_if_archived()
        if target is self.lifecycle:
            return ()
        if target not in LIFECYCLE_TRANSITIONS[self.lifecycle]:
            raise ValidationFailed.single(
                "lifecycle",
                "lifecycle_transition_not_allowed",
                current=str(self.lifecycle),
                requested=str(target),
            )
        return self._apply(at, lifecycle=target)

    def launch(self, at: datetime) -> tuple[AuditChange, ...]:
        """Publishing a new product puts it on sale: new → active; otherwise no change."""
        if self.lifecycle is Lifecycle.NEW:
            return self.change_lifecycle(Lifecycle.ACTIVE, at)
        return ()

    def archive(self, at: datetime) -> tuple[AuditChange, ...]:
        """The product's deletion: it stays, with its SKUs, versions and references."""
        self._refuse_if_archived()
        return self._apply(at, archived_at=at, event_type="product.archived")

    def _refuse_if_archived(self) -> None:
        if self.archived:
            raise Conflict("product_archived", product_code=self.code)

    def _apply(
        self,
        at: datetime,
        *,
        details: ProductDetails | None = None,
        skus: tuple[Sku, ...] | None = None,
        lifecycle: Lifecycle | None = None,
        archived_at: datetime | None = None,
        event_type: str = "product.updated",
    ) -> tuple[AuditChange, ...]:
        before = self.snapshot()
        previous = (self.details, self.skus, self.lifecycle, self.archived_at)
        self.details = details or self.details
        self.skus = skus if skus is not None else self.skus
        self.lifecycle = lifecycle or self.lifecycle
        self.archived_at = archived_at or self.archived_at
        changes = diff_snapshots(before, self.snapshot())
        if not changes:
            self.details, self.skus, self.lifecycle, self.archived_at = previous
            return ()
        self.updated_at = at
        self.version += 1
        self.record_event(DomainEvent(event_type, ENTITY, self.id, changed_field_names(changes)))
        return changes


def _id_text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _decimal_or_none(value: object) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _uuid_or_none(value: object) -> UUID | None:
    return UUID(str(value)) if value is not None else None


def inputs_from_snapshot(snapshot: Mapping[str, Any]) -> tuple[ProductInput, list[SkuInput]]:
    """Read a snapshot (``Product.snapshot``) back as input. Values are validated again
    when applied, against the product type as it is now."""
    product = ProductInput(
        name=snapshot["name"],
        description=snapshot["description"],
        material=snapshot["material"],
        kind=ProductKind(snapshot["kind"]),
        preorder_allowed=snapshot["preorderAllowed"],
        sell_out_of_stock_allowed=snapshot["sellOutOfStockAllowed"],
        category_id=_uuid_or_none(snapshot["categoryId"]),
        brand_id=_uuid_or_none(snapshot["brandId"]),
        attributes=dict(snapshot["attributes"]),
    )
    skus = [
        SkuInput(
            id=UUID(sku["id"]),
            code=sku["code"],
            list_price=_decimal_or_none(sku["listPrice"]),
            cost=_decimal_or_none(sku["cost"]),
            barcode=sku["barcode"],
            weight_grams=_decimal_or_none(sku["weightGrams"]),
            axis_values=dict(sku["axisValues"]),
            archived=sku["archived"],
        )
        for sku in snapshot["skus"]
    ]
    return product, skus
