"""Settings → product types (CAT-5): the company's types with their attributes
(specifications and variant axes such as colour × size), a type created, a type revised
(name and attribute list as a whole, with the version the page showed). Attribute rows are
parallel fields, one of each per row; a row with neither code nor name is no attribute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from litestar.response import Template

from application.catalog.product_types import AttributeInput, CreateProductType, ReviseProductType
from application.catalog.reads import GetProductType, ListProductTypes
from application.shared.pagination import MAX_LIMIT
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.rendering import catalog_page
from entrypoints.web.forms import rows, version_of
from entrypoints.web.pages import done

TYPES = "/console/settings/product-types"
ATTRIBUTE_FIELDS = ("attr_code", "attr_name", "attr_kind", "attr_role", "attr_unit", "attr_values")
KINDS = {
    AttributeKind.TEXT.value: "catalog.kind_text",
    AttributeKind.NUMBER.value: "catalog.kind_number",
    AttributeKind.ENUM.value: "catalog.kind_enum",
    AttributeKind.BOOLEAN.value: "catalog.kind_boolean",
}
ROLES = {
    "optional": "catalog.role_optional",
    "required": "catalog.role_required",
    "axis": "catalog.role_axis",
}
BLANK_ROWS = 2  # room for new attributes on each showing of the form
VALUE_SEPARATORS = re.compile(r"[,，、\n]")


def values_in(text: str) -> list[str]:
    """Values typed as a list: separated by commas (, ， 、) or lines; blanks dropped."""
    return [value.strip() for value in VALUE_SEPARATORS.split(text) if value.strip()]


@dataclass
class AttributeRow:
    code: str = ""
    name: str = ""
    kind: str = AttributeKind.TEXT.value
    role: str = "optional"
    unit: str = ""
    values: str = ""

    @classmethod
    def of(cls, attribute: AttributeDefinition) -> AttributeRow:
        role = "axis" if attribute.variant_axis else "required" if attribute.required else ""
        return cls(
            attribute.code,
            attribute.name,
            attribute.kind.value,
            role or "optional",
            attribute.unit or "",
            "、".join(attribute.allowed_values),
        )

    def data(self) -> AttributeInput:
        return AttributeInput(
            code=self.code,
            name=self.name,
            kind=self.kind,
            variant_axis=self.role == "axis",
            required=self.role == "required",
            unit=self.unit or None,
            allowed_values=tuple(values_in(self.values)),
        )


@dataclass
class TypeForm:
    name: str = ""
    version: str = ""
    attributes: list[AttributeRow] = field(default_factory=list)

    @classmethod
    def of(cls, product_type: ProductType) -> TypeForm:
        attributes = [AttributeRow.of(a) for a in product_type.attributes]
        return cls(product_type.name, str(product_type.version), attributes)

    @classmethod
    def posted(cls, form: FormMultiDict) -> TypeForm:
        found = [AttributeRow(*(v.strip() for v in row)) for row in rows(form, *ATTRIBUTE_FIELDS)]
        return cls(
            str(form.get("name") or ""),
            str(form.get("version") or ""),
            [row for row in found if row.code or row.name],
        )

    def shown(self) -> list[AttributeRow]:
        return [*self.attributes, *(AttributeRow() for _ in range(BLANK_ROWS))]


async def _types_page(
    request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch, **context: Any
) -> Template:
    types = await use_cases.query(ctx, ListProductTypes(None, MAX_LIMIT))
    return await catalog_page(
        request,
        use_cases,
        "product_types.html",
        types=sorted(types.items, key=lambda t: t.name),
        kinds=KINDS,
        roles=ROLES,
        create=CreateProductType,
        **context,
    )


class ProductTypePages(Controller):
    path = "/settings/product-types"

    @get("/", name="console_product_types", opt=needs(ListProductTypes))
    async def types(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        return await _types_page(request, ctx, use_cases, form=TypeForm())

    @post("/", status_code=303, opt=needs(CreateProductType))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        form = TypeForm.posted(await request.form())
        command = CreateProductType(form.name, [row.data() for row in form.attributes])
        created = await use_cases.run(ctx, command)
        return done(request, f"{TYPES}/{created.id}", "catalog.type_created", name=created.name)

    @get("/{type_id:uuid}", name="console_product_type", opt=needs(GetProductType))
    async def product_type(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        type_id: FromPath[UUID],
    ) -> Template:
        found = await use_cases.query(ctx, GetProductType(type_id))
        return await catalog_page(
            request,
            use_cases,
            "product_type.html",
            product_type=found,
            form=TypeForm.of(found),
            kinds=KINDS,
            roles=ROLES,
            revise=ReviseProductType,
        )

    @post("/{type_id:uuid}", status_code=303, opt=needs(ReviseProductType))
    async def revise(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        type_id: FromPath[UUID],
    ) -> Response[Any]:
        await use_cases.query(ctx, GetProductType(type_id))  # another company's: a 404
        form = TypeForm.posted(await request.form())
        attributes = [row.data() for row in form.attributes]
        command = ReviseProductType(type_id, form.name, attributes, version_of(form.version))
        revised = await use_cases.run(ctx, command)
        return done(request, f"{TYPES}/{type_id}", "catalog.type_saved", name=revised.name)
