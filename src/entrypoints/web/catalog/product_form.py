"""The product editor's form: what it shows (from a product, or as the user typed it) and
the ``ProductData`` the use cases take. SKU rows come as parallel fields (``sku_code``,
``sku_barcode``, …, one of each per row); a row left blank is no SKU. What the form does
not show (specifications, a SKU's variant values — shown, made by the SKU matrix — and
cost) is sent as stored, so a save changes only what the form holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar.datastructures import FormMultiDict

from application.catalog.products import ProductData, ProductView, SkuData
from domain.catalog.checks import canonical_decimal
from domain.catalog.product import Product
from domain.catalog.product_type import snapshot_value
from domain.shared.errors import FieldError, ValidationFailed
from entrypoints.web.forms import an_amount, an_id, collected, rows, version_of

SKU_FIELDS = ("sku_id", "sku_code", "sku_barcode", "sku_price", "sku_weight")


@dataclass
class SkuRow:
    id: str = ""
    code: str = ""
    barcode: str = ""
    price: str = ""
    weight: str = ""
    variant: str = ""  # its variant values, shown (the SKU matrix sets them)

    @property
    def blank(self) -> bool:
        return not (self.id or self.code or self.barcode or self.price or self.weight)


@dataclass
class ProductForm:
    code: str = ""
    name: str = ""
    description: str = ""
    category: str = ""
    brand: str = ""
    version: str = ""
    product_type: str = ""
    skus: list[SkuRow] = field(default_factory=list)

    @classmethod
    def of(cls, shown: ProductView) -> ProductForm:
        product, details = shown.product, shown.product.details
        return cls(
            product.code,
            details.name,
            details.description,
            str(details.category_id or ""),
            str(details.brand_id or ""),
            str(product.version),
            str(details.product_type_id or ""),
            [
                SkuRow(
                    str(s.id),
                    s.code,
                    s.barcode or "",
                    str(s.list_price.amount) if s.list_price else "",
                    canonical_decimal(s.weight_grams) if s.weight_grams is not None else "",
                    " / ".join(s.axis_values[code] for code in sorted(s.axis_values)),
                )
                for s in product.active_skus
            ],
        )

    @classmethod
    def posted(cls, form: FormMultiDict) -> ProductForm:
        skus = [SkuRow(*(value.strip() for value in row)) for row in rows(form, *SKU_FIELDS)]

        def text(name: str) -> str:
            return str(form.get(name) or "")

        return cls(
            text("code").strip(),
            text("name"),
            text("description"),
            text("category"),
            text("brand"),
            text("version"),
            text("product_type"),
            [row for row in skus if not row.blank],
        )

    def expected_version(self) -> int | None:
        return version_of(self.version)

    def data(self, current: Product | None, cost_hidden: bool) -> ProductData:
        """The whole content, ``current``'s unshown fields kept. A malformed id, amount or
        reference is the field's error, as the API's body checks make it."""
        errors: list[FieldError] = []
        skus = [self._sku(i, row, current, cost_hidden, errors) for i, row in enumerate(self.skus)]
        category = collected(errors, an_id, "category", self.category)
        brand = collected(errors, an_id, "brand", self.brand)
        product_type = collected(errors, an_id, "productTypeId", self.product_type)
        if errors:
            raise ValidationFailed(errors)
        details = current.details if current else None
        return ProductData(
            name=self.name,
            description=self.description,
            material=details.material if details else None,
            kind=str(details.kind) if details else "physical",
            preorder_allowed=details.preorder_allowed if details else False,
            sell_out_of_stock_allowed=details.sell_out_of_stock_allowed if details else False,
            product_type_id=product_type,
            category_id=category,
            brand_id=brand,
            attributes={k: snapshot_value(v) for k, v in details.attributes.items()}
            if details
            else {},
            skus=skus,
        )

    @staticmethod
    def _sku(
        i: int, row: SkuRow, current: Product | None, cost_hidden: bool, errors: list[FieldError]
    ) -> SkuData:
        sku_id = collected(errors, an_id, f"skus[{i}].id", row.id)
        stored = current.sku(sku_id) if current and sku_id else None
        return SkuData(
            code=row.code,
            id=sku_id,
            barcode=row.barcode or None,
            list_price=collected(errors, an_amount, f"skus[{i}].listPrice", row.price),
            cost=stored.cost.amount if stored and stored.cost and not cost_hidden else None,
            weight_grams=row.weight or None,
            axis_values=dict(stored.axis_values) if stored else {},
        )
