"""Rules and a tenant's versioned rule set, as data.

A rule: an id, a name, a priority (smaller runs first; ties by id), conditions (all must
hold; none means "every order"), actions, and what happens after it matches: ``continue``
to the next rule or ``stop``. A rule set is versioned as a whole, and each rule carries
its own version, which ``revise`` raises only when the rule's content changed — so a
timeline entry naming ``big-orders@v3`` means the same rule text for ever (the adapter
keeps every version).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from domain.orders.rules.actions import Action, read_action
from domain.orders.rules.conditions import Condition, read_condition
from domain.orders.rules.reader import Reader
from domain.orders.timeline import RuleRef
from domain.shared.errors import FieldError, ValidationFailed

MAX_RULES = 200
MAX_CONDITIONS = 20
MAX_ACTIONS = 10


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    priority: int
    conditions: tuple[Condition, ...]
    actions: tuple[Action, ...]
    on_match: str = "continue"  # continue | stop
    enabled: bool = True
    version: int = 1

    @cached_property
    def ref(self) -> RuleRef:
        return RuleRef(self.id, self.version)

    def content(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "priority": self.priority,
            "on_match": self.on_match,
            "enabled": self.enabled,
            "conditions": [c.to_dict() for c in self.conditions],
            "actions": [a.to_dict() for a in self.actions],
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.content(), "version": self.version}


def _read_list(r: Reader, key: str, most: int) -> list[Any]:
    value = r.data.get(key, [])
    r.seen.add(key)
    if not isinstance(value, list) or len(value) > most:
        r.fail(key, "must_be_a_list", max=most)
        return []
    return value


def read_rule(data: object, path: str, errors: list[FieldError]) -> Rule | None:
    r = Reader(data, path, errors)
    before = len(errors)
    rule_id = r.code("id")
    name = r.text("name", max_length=100)
    priority = r.integer("priority", low=0, high=100_000, default=1000)
    on_match = r.choice("on_match", ("continue", "stop"), default="continue")
    enabled = r.boolean("enabled", True)
    version = r.integer("version", low=1, high=10**9, default=1)
    conditions = [
        read_condition(Reader(c, f"{path}.conditions[{i}]", errors))
        for i, c in enumerate(_read_list(r, "conditions", MAX_CONDITIONS))
    ]
    actions = [
        read_action(Reader(a, f"{path}.actions[{i}]", errors))
        for i, a in enumerate(_read_list(r, "actions", MAX_ACTIONS))
    ]
    if not actions and "actions" in r.data:
        r.fail("actions", "needs_an_action")
    elif "actions" not in r.data:
        r.fail("actions", "required")
    r.done()
    if len(errors) > before:
        return None
    return Rule(
        id=rule_id or "",
        name=name or "",
        priority=priority or 0,
        conditions=tuple(c for c in conditions if c is not None),
        actions=tuple(a for a in actions if a is not None),
        on_match=on_match or "continue",
        enabled=enabled,
        version=version or 1,
    )


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]

    @classmethod
    def empty(cls) -> RuleSet:
        return cls(0, ())

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "rules": [r.to_dict() for r in self.rules]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """A stored rule set (versions as stored); every mistake reported at its path."""
        errors: list[FieldError] = []
        version = data.get("version", 0)
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            errors.append(FieldError("version", "integer_out_of_range", {"low": 0, "high": 10**9}))
        rules = parse_rules(data.get("rules"), errors)
        if errors:
            raise ValidationFailed(errors)
        return cls(int(version), rules)

    def revise(self, drafts: Sequence[Rule]) -> RuleSet:
        """The next version with ``drafts`` as its rules: a changed rule's version goes up
        by one, an unchanged one keeps its version, a new one starts at 1. Nothing changed:
        the same rule set back."""
        revised: list[Rule] = []
        for draft in drafts:
            known = self.rule(draft.id)
            if known is None:
                revised.append(replace(draft, version=1))
            elif known.content() == draft.content():
                revised.append(known)
            else:
                revised.append(replace(draft, version=known.version + 1))
        if tuple(revised) == self.rules:
            return self
        return RuleSet(self.version + 1, tuple(revised))


def parse_rules(value: object, errors: list[FieldError] | None = None) -> tuple[Rule, ...]:
    """Rules from their dict form (an API body or storage); raises when ``errors`` is not
    given and something is wrong."""
    own = errors is None
    found: list[FieldError] = [] if errors is None else errors
    if not isinstance(value, list) or len(value) > MAX_RULES:
        found.append(FieldError("rules", "must_be_a_list", {"max": MAX_RULES}))
        value = []
    rules = [read_rule(item, f"rules[{i}]", found) for i, item in enumerate(value)]
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule is not None and rule.id in seen:
            found.append(FieldError(f"rules[{i}].id", "duplicate_rule_id", {"id": rule.id}))
        seen.add(rule.id if rule is not None else "")
    if own and found:
        raise ValidationFailed(found)
    return tuple(r for r in rules if r is not None)
