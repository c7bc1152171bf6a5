"""Brands (CAT-6): names are checked like other catalog names; renaming to the same name
is no change."""

from __future__ import annotations

import uuid

import pytest

from domain.catalog.brand import MAX_BRAND_NAME_LENGTH, Brand
from domain.shared.errors import ValidationFailed


def test_a_brand_keeps_its_name_trimmed_and_versions_only_real_renames() -> None:
    brand = Brand.create(uuid.uuid4(), "  华为  ")
    assert (brand.name, brand.version) == ("华为", 1)
    assert brand.rename("华为") is False and brand.version == 1
    assert brand.rename("HUAWEI") is True and (brand.name, brand.version) == ("HUAWEI", 2)


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_BRAND_NAME_LENGTH + 1)])
def test_blank_and_overlong_names_are_refused(name: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Brand.create(uuid.uuid4(), name)
    assert caught.value.errors[0].field == "name"
