"""Related products (CAT-9): cross-sell and up-sell links."""

from __future__ import annotations

import uuid

import pytest

from domain.catalog.related import MAX_LINKS_PER_KIND, RelatedProducts, RelationKind
from domain.shared.errors import ValidationFailed

CROSS, UP = RelationKind.CROSS_SELL, RelationKind.UP_SELL


def test_links_are_ordered_per_kind_and_stored_as_rows() -> None:
    product, case, pro = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    related = RelatedProducts(product)
    assert related.replace(CROSS, [case, pro]) is True
    assert related.add(UP, pro) is True  # a product may be both
    assert related.replace(CROSS, [case, pro]) is False
    assert related.add(CROSS, case) is False
    assert [(r.kind, r.related_product_id, r.position) for r in related.rows()] == [
        (CROSS, case, 0),
        (CROSS, pro, 1),
        (UP, pro, 0),
    ]
    assert related.remove(CROSS, case) is True and related.of_kind(CROSS) == (pro,)
    assert related.remove(CROSS, case) is False


def test_no_self_links_no_duplicates_and_a_cap() -> None:
    product, other = uuid.uuid4(), uuid.uuid4()
    related = RelatedProducts(product)
    with pytest.raises(ValidationFailed) as caught:
        related.replace(CROSS, [other, product, other])
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("cross_sell[1]", "related_to_itself"),
        ("cross_sell[2]", "duplicate"),
    }
    many = [uuid.uuid4() for _ in range(MAX_LINKS_PER_KIND + 1)]
    with pytest.raises(ValidationFailed) as caught:
        related.replace(UP, many)
    assert caught.value.errors[0].code == "too_many"
    related.replace(UP, many[:MAX_LINKS_PER_KIND])
    with pytest.raises(ValidationFailed):
        related.add(UP, many[-1])
    assert related.of_kind(CROSS) == ()
