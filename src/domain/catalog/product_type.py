"""Product types (CAT-5): the custom attributes products of a type carry, and which of them
make variants.

An attribute is text, a number (with an optional unit, e.g. "cm"), an enum (one of its
allowed values) or a boolean. Attributes flagged ``variant_axis`` (colour, size, …) are not
set on the product: every active SKU carries one value of each, and the SKU matrix is the
cartesian product of the chosen values (``sku_matrix.py``). The other attributes are the
product's specifications (规格参数), set once per product; ``required`` applies to them.

Canonical values: text with whitespace runs collapsed; numbers as Decimal (spelled by
``canonical_decimal`` in snapshots and files); enum values in the type's own spelling,
matched case- and width-insensitively ("xl" → "XL"); booleans as bool. SKU axis values are
stored as canonical text, which is what matrix matching compares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

from domain.catalog.checks import (
    FieldChecks,
    canonical_decimal,
    decimal_places,
    name_key,
    parse_boolean,
    to_decimal,
)
from domain.shared.errors import FieldError
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "product_type"
ATTRIBUTE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_TYPE_NAME_LENGTH = 50
MAX_ATTRIBUTE_NAME_LENGTH = 50
MAX_ATTRIBUTES = 50
MAX_VARIANT_AXES = 5
MAX_ENUM_VALUES = 200
MAX_VALUE_LENGTH = 64  # enum and variant-axis values: they reach SKU codes and titles
MAX_TEXT_LENGTH = 500
MAX_UNIT_LENGTH = 16
MAX_NUMBER = Decimal(10) ** 12
MAX_NUMBER_PLACES = 6

AttributeValue: TypeAlias = str | Decimal | bool


class AttributeKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    ENUM = "enum"
    BOOLEAN = "boolean"


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def value_text(value: AttributeValue) -> str:
    """Canonical text of a value: what SKU axis values, files and search hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    return value


def snapshot_value(value: AttributeValue) -> str | bool:
    """JSON-able: numbers as canonical text (never float), booleans stay booleans."""
    return canonical_decimal(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class AttributeDefinition:
    code: str  # stable key: ^[a-z][a-z0-9_]{0,31}$, used in snapshots and file columns
    name: str  # what merchants read, e.g. 颜色
    kind: AttributeKind
    variant_axis: bool = False
    required: bool = False  # specifications only; an axis is always required on active SKUs
    unit: str | None = None  # numbers only
    allowed_values: tuple[str, ...] = ()  # enums only, in display order

    def value(self, check: FieldChecks, path: str, raw: object) -> AttributeValue | None:
        """The canonical value of ``raw`` (None when blank), or an error at ``path``."""
        if is_blank(raw):
            return None
        if self.kind is AttributeKind.TEXT:
            if not isinstance(raw, str):
                check.add(FieldError(path, "invalid_value"))
                return None
            limit = MAX_VALUE_LENGTH if self.variant_axis else MAX_TEXT_LENGTH
            return check.text(path, raw, limit, required=True)
        if self.kind is AttributeKind.NUMBER:
            number = to_decimal(raw)
            if number is None:
                check.add(FieldError(path, "invalid_number"))
                return None
            if abs(number) >= MAX_NUMBER:
                check.add(FieldError(path, "too_large", {"max": str(MAX_NUMBER)}))
                return None
            if decimal_places(number) > MAX_NUMBER_PLACES:
                check.add(FieldError(path, "too_many_decimal_places", {"max": MAX_NUMBER_PLACES}))
                return None
            return Decimal(canonical_decimal(number))
        if self.kind is AttributeKind.ENUM:
            wanted = name_key(raw) if isinstance(raw, str) else None
            for allowed in self.allowed_values:
                if name_key(allowed) == wanted:
                    return allowed
            check.add(FieldError(path, "value_not_allowed", {"allowed": list(self.allowed_values)}))
            return None
        flag = parse_boolean(raw)
        if flag is None:
            check.add(FieldError(path, "invalid_boolean"))
        return flag


@dataclass
class ProductType(RecordsEvents):
    """Records ``product_type.created`` and ``product_type.updated`` (changed fields)."""

    id: UUID
    name: str
    attributes: tuple[AttributeDefinition, ...]
    version: int = 1

    @classmethod
    def create(
        cls, type_id: UUID, name: str, attributes: Sequence[AttributeDefinition]
    ) -> ProductType:
        clean_name, clean = _checked(name, attributes)
        created = cls(type_id, clean_name, clean)
        created.record_event(DomainEvent("product_type.created", ENTITY, type_id))
        return created

    def revise(self, name: str, attributes: Sequence[AttributeDefinition]) -> tuple[str, ...]:
        """Replace name and attributes; returns the names of the changed fields. Products
        are checked against the new definitions the next time they change."""
        clean_name, clean = _checked(name, attributes)
        changed = tuple(
            field
            for field, old, new in (
                ("name", self.name, clean_name),
                ("attributes", self.attributes, clean),
            )
            if old != new
        )
        if changed:
            self.name, self.attributes = clean_name, clean
            self.version += 1
            self.record_event(
                DomainEvent("product_type.updated", ENTITY, self.id, changed_fields=changed)
            )
        return changed

    def attribute(self, code: str) -> AttributeDefinition | None:
        return next((a for a in self.attributes if a.code == code), None)

    @property
    def axes(self) -> tuple[AttributeDefinition, ...]:
        return tuple(a for a in self.attributes if a.variant_axis)

    @property
    def specifications(self) -> tuple[AttributeDefinition, ...]:
        return tuple(a for a in self.attributes if not a.variant_axis)

    def product_attributes(
        self, check: FieldChecks, path: str, values: Mapping[str, object]
    ) -> dict[str, AttributeValue]:
        """A product's specifications: known, non-axis attributes, required ones present."""
        return check_product_attributes(check, path, self, values)

    def axis_values(
        self, check: FieldChecks, path: str, values: Mapping[str, object]
    ) -> dict[str, str]:
        """An active SKU's variant values: exactly one canonical value per axis."""
        result: dict[str, str] = {}
        for code in sorted(values):
            definition = self.attribute(code)
            if definition is None:
                check.add(FieldError(f"{path}.{code}", "unknown_attribute"))
            elif not definition.variant_axis:
                check.add(FieldError(f"{path}.{code}", "attribute_not_variant_axis"))
        for axis in self.axes:
            value = axis.value(check, f"{path}.{axis.code}", values.get(axis.code))
            if value is None:
                if is_blank(values.get(axis.code)):
                    check.add(FieldError(f"{path}.{axis.code}", "required"))
                continue
            result[axis.code] = value_text(value)
        return result


def check_product_attributes(
    check: FieldChecks, path: str, product_type: ProductType | None, values: Mapping[str, object]
) -> dict[str, AttributeValue]:
    """Without a type a product has no custom attributes (and at most one active SKU)."""
    result: dict[str, AttributeValue] = {}
    for code in sorted(values):
        definition = product_type.attribute(code) if product_type else None
        if definition is None:
            if not is_blank(values[code]):
                check.add(FieldError(f"{path}.{code}", "unknown_attribute"))
        elif definition.variant_axis:
            if not is_blank(values[code]):
                check.add(FieldError(f"{path}.{code}", "attribute_is_variant_axis"))
        else:
            value = definition.value(check, f"{path}.{code}", values[code])
            if value is not None:
                result[code] = value
    for definition in product_type.specifications if product_type else ():
        if definition.required and is_blank(values.get(definition.code)):
            check.add(FieldError(f"{path}.{definition.code}", "required"))
    return result


def _checked(
    name: str, attributes: Sequence[AttributeDefinition]
) -> tuple[str, tuple[AttributeDefinition, ...]]:
    check = FieldChecks()
    clean_name = check.text("name", name, MAX_TYPE_NAME_LENGTH, required=True) or ""
    if len(attributes) > MAX_ATTRIBUTES:
        check.add(FieldError("attributes", "too_many", {"max": MAX_ATTRIBUTES}))
    axes = sum(1 for a in attributes if a.variant_axis)
    if axes > MAX_VARIANT_AXES:
        check.add(
            FieldError(
                "attributes", "too_many_variant_axes", {"count": axes, "max": MAX_VARIANT_AXES}
            )
        )
    seen: set[str] = set()
    clean: list[AttributeDefinition] = []
    for i, attribute in enumerate(attributes):
        path = f"attributes[{i}]"
        if not ATTRIBUTE_CODE.match(attribute.code):
            check.add(FieldError(f"{path}.code", "invalid_attribute_code"))
        elif attribute.code in seen:
            check.add(FieldError(f"{path}.code", "duplicate"))
        seen.add(attribute.code)
        label = check.text(f"{path}.name", attribute.name, MAX_ATTRIBUTE_NAME_LENGTH, required=True)
        unit = None
        if attribute.unit is not None and attribute.unit.strip():
            if attribute.kind is not AttributeKind.NUMBER:
                check.add(FieldError(f"{path}.unit", "not_applicable", {"kind": attribute.kind}))
            unit = check.text(f"{path}.unit", attribute.unit, MAX_UNIT_LENGTH, required=False)
        values = _checked_enum_values(check, path, attribute)
        clean.append(
            AttributeDefinition(
                code=attribute.code,
                name=label or "",
                kind=attribute.kind,
                variant_axis=attribute.variant_axis,
                required=attribute.required and not attribute.variant_axis,
                unit=unit,
                allowed_values=values,
            )
        )
    check.raise_if_failed()
    return clean_name, tuple(clean)


def _checked_enum_values(
    check: FieldChecks, path: str, attribute: AttributeDefinition
) -> tuple[str, ...]:
    if attribute.kind is not AttributeKind.ENUM:
        if attribute.allowed_values:
            check.add(
                FieldError(f"{path}.allowedValues", "not_applicable", {"kind": attribute.kind})
            )
        return ()
    if not attribute.allowed_values:
        check.add(FieldError(f"{path}.allowedValues", "required"))
    if len(attribute.allowed_values) > MAX_ENUM_VALUES:
        check.add(FieldError(f"{path}.allowedValues", "too_many", {"max": MAX_ENUM_VALUES}))
    keys: set[str] = set()
    values: list[str] = []
    for j, raw in enumerate(attribute.allowed_values):
        value = check.text(f"{path}.allowedValues[{j}]", raw, MAX_VALUE_LENGTH, required=True)
        if value is None:
            continue
        if name_key(value) in keys:
            check.add(FieldError(f"{path}.allowedValues[{j}]", "duplicate"))
        keys.add(name_key(value))
        values.append(value)
    return tuple(values)
