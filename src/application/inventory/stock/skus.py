"""SKUs as people name them where stock is handled (PLT-8): a code typed or a barcode
scanned finds the SKU (``FindSku``), and the codes of the SKUs a page lists are read in
one go (``SkuCodes``) — with ``inventory:read``, so a warehouse role needs no catalog
permission to see what it counts."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.inventory.common import store_of
from application.inventory.ports import NamedSku
from application.shared.use_case import Query, Reading
from domain.catalog.codes import barcode_key, code_key
from domain.inventory.permissions import INVENTORY_READ
from domain.shared.errors import ValidationFailed

ENTITY = "sku"


class FindSku(Query[NamedSku], entity=ENTITY, permission=INVENTORY_READ):
    """The SKU whose code or barcode is ``code`` (a 422 on ``field`` when none is)."""

    code: str
    field: str = "sku"


class FindSkuHandler:
    async def handle(self, query: FindSku, reading: Reading) -> NamedSku:
        given = query.code.strip()
        if not given:
            raise ValidationFailed.single(query.field, "required")
        found = await store_of(reading.uow).skus.find(code_key(given), barcode_key(given))
        if found is None:
            raise ValidationFailed.single(query.field, "unknown_sku_code", sku=given)
        return found


class SkuCodes(Query[dict[UUID, str]], entity=ENTITY, permission=INVENTORY_READ):
    """The code of each SKU named (a SKU of another company is left out)."""

    sku_ids: tuple[UUID, ...]


class SkuCodesHandler:
    async def handle(self, query: SkuCodes, reading: Reading) -> dict[UUID, str]:
        if not query.sku_ids:
            return {}
        return await reading.uow.of(CATALOG).prices.sku_codes(list(query.sku_ids))
