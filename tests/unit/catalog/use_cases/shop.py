"""The catalog's use cases registered on the in-memory fakes, as bootstrap registers them on
Postgres.

``Shop`` holds one tenant's services and what the tests look at afterwards: the stored
state through a fresh unit of work, the audit records and the outbox events.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

from adapters.identity.access_policy import RoleBasedAccessPolicy
from adapters.storage.media_inspector import PillowMediaInspector
from application.catalog.media import MediaService
from application.catalog.media_files import MediaFiles
from application.catalog.ports.store import CATALOG, CatalogStore
from application.catalog.product_types import AttributeInput, CreateProductType
from application.catalog.products import ProductData, SkuData
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import Command, Query
from application.shared.use_cases import UseCases
from bootstrap.modules.catalog import register_use_cases
from domain.catalog.product_type import ProductType
from domain.identity.permissions import BUILTIN_ROLES
from domain.identity.tenant import Tenant
from domain.shared.audit import AuditEntry
from domain.shared.events import DomainEvent
from tests.fakes.clock import FakeClock
from tests.fakes.files import FakeFileStore
from tests.fakes.unit_of_work import FakeDatabase, FakeIds

T = TypeVar("T")
TENANT = uuid.UUID("0190a000-0000-7000-8000-000000000001")
COLOURS = ("红", "蓝", "黑")
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def amount(text: str) -> Decimal:
    """A money input as the commands take it: a ``Decimal`` (the HTTP edge decodes text)."""
    return Decimal(text)


def ctx(role: str = "owner", tenant: uuid.UUID = TENANT) -> CallContext:
    return CallContext(tenant, Actor(ActorKind.USER, str(uuid.uuid4())), BUILTIN_ROLES[role])


def sku(code: str, price: str | None = "99.00", **values: object) -> SkuData:
    return SkuData(code=code, list_price=amount(price) if price is not None else None, **values)


def product_data(name: str = "蓝牙耳机", *skus: SkuData, **values: object) -> ProductData:
    """SKUs as arguments or as ``skus=``; one priced SKU ``EAR-1`` by default."""
    values.setdefault("skus", skus or (sku("EAR-1"),))
    return ProductData(name=name, **values)


@dataclass
class Shop:
    db: FakeDatabase
    clock: FakeClock
    use_cases: UseCases
    files: FakeFileStore
    media: MediaService

    async def run(self, ctx: CallContext, command: Command[T]) -> T:
        return await self.use_cases.run(ctx, command)

    async def query(self, ctx: CallContext, query: Query[T]) -> T:
        return await self.use_cases.query(ctx, query)

    async def read(self, query: Callable[[CatalogStore], Awaitable[T]]) -> T:
        """Stored state, read in a fresh unit of work (what a later request would see)."""
        async with self.db.for_tenant(ctx()) as uow:
            return await query(uow.of(CATALOG))

    @property
    def audit(self) -> list[AuditEntry]:
        return [entry for _, entry in self.db.tenant(TENANT).audit]

    @property
    def events(self) -> list[DomainEvent]:
        return list(self.db.tenant(TENANT).outbox)

    async def colour_type(self) -> ProductType:
        """A product type with one variant axis, ``color`` (红, 蓝, 黑)."""
        colour = AttributeInput("color", "颜色", "enum", variant_axis=True, allowed_values=COLOURS)
        return await self.run(ctx(), CreateProductType("耳机", [colour]))

    def forget_history(self) -> None:
        """Clear audit and outbox, so a test sees only what its last command wrote."""
        tables = self.db.tenant(TENANT)
        tables.audit.clear()
        tables.outbox.clear()


def make_shop() -> Shop:
    db, clock, ids = FakeDatabase(), FakeClock(START), FakeIds()
    db.directory.tenants[TENANT] = Tenant(TENANT, "acme", "Acme", currency="CNY")
    runner, files = CommandRunner(db, RoleBasedAccessPolicy(), clock, ids), FakeFileStore()
    use_cases = UseCases(runner)
    register_use_cases(use_cases)
    return Shop(
        db=db,
        clock=clock,
        use_cases=use_cases,
        files=files,
        media=MediaService(runner, MediaFiles(files, PillowMediaInspector()), ids),
    )
