"""Masked views of personal data (CRM-1): what a reader without customers:read_pii sees."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.customers.customer import Address, PhoneNumber
from domain.customers.masking import mask_address, mask_digits, mask_email, mask_name, mask_phone

national_numbers = st.text(alphabet="0123456789", min_size=1, max_size=12)


def test_chinese_mobile_is_masked_as_138_stars_5678() -> None:
    assert mask_phone(PhoneNumber(86, "13812345678")) == "138****5678"


def test_foreign_number_keeps_its_country_code() -> None:
    assert mask_phone(PhoneNumber(1, "4155552671")) == "+1 ******2671"


@given(national_numbers)
def test_masking_never_reveals_more_than_the_allowed_characters_phone(digits: str) -> None:
    """Masking never reveals more than the allowed characters (phone): a number long
    enough keeps exactly its first 3 and last 4 digits and hides all the others; a shorter
    one shows at most its last 4 digits and never more than half of them."""
    masked = mask_digits(digits)
    assert len(masked) == len(digits)
    shown = [i for i, ch in enumerate(masked) if ch != "*"]
    assert all(masked[i] == digits[i] for i in shown)
    if len(digits) >= 11:
        assert masked == digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    else:
        assert len(shown) <= min(4, len(digits) // 2)
        assert shown == list(range(len(digits) - len(shown), len(digits)))  # a tail only


@given(
    st.text(
        alphabet=st.characters(blacklist_characters="@", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=40,
    ),
    st.from_regex(r"[a-z0-9]{1,12}\.[a-z]{2,6}", fullmatch=True),
)
def test_masking_never_reveals_more_than_the_allowed_characters_email(
    local: str, domain: str
) -> None:
    """Masking never reveals more than the allowed characters (email): of the local part
    only its first character shows; the domain stays readable."""
    masked = mask_email(f"{local}@{domain}")
    assert masked == f"{local[0]}***@{domain}"
    hidden = local[1:].replace("*", "")  # the mask's own character proves nothing either way
    if hidden:
        assert hidden not in masked.removesuffix("@" + domain)[1:]


@given(st.text(min_size=1, max_size=100))
def test_masking_never_reveals_more_than_the_allowed_characters_name(name: str) -> None:
    """Masking never reveals more than the allowed characters (name): the first one."""
    assert mask_name(name) == name[0] + "*"


def test_address_is_masked_to_province_and_city() -> None:
    address = Address(
        "广东省",
        "深圳市",
        "南山区",
        "科技园路1号 3栋 501",
        "李四",
        PhoneNumber(86, "13912345678"),
        "518000",
    )
    masked = mask_address(address)
    assert (masked.province, masked.city, masked.line) == ("广东省", "深圳市", "***")
    assert "南山" not in repr(masked) and "501" not in repr(masked)
