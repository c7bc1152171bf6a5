"""Customer use cases on in-memory fakes (CRM-1): permissions, masking, erasure, audit."""

from __future__ import annotations

import uuid

import pytest

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.customers import (
    EraseCustomer,
    GetCustomer,
    RegisterCustomer,
    UpdateCustomer,
    list_query,
    search_query,
)
from application.customers.inputs import AddressInput, CustomerChanges, NewCustomer
from application.customers.queries import CustomerSearch
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.runner import CommandRunner
from application.shared.use_cases import UseCases
from bootstrap.modules.customers import register_use_cases
from domain.identity.permissions import BUILTIN_ROLES
from domain.shared.audit import REDACTED
from domain.shared.errors import (
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from tests.fakes.clock import FakeClock
from tests.fakes.customers import FakePhoneNumberParser
from tests.fakes.unit_of_work import FakeDatabase, FakeIds

TENANT = uuid.uuid4()
NAME, PHONE, EMAIL = "张三丰", "138 1234 5678", "Zhang.SanFeng@Example.com"
LINE = "科技园路1号 3栋 501"


def ctx(role: str, tenant: uuid.UUID = TENANT) -> CallContext:
    return CallContext(tenant, Actor(ActorKind.USER, str(uuid.uuid4())), BUILTIN_ROLES[role])


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def customers(db: FakeDatabase, clock: FakeClock) -> UseCases:
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), clock, FakeIds()))
    register_use_cases(use_cases, FakePhoneNumberParser())
    return use_cases


def new_customer(**overrides: object) -> NewCustomer:
    values: dict[str, object] = {
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
        "addresses": [AddressInput("广东省", "深圳市", "南山区", LINE, "李四", "13912345678")],
        "tags": ["vip"],
        "source_channel": "tmall",
    }
    values.update(overrides)
    return NewCustomer(**values)  # type: ignore[arg-type]


async def test_create_then_read_in_full_with_read_pii(customers: UseCases) -> None:
    created = await customers.run(ctx("customer_service"), RegisterCustomer(new_customer()))
    view = await customers.query(ctx("customer_service"), GetCustomer(created.id))
    assert not view.pii_masked
    assert (view.name, view.phone, view.email) == (NAME, "+8613812345678", EMAIL.lower())
    assert view.addresses[0].line == LINE and view.addresses[0].phone == "+8613912345678"
    assert (view.tags, view.source_channel, view.version) == (["vip"], "tmall", 1)


async def test_create_answers_masked_even_to_a_pii_reader(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    assert created.pii_masked and created.name == "张*" and created.phone == "138****5678"


async def test_create_is_denied_without_customers_write(
    customers: UseCases, db: FakeDatabase
) -> None:
    for role in ("finance", "marketing", "warehouse", "staff"):
        with pytest.raises(PermissionDenied):
            await customers.run(ctx(role), RegisterCustomer(new_customer()))
    tables = db.tenant(TENANT)
    assert tables.customers.rows == {} and tables.outbox == []
    assert [e.outcome for _, e in tables.audit] == ["denied"] * 4
    assert all(e.detail["permission"] == "customers:write" for _, e in tables.audit)


async def test_masked_view_without_read_pii(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    view = await customers.query(ctx("finance"), GetCustomer(created.id))
    assert view.pii_masked
    assert view.name == "张*"
    assert view.phone == "138****5678"
    assert view.email == "z***@example.com"
    address = view.addresses[0]
    assert (address.province, address.city, address.line) == ("广东省", "深圳市", "***")
    assert (address.district, address.recipient, address.phone) == (None, None, None)
    assert view.tags == ["vip"]  # not personal data
    page = await customers.query(ctx("marketing"), list_query(None, None))
    assert [v.name for v in page.items] == ["张*"] and page.items[0].pii_masked


async def test_reads_need_customers_read(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    for role in ("warehouse", "purchasing", "hr", "staff"):
        with pytest.raises(PermissionDenied):
            await customers.query(ctx(role), GetCustomer(created.id))
        with pytest.raises(PermissionDenied):
            await customers.query(ctx(role), search_query(CustomerSearch(phone=PHONE), None, None))


async def test_erase_then_get_is_not_found(customers: UseCases, db: FakeDatabase) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    await customers.run(ctx("owner"), EraseCustomer(created.id, 1))
    with pytest.raises(NotFound):
        await customers.query(ctx("owner"), GetCustomer(created.id))
    with pytest.raises(NotFound):
        await customers.run(ctx("owner"), UpdateCustomer(created.id, CustomerChanges(tags=[]), 2))
    with pytest.raises(NotFound):
        await customers.run(ctx("owner"), EraseCustomer(created.id, 2))
    assert (await customers.query(ctx("owner"), list_query(None, None))).items == []
    found = await customers.query(
        ctx("owner"), search_query(CustomerSearch(name="张三"), None, None)
    )
    assert found.items == []
    row = db.tenant(TENANT).customers.rows[created.id]  # the anonymous row stays
    assert row["erased_at"] is not None
    assert all(
        row[c] is None
        for c in (
            "name_enc",
            "phone_enc",
            "email_enc",
            "addresses_enc",
            "phone_bidx",
            "email_bidx",
            "source_channel",
        )
    )
    assert row["tags"] == [] and db.tenant(TENANT).customers.terms == set()


async def test_erase_needs_customers_erase(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    with pytest.raises(PermissionDenied):
        await customers.run(ctx("customer_service"), EraseCustomer(created.id, 1))
    assert (await customers.query(ctx("owner"), GetCustomer(created.id))).version == 1


async def test_audit_records_redact_personal_values(customers: UseCases, db: FakeDatabase) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    await customers.run(
        ctx("owner"),
        UpdateCustomer(
            created.id, CustomerChanges(phone="13900001111", tags=["vip", "wholesale"]), 1
        ),
    )
    await customers.run(ctx("owner"), EraseCustomer(created.id, 2))
    entries = [e for _, e in db.tenant(TENANT).audit]
    assert [e.action for e in entries] == ["customer.create", "customer.update", "customer.erase"]
    assert all(e.outcome == "success" and e.entity_id == created.id for e in entries)
    changes = {(e.action, c.field): (c.before, c.after) for e in entries for c in e.changes}
    assert changes[("customer.create", "name")] == (None, REDACTED)
    assert changes[("customer.create", "phone")] == (None, REDACTED)
    assert changes[("customer.update", "phone")] == (REDACTED, REDACTED)
    assert changes[("customer.update", "tags")] == (["vip"], ["vip", "wholesale"])
    assert changes[("customer.erase", "addresses")] == (REDACTED, REDACTED)
    assert ("customer.update", "name") not in changes  # unchanged fields are not listed
    everything = repr(entries)
    for secret in ("张三丰", "三丰", "13812345678", "13900001111", "zhang.sanfeng", "科技园"):
        assert secret not in everything
    events = db.tenant(TENANT).outbox
    assert [(e.event_type, e.changed_fields) for e in events] == [
        ("customer.created", ("name", "phone", "email", "addresses", "tags", "sourceChannel")),
        ("customer.updated", ("phone", "tags")),
        ("customer.erased", ("name", "phone", "email", "addresses", "tags", "sourceChannel")),
    ]
    assert all(e.data == {} for e in events)


async def test_update_needs_the_current_version(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    with pytest.raises(VersionRequired):
        await customers.run(
            ctx("owner"), UpdateCustomer(created.id, CustomerChanges(name="张三"), None)
        )
    with pytest.raises(StaleVersion):
        await customers.run(
            ctx("owner"), UpdateCustomer(created.id, CustomerChanges(name="张三"), 7)
        )
    with pytest.raises(NotFound):  # an unknown id is 404 before any version check
        await customers.run(
            ctx("owner"), UpdateCustomer(uuid.uuid4(), CustomerChanges(name="张三"), None)
        )
    updated = await customers.run(
        ctx("owner"), UpdateCustomer(created.id, CustomerChanges(email=None), 1)
    )
    assert updated.email is None and updated.phone == "+8613812345678" and updated.version == 2
    unchanged = await customers.run(ctx("owner"), UpdateCustomer(created.id, CustomerChanges(), 2))
    assert unchanged.version == 2


async def test_update_needs_customers_write(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    with pytest.raises(PermissionDenied):
        await customers.run(ctx("finance"), UpdateCustomer(created.id, CustomerChanges(tags=[]), 1))


async def test_invalid_input_names_every_field(customers: UseCases) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await customers.run(
            ctx("owner"),
            RegisterCustomer(
                new_customer(
                    name="",
                    phone="12345",
                    email="nope",
                    addresses=[AddressInput("广东省", "深圳市", "南山区", "路", phone="999")],
                )
            ),
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("name", "required"),
        ("phone", "invalid_phone"),
        ("email", "invalid_email"),
        ("addresses[0].phone", "invalid_phone"),
    }
    assert not any("12345" in repr(e.params) for e in caught.value.errors)


async def test_search_by_phone_email_and_name(customers: UseCases, clock: FakeClock) -> None:
    owner = ctx("owner")
    a = await customers.run(owner, RegisterCustomer(new_customer()))
    clock.advance(seconds=1)
    b = await customers.run(
        owner, RegisterCustomer(new_customer(name="张三", phone="13900001111", email=None))
    )
    clock.advance(seconds=1)
    await customers.run(
        owner, RegisterCustomer(new_customer(name="李四", phone=None, email="li@example.com"))
    )

    async def ids(**criterion: str) -> list[uuid.UUID]:
        page = await customers.query(
            ctx("finance"), search_query(CustomerSearch(**criterion), None, None)
        )
        assert all(v.pii_masked for v in page.items)
        return [v.id for v in page.items]

    assert await ids(phone="+86 138-1234-5678") == [a.id]
    assert await ids(email="  ZHANG.sanfeng@example.COM") == [a.id]
    assert await ids(name="张三") == [b.id, a.id]
    assert await ids(name="三丰") == [a.id]
    assert await ids(name="丰张") == []
    with pytest.raises(ValidationFailed):
        await customers.query(owner, search_query(CustomerSearch(), None, None))
    with pytest.raises(ValidationFailed):
        await customers.query(
            owner, search_query(CustomerSearch(name="x", phone=PHONE), None, None)
        )
    with pytest.raises(ValidationFailed):
        await customers.query(owner, search_query(CustomerSearch(name=" ,, "), None, None))


async def test_list_pages_with_a_cursor(customers: UseCases, clock: FakeClock) -> None:
    created = []
    for i in range(5):
        created.append(
            (await customers.run(ctx("owner"), RegisterCustomer(new_customer(name=f"客户{i}")))).id
        )
        clock.advance(seconds=1)
    seen, cursor = [], None
    while True:
        page = await customers.query(ctx("owner"), list_query(cursor, 2))
        seen += [v.id for v in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(created))


async def test_name_search_pages_past_false_candidates(
    customers: UseCases, clock: FakeClock
) -> None:
    """Candidates holding the terms in the wrong order are skipped, pages stay full."""
    wanted = []
    for i in range(4):
        await customers.run(
            ctx("owner"), RegisterCustomer(new_customer(name="三丰张三"))
        )  # terms, no match
        clock.advance(seconds=1)
        wanted.append(
            (
                await customers.run(ctx("owner"), RegisterCustomer(new_customer(name=f"张三丰{i}")))
            ).id
        )
        clock.advance(seconds=1)
    first = await customers.query(
        ctx("owner"), search_query(CustomerSearch(name="张三丰"), None, 3)
    )
    assert [v.id for v in first.items] == wanted[::-1][:3] and first.next_cursor
    rest = await customers.query(
        ctx("owner"), search_query(CustomerSearch(name="张三丰"), first.next_cursor, 3)
    )
    assert [v.id for v in rest.items] == [wanted[0]] and rest.next_cursor is None


async def test_another_tenant_sees_nothing(customers: UseCases) -> None:
    created = await customers.run(ctx("owner"), RegisterCustomer(new_customer()))
    other = uuid.uuid4()
    with pytest.raises(NotFound):
        await customers.query(ctx("owner", other), GetCustomer(created.id))
    with pytest.raises(NotFound):
        await customers.run(ctx("owner", other), EraseCustomer(created.id, None))
    found = await customers.query(
        ctx("owner", other), search_query(CustomerSearch(phone=PHONE), None, None)
    )
    assert found.items == []
