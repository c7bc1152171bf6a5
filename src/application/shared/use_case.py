"""One use-case shape (docs/decisions.md, 20: "One use-case shape").

A command or a query is a small frozen dataclass that says once what it is — its audit
``action``, its ``entity`` and the ``permission`` it needs — and one handler does it::

    @dataclass(frozen=True)
    class EraseCustomer(Command):
        action = "customer.erase"
        entity = "customer"
        permission = CUSTOMERS_ERASE
        target = "customer_id"  # the field naming the entity, for denied/failed attempts
        customer_id: UUID
        expected_version: int | None

    class EraseCustomerHandler:
        def __init__(self, clock: Clock) -> None:
            self._clock = clock

        async def handle(self, command: EraseCustomer, work: Work) -> None:
            customer = await load_customer(work.uow, command.customer_id)
            before = customer.snapshot()
            customer.erase(self._clock.now())
            ...
            work.audit(customer.id, before, customer.snapshot(), personal=PERSONAL_FIELDS)
            work.publish(customer)

The runner (``application.shared.runner``) checks the permission, calls the handler,
writes the audit records it noted and the events of the aggregates it published, and
commits. A handler never checks its own command's permission; a field-level rule that
needs another permission (``catalog:read_cost``) says so with ``work.require_extra``.

``permission_of`` answers which permission a command, a query or a facade method (marked
with ``@runs``) needs — what the HTTP layer shows as ``x-permission``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from application.shared.access_policy import AccessPolicy
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from domain.shared.audit import AuditChange, AuditEntry, diff
from domain.shared.events import DomainEvent, RecordsEvents

# Declared instead of a permission by a use case on the caller's own data that every
# signed-in caller may use (the inbox): no permission is checked; the handler refuses a
# caller that has no such data of its own. Declared, so it is a choice a reviewer sees.
SIGNED_IN = "signed_in"

if TYPE_CHECKING:
    from typing_extensions import TypeVar as TypeVarWithDefault

    # What running the use case returns (``Command[Brand]``); Any for an undeclared one.
    R = TypeVarWithDefault("R", default=Any)
else:
    R = TypeVar("R")


@dataclass(frozen=True)
class UseCase(Generic[R]):
    """What every command and query declares once, as class keywords::

        class RenameBrand(
            Command[Brand], action="brand.update", permission=CATALOG_WRITE, target="brand_id"
        ):

    read back as class attributes (``RenameBrand.permission``) by the runner, the HTTP
    layer (``x-permission``) and the use-case shape test. The ``entity`` is the action's
    part before the dot unless declared (``entity="product"`` for "listing.publish").
    ``R``: what running it returns.
    """

    action: ClassVar[str]  # the audit action, e.g. "product.create"; queries: "read"
    entity: ClassVar[str]  # the audited entity type, e.g. "product"
    permission: ClassVar[str]  # from domain/<module>/permissions.py, or SIGNED_IN
    # The name of the field holding the entity's id, so a denied or failed attempt is
    # audited against that entity; None when the command names none (a create).
    target: ClassVar[str | None] = None

    def __init_subclass__(
        cls,
        *,
        action: str | None = None,
        entity: str | None = None,
        permission: str | None = None,
        target: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if entity is None and action is not None and "." in action and "entity" not in vars(cls):
            entity = action.partition(".")[0]  # "brand.update" audits a "brand"
        declared = {"action": action, "entity": entity, "permission": permission, "target": target}
        for name, value in declared.items():
            if value is not None:
                setattr(cls, name, value)

    @classmethod
    def check_permission(cls, access: AccessPolicy, ctx: CallContext) -> None:
        """Raise ``PermissionDenied`` unless the caller holds the declared permission."""
        if cls.permission != SIGNED_IN:
            access.require(ctx, cls.permission)

    def target_id(self) -> UUID | None:
        value = getattr(self, self.target) if self.target else None
        return value if isinstance(value, UUID) else None


@dataclass(frozen=True)
class Command(UseCase[R]):
    """Changes state: run in one transaction with its audit records and events."""


@dataclass(frozen=True)
class Query(UseCase[R]):
    """Reads state: its own transaction, only a denial is audited."""

    action: ClassVar[str] = "read"


@dataclass(frozen=True)
class _Noted:
    entity_id: UUID | None
    changes: tuple[AuditChange, ...]
    detail: dict[str, Any]
    action: str | None
    entity: str | None


class Reading:
    """What a query's handler works with: the transaction and the caller."""

    def __init__(
        self, uow: UnitOfWork, ctx: CallContext, access: AccessPolicy, use_case: UseCase
    ) -> None:
        self.uow = uow
        self.ctx = ctx
        self._access = access
        self._use_case = use_case

    def allows(self, permission: str) -> bool:
        """Whether the caller also holds ``permission`` (e.g. to unmask a value)."""
        return self._access.allows(self.ctx, permission)

    def require_extra(self, permission: str) -> None:
        """A field-level rule needing a permission besides the use case's own."""
        if permission == self._use_case.permission:
            # guard: a handler's mistake, caught by the use-case shape test, never a caller's
            raise ValueError("the runner already checked the use case's own permission")
        self._access.require(self.ctx, permission)


class Changes:
    """What a transaction changed, as the audit log and the outbox will hold it: the
    audit records noted (a field-level diff made here, the one place it is made) and the
    events of the aggregates handed over, in the order they were given."""

    def __init__(self, uow: UnitOfWork, action: str, entity: str) -> None:
        self.uow = uow
        self._action = action
        self._entity = entity
        self._noted: list[_Noted] = []
        self.events: list[DomainEvent] = []

    def audit(
        self,
        entity_id: UUID | None,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        *,
        personal: frozenset[str] = frozenset(),
        changes: tuple[AuditChange, ...] = (),
        detail: Mapping[str, Any] | None = None,
        action: str | None = None,
        entity: str | None = None,
    ) -> None:
        """Note one audit record: the field-level diff of the ``before`` and ``after``
        snapshots (personal fields redacted), or ``changes`` already worked out (a product
        version's); ``action`` and ``entity`` default to the use case's."""
        if before is not None or after is not None:
            changes = diff(dict(before or {}), dict(after or {}), personal=personal)
        self._noted.append(_Noted(entity_id, changes, dict(detail or {}), action, entity))

    def publish(self, *aggregates: RecordsEvents) -> None:
        """Take the events the aggregates recorded, for the outbox."""
        for aggregate in aggregates:
            self.events.extend(aggregate.pull_events())

    def emit(self, *events: DomainEvent) -> None:
        """Events the handler states itself, for what records none of its own (a stored
        price, a tenant setting, an entity whose model does not record events yet)."""
        self.events.extend(events)

    async def write(self) -> None:
        """Write the noted audit records and the events, in this unit of work."""
        for entry in self.audit_entries():
            await self.uow.audit.record(entry)
        for event in self.events:
            await self.uow.outbox.add(event)

    def audit_entries(self) -> list[AuditEntry]:
        return [
            AuditEntry(
                note.action or self._action,
                note.entity or self._entity,
                note.entity_id,
                changes=note.changes,
                detail=note.detail,
            )
            for note in self._noted
        ]


class Work(Reading, Changes):
    """What a command's handler works with: the transaction, the caller, and the record
    of what it changed (``Changes``), which the runner writes before it commits."""

    def __init__(
        self, uow: UnitOfWork, ctx: CallContext, access: AccessPolicy, command: Command
    ) -> None:
        Reading.__init__(self, uow, ctx, access, command)
        Changes.__init__(self, uow, command.action, command.entity)


C_contra = TypeVar("C_contra", bound=Command, contravariant=True)
Q_contra = TypeVar("Q_contra", bound=Query, contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class CommandHandler(Protocol[C_contra, R_co]):
    async def handle(self, command: C_contra, work: Work) -> R_co: ...


class QueryHandler(Protocol[Q_contra, R_co]):
    async def handle(self, query: Q_contra, reading: Reading) -> R_co: ...


F = TypeVar("F", bound=Callable[..., Any])


def runs(use_case: type[UseCase]) -> Callable[[F], F]:
    """Marks a facade method with the command or query it runs (``permission_of``)."""

    def mark(method: F) -> F:
        method.__use_case__ = use_case  # type: ignore[attr-defined]
        return method

    return mark


def use_case_of(target: object) -> type[UseCase] | None:
    """The command or query class of ``target``: the class itself, an instance, or a
    facade method marked with ``@runs``."""
    if isinstance(target, type) and issubclass(target, UseCase):
        return target
    if isinstance(target, UseCase):
        return type(target)
    marked = getattr(target, "__use_case__", None)
    return marked if isinstance(marked, type) and issubclass(marked, UseCase) else None


def permission_of(target: object) -> str | None:
    """The permission ``target`` needs (see ``use_case_of``); None when it names no use case."""
    found = use_case_of(target)
    return found.permission if found is not None else None
