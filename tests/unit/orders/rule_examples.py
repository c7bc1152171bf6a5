"""Rule sets written as the API and storage carry them: plain dicts."""

from __future__ import annotations

from typing import Any

from domain.orders.rules.ruleset import RuleSet, parse_rules

WAREHOUSE_EAST = "00000000-0000-0000-0000-0000000000e1"
GIFT_SKU = "00000000-0000-0000-0000-0000000000f1"


def rule(
    rule_id: str, priority: int, conditions: list[Any], actions: list[Any], **more: Any
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": more.pop("name", rule_id),
        "priority": priority,
        "conditions": conditions,
        "actions": actions,
        **more,
    }


def rule_set(*rules: dict[str, Any]) -> RuleSet:
    return RuleSet.empty().revise(parse_rules(list(rules)))
