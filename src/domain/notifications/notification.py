"""A notification: what happened (topic), who should hear of it, and over which channels.

Notifications carry a template key and parameters, never free text: parameters are ids,
codes and numbers, so nothing personal is written into inbox rows, queued tasks or events
beyond what the rendered template shows the recipient. Rendering happens per recipient, in
the recipient's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID

_TOPIC = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_TEMPLATE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_PARAM = re.compile(r"^[a-z][A-Za-z0-9_]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_PARAMS = 20
MAX_PARAM_LENGTH = 200
MAX_LINK_LENGTH = 500
# Event data keys the webhook channel writes beside the parameters.
RESERVED_PARAMS = frozenset({"topic", "template", "link", "notificationId"})

ParamValue = str | int


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"


ALL_CHANNELS = frozenset(Channel)


class InvalidNotification(ValueError):
    """A module built a notification wrongly: a programming error, not a user's."""


@dataclass(frozen=True)
class Notification:
    """``users`` and ``roles`` (role keys) together name the recipients; a user reached
    twice (listed and holding a role, or holding two listed roles) hears of it once.
    ``customers`` (ids) are written to by email only, in their own language, when they
    have an address (ORD-7: an order's buyer)."""

    topic: str  # "order.status_changed", "stock.low"
    template: str  # "order.status_changed" -> templates in zh-CN, zh-TW and en
    params: Mapping[str, ParamValue | Decimal] = field(default_factory=dict)
    users: tuple[UUID, ...] = ()
    roles: tuple[str, ...] = ()
    link: str | None = None  # a path inside the console, e.g. "/orders/<id>"
    channels: frozenset[Channel] = frozenset({Channel.INBOX})
    customers: tuple[UUID, ...] = ()
    # ``params`` checked, decimals as exact strings: what templates, rows and events get.
    values: Mapping[str, ParamValue] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not _TOPIC.match(self.topic):
            raise InvalidNotification(f"topic {self.topic!r}: expected e.g. 'stock.low'")
        if not _TEMPLATE.match(self.template):
            raise InvalidNotification(f"template {self.template!r}: expected e.g. 'stock.low'")
        if not self.users and not self.roles and not self.customers:
            raise InvalidNotification("a notification needs at least one user, role or customer")
        if self.customers and Channel.EMAIL not in self.channels:
            raise InvalidNotification("customers are written to by email only")
        if not self.channels:
            raise InvalidNotification("a notification needs at least one channel")
        object.__setattr__(self, "users", tuple(self.users))
        object.__setattr__(self, "roles", tuple(self.roles))
        object.__setattr__(self, "customers", tuple(self.customers))
        object.__setattr__(self, "channels", frozenset(Channel(c) for c in self.channels))
        object.__setattr__(self, "values", MappingProxyType(_checked_params(self.params)))
        if self.link is not None:
            _check_link(self.link)

    def wants(self, channel: Channel) -> bool:
        return channel in self.channels


def _checked_params(params: Mapping[str, ParamValue | Decimal]) -> dict[str, ParamValue]:
    if len(params) > MAX_PARAMS:
        raise InvalidNotification(f"at most {MAX_PARAMS} parameters")
    checked: dict[str, ParamValue] = {}
    for name, value in params.items():
        if not _PARAM.match(name) or name in RESERVED_PARAMS:
            raise InvalidNotification(f"parameter name {name!r} is not allowed")
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise InvalidNotification(f"parameter {name!r}: ids, codes and numbers only")
        plain = str(value) if isinstance(value, Decimal) else value  # exact, JSON-safe
        if isinstance(plain, str) and (len(plain) > MAX_PARAM_LENGTH or _CONTROL.search(plain)):
            raise InvalidNotification(f"parameter {name!r}: a short single-line value")
        checked[name] = plain
    return checked


def _check_link(link: str) -> None:
    # Only paths inside the console: a notification must never point elsewhere.
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or len(link) > MAX_LINK_LENGTH
        or _CONTROL.search(link)
        or any(c.isspace() for c in link)
    ):
        raise InvalidNotification(f"link {link!r}: a path inside the console, e.g. '/orders/1'")


def expand_recipients(
    users: Iterable[UUID], members_by_role: Mapping[str, Iterable[UUID]]
) -> list[UUID]:
    """Listed users first, then each role's members, each user once, order kept."""
    seen: dict[UUID, None] = {}
    for user_id in users:
        seen.setdefault(user_id, None)
    for members in members_by_role.values():
        for user_id in members:
            seen.setdefault(user_id, None)
    return list(seen)
