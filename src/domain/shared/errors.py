"""Domain errors: plain exceptions carrying a stable code and parameters.

Entrypoints translate the code into a status and a message in the caller's language;
the domain never knows about HTTP or languages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self


class DomainError(Exception):
    """Base of every expected business error. ``code`` is stable and documented.

    ``locale`` is the default language of the company the error concerns, set only where
    the caller may learn it: the caller is not known yet (no call context), but it named
    the company in a way that saying its language reveals nothing the answer does not
    (decision 42). An entrypoint answers in it when the caller asked for no language."""

    code = "domain_error"
    locale: str | None = None
    # parameters an entrypoint also gives as fields of its answer, as they are (JSON
    # values: ids and codes a program reads, beside the message a person reads)
    shown: tuple[str, ...] = ()

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params: dict[str, Any] = params
        super().__init__(self.code, params)

    def concerning(self, locale: str) -> Self:
        """The error with its company's language (kept if one was already set)."""
        if self.locale is None:
            self.locale = locale
        return self


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class Conflict(DomainError):
    code = "conflict"


class StaleVersion(DomainError):
    """The caller edited an older version than the stored one (optimistic locking)."""

    code = "stale_version"


class VersionRequired(DomainError):
    """An update named no version to check (HTTP: If-Match missing, 428)."""

    code = "precondition_required"


class AuthenticationFailed(DomainError):
    code = "authentication_failed"


class TenantSuspended(DomainError):
    code = "tenant_suspended"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.retry_after = retry_after


class ServiceBusy(RateLimited):
    """The service sheds this request to stay responsive (HTTP 503 with Retry-After)."""

    code = "service_busy"


class Contention(ServiceBusy):
    """The change met another at the same moment, and the database broke the tie by
    rolling this one back (a deadlock or a serialization failure): nothing was written, and
    the same request again goes through (HTTP 503 with Retry-After)."""

    code = "contention"

    def __init__(self) -> None:
        super().__init__(retry_after=1)


@dataclass(frozen=True)
class FieldError:
    """One invalid input field: where (a dotted path) and why (a message code)."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class ValidationFailed(DomainError):
    code = "validation_failed"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__()
        self.errors = errors

    @classmethod
    def single(cls, field_name: str, code: str, **params: Any) -> ValidationFailed:
        return cls([FieldError(field_name, code, params)])

    def renamed(self, name: Callable[[str], str]) -> ValidationFailed:
        """The same errors, each field named by ``name`` (the wire's spelling of a use
        case's field names: ``far_above_factor`` → ``farAboveFactor``)."""
        return ValidationFailed([FieldError(name(e.field), e.code, e.params) for e in self.errors])

    def under(self, prefix: str) -> ValidationFailed:
        """The same errors, their fields inside ``prefix`` (``lines[2]`` + ``serials``:
        ``lines[2].serials``)."""
        return ValidationFailed(
            [FieldError(f"{prefix}.{e.field}", e.code, e.params) for e in self.errors]
        )


def bounded_text(field_name: str, value: str, limit: int) -> str:
    """A required text trimmed: refused (``invalid_length``) when empty or past ``limit``."""
    value = value.strip()
    if not value or len(value) > limit:
        raise ValidationFailed.single(field_name, "invalid_length", max=limit)
    return value
