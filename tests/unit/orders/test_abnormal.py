"""Abnormal orders (ORD-5): each type records its reason, says how it is released and how
soon it is due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.orders.abnormal import POLICIES, Abnormality, AbnormalType, Release
from domain.orders.errors import AbnormalReleaseRefused
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef
from tests.unit.orders.factory import STAFF, later, paid_order

# What each type's marking records, as a connector or a rule would mark it.
EXAMPLES: dict[AbnormalType, tuple[str, dict[str, str]]] = {
    AbnormalType.OUT_OF_STOCK: ("缺货: SKU-A 差 2 件", {"skus": "SKU-A"}),
    AbnormalType.ADDRESS_INCOMPLETE: ("地址缺少区县", {"missing": "district"}),
    AbnormalType.BLACKLISTED_BUYER: ("买家在黑名单", {"customer": "c1"}),
    AbnormalType.MESSAGE_TO_READ: ("买家留言待处理", {"field": "buyer_message"}),
    AbnormalType.PRICE_BELOW_COST: ("售价低于成本", {"line": "l1"}),
    AbnormalType.PRICE_FAR_BELOW_LIST: ("售价远低于标价", {"line": "l1", "ratio": "0.30"}),
    AbnormalType.SUSPECTED_FRAUD: ("疑似欺诈", {}),
    AbnormalType.UNPAID_TOO_LONG: ("超时未付款", {"hours": "24"}),
    AbnormalType.LIKELY_DUPLICATE: ("疑似重复订单", {"duplicate_of": "o2"}),
    AbnormalType.REFUND_REQUESTED: ("买家申请退款", {"platform_refund": "R1"}),
    AbnormalType.PAID_AMOUNT_MISMATCH: ("实付与应付不符", {"due": "100.00", "paid": "90.00"}),
    AbnormalType.SKU_NOT_MAPPED: ("平台商品编码未对应", {"channel_sku": "TM-123"}),
}


def test_every_type_has_a_policy_and_an_example() -> None:
    assert set(POLICIES) == set(AbnormalType) == set(EXAMPLES)


@pytest.mark.parametrize("kind", list(AbnormalType))
def test_each_type_records_its_reason_and_is_released_as_its_policy_says(
    kind: AbnormalType,
) -> None:
    note, detail = EXAMPLES[kind]
    rule = RuleRef("abnormal-checks", 2)
    made = paid_order()
    fraud = kind is AbnormalType.SUSPECTED_FRAUD
    made.mark_abnormal(
        Abnormality(
            kind,
            later(2),
            note,
            detail,
            risk_score=80 if fraud else None,
            risk_reasons=("new_customer_high_amount",) if fraud else (),
            rule=rule,
        ),
        "rule_engine",
    )
    assert made.status is OrderStatus.ABNORMAL
    marked = next(e for e in made.timeline if e.kind == "abnormal_marked")
    assert (marked.reason, marked.rule) == (note, rule)
    assert marked.detail == {"type": kind.value, **detail}
    open_one = made.abnormalities[0]
    assert open_one.due() == later(2) + POLICIES[kind].target
    assert open_one.is_overdue(later(2) + POLICIES[kind].target + timedelta(seconds=1))
    if POLICIES[kind].release is Release.MANUAL:
        with pytest.raises(AbnormalReleaseRefused):
            made.resolve_abnormal(kind, later(3), "system", "cause gone", automatic=True)
        made.resolve_abnormal(kind, later(3), STAFF, "checked", automatic=False)
    else:
        made.resolve_abnormal(kind, later(3), "system", "cause gone", automatic=True)
    assert made.status is OrderStatus.PAID
    assert made.timeline[-2].kind == "abnormal_resolved"


def test_several_abnormalities_stay_abnormal_until_the_last_is_resolved() -> None:
    made = paid_order()
    made.mark_abnormal(Abnormality(AbnormalType.OUT_OF_STOCK, later(1)), "rule_engine")
    made.mark_abnormal(Abnormality(AbnormalType.MESSAGE_TO_READ, later(1)), "rule_engine")
    made.mark_abnormal(Abnormality(AbnormalType.OUT_OF_STOCK, later(2)), "rule_engine")
    assert len(made.abnormalities) == 2
    made.resolve_abnormal(AbnormalType.OUT_OF_STOCK, later(3), "system", "到货", automatic=True)
    assert made.status is OrderStatus.ABNORMAL
    made.resolve_abnormal(AbnormalType.MESSAGE_TO_READ, later(4), STAFF, "已读", automatic=False)
    assert made.status is OrderStatus.PAID
