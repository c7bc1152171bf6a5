"""One use-case shape (docs/decisions.md, 20: "One use-case shape").

A command or a query is a small frozen dataclass (made one by its base, ``Command`` or
``Query``) that says in its class line what running it returns, its audit ``action``, the
``permission`` it needs and, when it names an existing entity, its ``target`` (the field
holding that entity's id, for denied and failed attempts); the ``entity`` is the action's
part before the dot unless declared. One handler does it, taking the clock and the id
generator from its ``Work``::

    class EraseCustomer(
        Command[None], action="customer.erase", permission=CUSTOMERS_ERASE, target="customer_id"
    ):
        customer_id: UUID
        expected_version: int | None

    class EraseCustomerHandler:
        async def handle(self, command: EraseCustomer, work: Work) -> None:
            customer = await load_customer(work.uow, command.customer_id)
            before = customer.snapshot()
            customer.erase(work.clock.now())
            ...
            work.audit(customer.id, before, customer.snapshot(), personal=PERSONAL_FIELDS)
            work.publish(customer)

The runner (``application.shared.runner``) checks the permission, calls the handler,
writes the audit records it noted and the events of the aggregates it published, and
commits. A handler never checks its own command's permission; a field-level rule that
needs another permission (``catalog:read_cost``) says so with ``work.require_extra``.

``permission_of`` answers which permission a command, a query or a service method (marked
with ``@runs``) needs — what the HTTP layer shows as ``x-permission``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Generic, Protocol, TypeVar, dataclass_transform
from uuid import UUID

from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from domain.shared.audit import AuditChange, AuditEntry, diff
from domain.shared.events import DomainEvent, RecordsEvents

# Declared instead of a permission by a use case on the caller's own data that every
# signed-in caller may use (the inbox): no permission is checked; the handler refuses a
# caller that has no such data of its own. Declared, so it is a choice a reviewer sees.
SIGNED_IN = "signed_in"

R = TypeVar("R")  # what running the use case returns: ``Command[Brand]``


@dataclass_transform(frozen_default=True)
@dataclass(frozen=True)
class UseCase(Generic[R]):
    """What every command and query declares once, as class keywords::

        class RenameBrand(Command[Brand], action="brand.update", permission=CATALOG_WRITE):

    read back as class attributes (``RenameBrand.permission``) by the runner, the HTTP
    layer (``x-permission``) and the use-case shape test. The ``entity`` is the action's
    part before the dot unless declared (``entity="product"`` for "listing.publish").
    A command's ``target`` is its field ``<entity>_id`` unless declared (``target="type_id"``
    where the field is named otherwise); a query's is None unless declared. ``R``: what
    running it returns.
    """

    action: ClassVar[str]  # the audit action, e.g. "product.create"; queries: "read"
    entity: ClassVar[str]  # the audited entity type, e.g. "product"
    permission: ClassVar[str]  # from domain/<module>/permissions.py, or SIGNED_IN
    # The name of the field holding the entity's id, so a denied or failed attempt is
    # audited against that entity; None when the command names none (a create).
    target: ClassVar[str | None] = None
    # Whether an undeclared target is the field "<entity>_id" (commands: True).
    targets_entity_field: ClassVar[bool] = False

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
        dataclass(frozen=True)(cls)  # every use case is a frozen dataclass of its fields
        if target is None and cls.target is None and cls.targets_entity_field:
            # a command naming its entity by the field "<entity>_id" targets it undeclared
            named = f"{getattr(cls, 'entity', '')}_id"
            if named in {f.name for f in fields(cls)}:
                cls.target = named

    @classmethod
    def check_permission(cls, access: AccessPolicy, ctx: CallContext) -> None:
        """Raise ``PermissionDenied`` unless the caller holds the declared permission."""
        if cls.permission != SIGNED_IN:
            access.require(ctx, cls.permission)

    def target_id(self) -> UUID | None:
        value = getattr(self, self.target) if self.target else None
        return value if isinstance(value, UUID) else None


class Command(UseCase[R]):
    """Changes state: run in one transaction with its audit records and events."""

    targets_entity_field: ClassVar[bool] = True


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
    """What a query's handler works with: the transaction, the caller and the clock."""

    def __init__(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        access: AccessPolicy,
        use_case: UseCase[Any],
        clock: Clock,
    ) -> None:
        self.uow = uow
        self.ctx = ctx
        self.clock = clock
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

    def mark(self) -> tuple[int, int]:
        """How many audit records and events are noted so far: a savepoint that rolls back
        hands this to ``undo_to``, so what its writes noted goes with them."""
        return len(self._noted), len(self.events)

    def undo_to(self, mark: tuple[int, int]) -> None:
        """Forget the audit records and events noted since ``mark``."""
        del self._noted[mark[0] :]
        del self.events[mark[1] :]

    async def write(self) -> None:
        """Write the noted audit records and the events, in this unit of work: one
        statement for the records and the events, however many (an order placed with its
        reservation notes two of each; #11, statements per placement)."""
        await self.uow.write_changes(self.audit_entries(), self.events)

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
    """What a command's handler works with: the transaction, the caller, the clock and the
    id generator, and the record of what it changed (``Changes``), which the runner writes
    before it commits."""

    def __init__(
        self,
        uow: UnitOfWork,
        ctx: CallContext,
        access: AccessPolicy,
        command: Command[Any],
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        Reading.__init__(self, uow, ctx, access, command, clock)
        Changes.__init__(self, uow, command.action, command.entity)
        self.ids = ids


C_contra = TypeVar("C_contra", bound=Command[Any], contravariant=True)
Q_contra = TypeVar("Q_contra", bound=Query[Any], contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class CommandHandler(Protocol[C_contra, R_co]):
    async def handle(self, command: C_contra, work: Work) -> R_co: ...


class QueryHandler(Protocol[Q_contra, R_co]):
    async def handle(self, query: Q_contra, reading: Reading) -> R_co: ...


F = TypeVar("F", bound=Callable[..., Any])


def runs(use_case: type[UseCase[Any]]) -> Callable[[F], F]:
    """Marks a service method with the command or query it runs (``permission_of``): a
    service that does more around a use case than the dispatcher (files, jobs)."""

    def mark(method: F) -> F:
        method.__use_case__ = use_case  # type: ignore[attr-defined]
        return method

    return mark


def use_case_of(target: object) -> type[UseCase[Any]] | None:
    """The command or query class of ``target``: the class itself, an instance, or a
    service method marked with ``@runs``."""
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
