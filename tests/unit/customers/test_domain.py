"""The customer aggregate validates its profile and tracks changes (CRM-1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.customers.customer import Address, Customer, CustomerProfile, PhoneNumber
from domain.shared.errors import Conflict, ValidationFailed

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _errors(**kwargs: object) -> set[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        CustomerProfile.create(**kwargs)  # type: ignore[arg-type]
    return {(e.field, e.code) for e in caught.value.errors}


def test_profile_normalises() -> None:
    profile = CustomerProfile.create(
        name="  张  三 ",
        email=" Zhang.San@Example.COM ",
        tags=["vip", " vip ", "老客户"],
        source_channel="tmall",
    )
    assert profile.name == "张 三"
    assert profile.email == "zhang.san@example.com"
    assert profile.tags == ("vip", "老客户")


def test_every_invalid_field_is_reported_with_its_path() -> None:
    bad_address = Address(province="", city="x" * 51, district="南山区", line="路", postal_code="!")
    assert _errors(
        name=" ",
        email="not-an-email",
        addresses=[Address("广东省", "深圳市", "南山区", "路"), bad_address],
        tags=["ok", "", "t" * 33],
        source_channel="Tmall!",
    ) == {
        ("name", "required"),
        ("email", "invalid_email"),
        ("addresses[1].province", "required"),
        ("addresses[1].city", "too_long"),
        ("addresses[1].postalCode", "invalid_postal_code"),
        ("tags[1]", "required"),
        ("tags[2]", "too_long"),
        ("sourceChannel", "invalid_source_channel"),
    }


def test_limits() -> None:
    address = Address("广东省", "深圳市", "南山区", "路")
    assert _errors(name="n" * 101) == {("name", "too_long")}
    assert _errors(name="n", tags=[f"t{i}" for i in range(21)]) == {("tags", "too_many")}
    assert _errors(name="n", addresses=[address] * 11) == {("addresses", "too_many")}
    assert _errors(name="a\x00b") == {("name", "invalid_characters")}
    CustomerProfile.create(
        name="n" * 100, tags=[f"t{i}" for i in range(20)], addresses=[address] * 10
    )


def test_revise_reports_changed_fields_and_bumps_the_version() -> None:
    customer = Customer.register(uuid.uuid4(), CustomerProfile.create(name="张三"), AT)
    same = customer.revise(CustomerProfile.create(name="张三"), AT)
    assert same == () and customer.version == 1
    changed = customer.revise(
        CustomerProfile.create(name="张三", phone=PhoneNumber(86, "13812345678"), tags=["vip"]),
        AT,
    )
    assert changed == ("phone", "tags") and customer.version == 2


def test_erase_forgets_the_profile_and_keeps_the_row() -> None:
    customer = Customer.register(
        uuid.uuid4(), CustomerProfile.create(name="张三", email="z@example.com", tags=["x"]), AT
    )
    changed = customer.erase(AT)
    assert set(changed) == {"name", "email", "tags"}
    assert customer.profile is None and customer.erased and customer.version == 2
    assert all(v in (None, []) for v in customer.snapshot().values())
    with pytest.raises(Conflict) as erased:
        customer.erase(AT)
    assert erased.value.code == "customer_erased"
    with pytest.raises(Conflict) as revised:
        customer.revise(CustomerProfile.create(name="李四"), AT)
    assert revised.value.code == "customer_erased"


@pytest.mark.parametrize(
    ("country_code", "national_number"), [(0, "123"), (86, "12a45"), (86, "1" * 14)]
)
def test_a_phone_number_outside_e164_is_a_coded_field_error(
    country_code: int, national_number: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PhoneNumber(country_code, national_number)
    assert [(e.field, e.code) for e in caught.value.errors] == [("phone", "invalid_phone")]
    with pytest.raises(ValidationFailed):
        PhoneNumber.from_international("13812345678")


def test_phone_number_storage_form_round_trips() -> None:
    phone = PhoneNumber(852, "91234567")
    assert phone.e164 == "+85291234567"
    assert PhoneNumber.from_international(phone.international) == phone
