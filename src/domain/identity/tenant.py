"""A tenant: one merchant company using Shopkeeper."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, ValidationFailed

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


def validate_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise ValidationFailed.single("slug", "invalid_slug")
    return slug


@dataclass
class Tenant:
    id: UUID
    slug: str
    name: str
    status: TenantStatus = TenantStatus.ACTIVE
    time_zone: str = "Asia/Shanghai"
    currency: str = "CNY"
    locale: str = "zh-CN"

    def suspend(self) -> None:
        if self.status is TenantStatus.SUSPENDED:
            raise Conflict("tenant_already_suspended")
        self.status = TenantStatus.SUSPENDED

    def resume(self) -> None:
        if self.status is TenantStatus.ACTIVE:
            raise Conflict("tenant_not_suspended")
        self.status = TenantStatus.ACTIVE
