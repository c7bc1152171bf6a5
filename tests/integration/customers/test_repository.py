"""Customers on the real Postgres, as shopkeeper_app under RLS (CRM-1, PLT-4).

Raw rows are read afterwards as the owner (who sees every tenant) to prove what is — and
is not — stored.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from application.customers import (
    EraseCustomer,
    GetCustomer,
    RegisterCustomer,
    UpdateCustomer,
    list_query,
    search_query,
)
from application.customers.inputs import AddressInput, CustomerChanges, NewCustomer
from application.customers.ports import CUSTOMERS
from application.customers.queries import CustomerSearch
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.customers.customer import Customer, CustomerProfile
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import StaleVersion
from tests.conftest import TenantFactory, TenantHandle
from tests.support.databases import TestDatabase

NAME = "张三丰"
PHONE_DIGITS = "13812345678"
EMAIL = "sanfeng.zhang@wudang.example"
LINE = "武当山紫霄宫 8号"
PERSONAL_COLUMNS = (
    "name_enc",
    "phone_enc",
    "email_enc",
    "addresses_enc",
    "phone_bidx",
    "email_bidx",
)


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def create(
    container: Container,
    tenant: TenantHandle,
    name: str = NAME,
    phone: str | None = PHONE_DIGITS,
    email: str | None = EMAIL,
) -> uuid.UUID:
    new = NewCustomer(
        name,
        phone,
        email,
        [AddressInput("湖北省", "十堰市", "丹江口市", LINE, "张君宝", "13987654321")],
        ["vip"],
        "offline",
    )
    return (await container.use_cases.run(ctx(tenant), RegisterCustomer(new))).id


async def search(container: Container, tenant: TenantHandle, **criterion: str) -> list[uuid.UUID]:
    page = await container.use_cases.query(
        ctx(tenant), search_query(CustomerSearch(**criterion), None, None)
    )
    return [v.id for v in page.items]


async def test_encrypted_columns_hold_no_plaintext(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    customer_id = await create(container, tenant)
    row = await owner_conn.fetchrow(
        "SELECT * FROM customers WHERE tenant_id = $1 AND id = $2", tenant.id, customer_id
    )
    assert row is not None
    assert all(row[c] is not None for c in PERSONAL_COLUMNS)
    raw = b"".join(bytes(row[c]) for c in PERSONAL_COLUMNS)
    for plain in (
        NAME,
        "张三",
        PHONE_DIGITS,
        "5678",
        EMAIL,
        "wudang",
        LINE,
        "紫霄",
        "张君宝",
        "13987654321",
    ):
        for encoded in {plain.encode(), plain.encode("utf-16-le"), plain.encode("gb18030")}:
            assert encoded not in raw, plain
    # Not in any other column of any table this command wrote to either.
    for table in ("customers", "customer_search_terms", "audit_log", "outbox"):
        dump = await owner_conn.fetch(
            f"SELECT t::text AS row FROM {table} t WHERE tenant_id = $1", tenant.id
        )
        text = "\n".join(r["row"] for r in dump)
        for plain in (NAME, PHONE_DIGITS, EMAIL, LINE):
            assert plain not in text, (table, plain)
    # And the use case still reads it all back.
    view = await container.use_cases.query(ctx(tenant), GetCustomer(customer_id))
    assert (view.name, view.phone, view.email) == (NAME, "+86" + PHONE_DIGITS, EMAIL)
    assert view.addresses[0].line == LINE and view.addresses[0].phone == "+8613987654321"


async def test_search_by_exact_phone_and_email(container: Container, tenant: TenantHandle) -> None:
    a = await create(container, tenant)
    b = await create(container, tenant, name="李四", phone="13900001111", email="li@example.com")
    assert await search(container, tenant, phone="+86 138 1234 5678") == [a]
    assert await search(container, tenant, phone="139-0000-1111") == [b]
    assert await search(container, tenant, phone="13700000000") == []
    assert await search(container, tenant, email=" SanFeng.Zhang@WUDANG.example ") == [a]
    assert await search(container, tenant, email="nobody@example.com") == []


async def test_search_by_a_two_character_chinese_query(
    container: Container, tenant: TenantHandle
) -> None:
    sanfeng = await create(container, tenant, name="张三丰", phone=None, email=None)
    san = await create(container, tenant, name="张三", phone=None, email=None)
    await create(container, tenant, name="李四", phone=None, email=None)
    assert set(await search(container, tenant, name="张三")) == {sanfeng, san}
    assert await search(container, tenant, name="三丰") == [sanfeng]
    assert await search(container, tenant, name="张") == [san, sanfeng]  # newest first
    assert await search(container, tenant, name="三张") == []


async def test_search_by_latin_word_prefix(container: Container, tenant: TenantHandle) -> None:
    anna = await create(container, tenant, name="Anna Müller", phone=None, email=None)
    assert await search(container, tenant, name="MÜL") == [anna]
    assert await search(container, tenant, name="anna m") == [anna]
    assert await search(container, tenant, name="ller") == []


async def test_a_tenants_search_never_finds_another_tenants_customers(
    container: Container, new_tenant: TenantFactory
) -> None:
    a, b = await new_tenant(), await new_tenant()
    await create(container, a)
    assert await search(container, b, name="张三") == []
    assert await search(container, b, phone=PHONE_DIGITS) == []
    assert await search(container, b, email=EMAIL) == []
    assert (await container.use_cases.query(ctx(b), list_query(None, None))).items == []


async def test_erase_leaves_the_row_without_personal_data_or_terms(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    customer_id = await create(container, tenant)
    terms = "SELECT count(*) FROM customer_search_terms WHERE tenant_id = $1 AND customer_id = $2"
    assert await owner_conn.fetchval(terms, tenant.id, customer_id) == 5  # 张 三 丰 张三 三丰
    await container.use_cases.run(ctx(tenant), EraseCustomer(customer_id, 1))
    row = await owner_conn.fetchrow(
        "SELECT * FROM customers WHERE tenant_id = $1 AND id = $2", tenant.id, customer_id
    )
    assert row is not None and row["erased_at"] is not None
    assert {c: row[c] for c in PERSONAL_COLUMNS} == dict.fromkeys(PERSONAL_COLUMNS)
    assert row["tags"] == [] and row["source_channel"] is None and row["version"] == 2
    assert await owner_conn.fetchval(terms, tenant.id, customer_id) == 0
    assert await search(container, tenant, name="张三") == []
    assert await search(container, tenant, phone=PHONE_DIGITS) == []
    audit = await owner_conn.fetchrow(
        "SELECT outcome, changes::text AS changes FROM audit_log WHERE tenant_id = $1"
        " AND entity_id = $2 AND action = 'customer.erase'",
        tenant.id,
        customer_id,
    )
    assert audit is not None and audit["outcome"] == "success"
    assert "[redacted]" in audit["changes"] and NAME not in audit["changes"]


async def test_a_lost_update_race_is_a_stale_version(
    container: Container, tenant: TenantHandle
) -> None:
    """Two writers read version 1; the second one's write must not silently win."""
    customer_id = await create(container, tenant)
    first = container.uow_factory.for_tenant(ctx(tenant))
    second = container.uow_factory.for_tenant(ctx(tenant))
    async with first as uow1, second as uow2:
        mine = await uow1.of(CUSTOMERS).customers.get(customer_id)
        theirs = await uow2.of(CUSTOMERS).customers.get(customer_id)
        assert isinstance(mine, Customer) and isinstance(theirs, Customer)
        now = datetime.now(UTC)
        mine.revise(CustomerProfile.create(name="张三丰甲"), now)
        await uow1.of(CUSTOMERS).customers.save(mine, 1)
        await uow1.commit()
        theirs.revise(CustomerProfile.create(name="张三丰乙"), now)
        with pytest.raises(StaleVersion):
            await uow2.of(CUSTOMERS).customers.save(theirs, 1)
    view = await container.use_cases.query(ctx(tenant), GetCustomer(customer_id))
    assert view.name == "张三丰甲" and view.version == 2


async def test_update_rewrites_the_name_terms(container: Container, tenant: TenantHandle) -> None:
    customer_id = await create(container, tenant)
    await container.use_cases.run(
        ctx(tenant), UpdateCustomer(customer_id, CustomerChanges(name="王五"), 1)
    )
    assert await search(container, tenant, name="三丰") == []
    assert await search(container, tenant, name="王五") == [customer_id]
