from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from application.catalog.ports.channels import (
    ChannelRepository,
    ListingRepository,
    PriceRepository,
)
from application.catalog.ports.files import CatalogFileStore
from application.catalog.ports.repositories import (
    BrandRepository,
    CategoryRepository,
    ProductMediaRepository,
    ProductRepository,
    ProductTypeRepository,
    RelatedProductRepository,
)
from application.customers.ports import CustomerRepository
from application.identity.ports import (
    ApiKeyRepository,
    RoleRepository,
    SessionRepository,
    TenantDirectory,
    UserRepository,
)
from application.jobs.ports import JobRepository
from application.notifications.ports import InboxRepository, QueuedEmailRepository
from application.shared.audit_log import AuditLog
from application.shared.context import CallContext, SystemContext
from application.shared.idempotency import IdempotencyStore
from application.shared.messaging import ProcessedMessages
from application.shared.operator_audit import OperatorAudit
from application.shared.outbox import Outbox
from application.webhooks.ports import WebhookRepository


class UnitOfWork(Protocol):
    """One transaction in one tenant's context (ARCHITECTURE.md, Tenancy).

    Entering it opens the transaction and sets the tenant as its first statement; leaving
    it without ``commit`` rolls back. Audit records, outbox events and the idempotency
    record are written in the same transaction as the change.
    """

    tenant_id: UUID
    tenants: TenantDirectory
    users: UserRepository
    roles: RoleRepository
    sessions: SessionRepository
    api_keys: ApiKeyRepository
    customers: CustomerRepository
    categories: CategoryRepository
    brands: BrandRepository
    product_types: ProductTypeRepository
    products: ProductRepository
    catalog_files: CatalogFileStore  # catalog import/export records (CAT-2)
    jobs: JobRepository
    channels: ChannelRepository
    listings: ListingRepository
    prices: PriceRepository
    product_media: ProductMediaRepository
    related_products: RelatedProductRepository
    audit: AuditLog
    outbox: Outbox
    idempotency: IdempotencyStore
    operator_audit: OperatorAudit
    webhooks: WebhookRepository
    inbox: InboxRepository
    queued_emails: QueuedEmailRepository
    processed: ProcessedMessages  # worker dedupe: claim a message id in this transaction

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def for_tenant(self, ctx: CallContext) -> UnitOfWork:
        """A unit of work as the request role, under row-level security."""
        ...

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> UnitOfWork:
        """Operator work as the platform role; every use of it is audited."""
        ...
