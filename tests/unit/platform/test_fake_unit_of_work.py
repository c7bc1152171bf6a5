"""The fake unit of work keeps the transaction semantics use-case tests rely on: work on a
copy, publish on commit, discard otherwise; one tenant's tables never seen from another."""

from __future__ import annotations

import uuid

import pytest

from application.catalog.ports.store import CATALOG
from application.identity.ports import IDENTITY
from application.jobs.ports import JOBS
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from application.shared.job import Job
from application.shared.unit_of_work import StoreKey
from domain.catalog.brand import Brand
from domain.identity.tenant import Tenant
from domain.shared.audit import AuditEntry
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase

ACTOR = Actor(ActorKind.USER, "someone")


def ctx(tenant: uuid.UUID) -> CallContext:
    return CallContext(tenant, ACTOR, frozenset())


async def test_changes_are_published_on_commit_only() -> None:
    db, tenant = FakeDatabase(), uuid.uuid4()
    async with db.for_tenant(ctx(tenant)) as uow:
        await uow.of(CATALOG).brands.add(Brand(uuid.uuid4(), "Dropped"), FakeClock().now())
        await uow.audit.record(AuditEntry("brand.create", "brand", None))
    async with db.for_tenant(ctx(tenant)) as uow:
        assert await uow.of(CATALOG).brands.page(None, 10) == []
        kept = Brand(uuid.uuid4(), "Kept")
        await uow.of(CATALOG).brands.add(kept, FakeClock().now())
        await uow.commit()
    assert db.tenant(tenant).audit == []
    async with db.for_tenant(ctx(tenant)) as uow:
        assert [b.name for b in await uow.of(CATALOG).brands.page(None, 10)] == ["Kept"]
    async with db.for_tenant(ctx(uuid.uuid4())) as uow:  # another tenant sees nothing
        assert await uow.of(CATALOG).brands.get(kept.id) is None


async def test_an_entity_read_is_a_copy() -> None:
    db, tenant = FakeDatabase(), uuid.uuid4()
    brand = Brand(uuid.uuid4(), "Anker")
    async with db.for_tenant(ctx(tenant)) as uow:
        await uow.of(CATALOG).brands.add(brand, FakeClock().now())
        brand.name = "changed after add"
        read = await uow.of(CATALOG).brands.get(brand.id)
        assert read is not None and read.name == "Anker"
        read.name = "changed after get"
        assert (await uow.of(CATALOG).brands.get(brand.id)) == Brand(brand.id, "Anker")


async def test_each_module_store_is_built_once_per_unit_and_unknown_ones_are_refused() -> None:
    db, tenant = FakeDatabase(), uuid.uuid4()
    async with db.for_tenant(ctx(tenant)) as uow:
        assert uow.of(CATALOG) is uow.of(CATALOG)
        with pytest.raises(LookupError):
            uow.of(StoreKey[object]("nobody"))


async def test_system_work_shares_the_directory_jobs_and_operator_audit() -> None:
    db, tenant, clock = FakeDatabase(), uuid.uuid4(), FakeClock()
    support = SystemContext(Actor(ActorKind.SUPPORT, "ops"), reason="ticket 42")
    async with db.for_system(support, None) as uow:
        await uow.of(IDENTITY).tenants.add(Tenant(tenant, "acme", "Acme", currency="USD"))
        await uow.operator_audit.record(support, "tenant.create", tenant)
        await uow.commit()
    async with db.for_tenant(ctx(tenant)) as uow:
        found = await uow.of(IDENTITY).tenants.get(tenant)
        assert found is not None and found.currency == "USD"
        job = Job(uuid.uuid4(), "export", ACTOR.label, clock.now(), clock.now())
        await uow.of(JOBS).jobs.add(job)
        assert await uow.processed.claim("events", "m-1")
        assert not await uow.processed.claim("events", "m-1")
        await uow.commit()
    async with db.for_tenant(ctx(tenant)) as uow:
        assert await uow.of(JOBS).jobs.latest("export") == job
        assert not await uow.processed.claim("events", "m-1")  # committed with the work
    assert [(r.actor, r.action, r.reason) for r in db.operator_audit] == [
        ("support:ops", "tenant.create", "ticket 42")
    ]


def test_the_fake_stores_are_found_by_discovery() -> None:
    """Each module's ``FAKE`` is found without a list (#8); its tables are named by the
    module, and a store is built over the unit of work's copy of them."""
    from application.inventory.ports import INVENTORY
    from tests.fakes.stores import discover_fakes

    fakes = discover_fakes()
    assert {"catalog", "customers", "identity", "inventory", "jobs"} <= set(fakes)
    assert fakes["inventory"].key is INVENTORY
    db = FakeDatabase()
    assert set(db.tenant(uuid.uuid4()).modules) == set(fakes)


async def test_a_store_works_on_the_units_copy_of_its_tables() -> None:
    from application.inventory.ports import INVENTORY

    db, tenant = FakeDatabase(), uuid.uuid4()
    async with db.for_tenant(ctx(tenant)) as uow:
        store = uow.of(INVENTORY)
        assert uow.of(INVENTORY) is store  # built once per unit
        assert uow.work.inventory is not db.tenant(tenant).inventory  # a copy
