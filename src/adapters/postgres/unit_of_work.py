"""The Postgres unit of work: one transaction, the tenant set as its first statement."""

from __future__ import annotations

from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from adapters.postgres.audit.log import PostgresAuditLog
from adapters.postgres.audit.operator_audit import PostgresOperatorAudit
from adapters.postgres.catalog.brands import PostgresBrandRepository
from adapters.postgres.catalog.categories import PostgresCategoryRepository
from adapters.postgres.catalog.channels import PostgresChannelRepository, PostgresListingRepository
from adapters.postgres.catalog.files import PostgresCatalogFiles
from adapters.postgres.catalog.media import PostgresProductMediaRepository
from adapters.postgres.catalog.prices import PostgresPriceRepository
from adapters.postgres.catalog.product_types import PostgresProductTypeRepository
from adapters.postgres.catalog.products import PostgresProductRepository
from adapters.postgres.catalog.related import PostgresRelatedProductRepository
from adapters.postgres.customers.repository import PostgresCustomerRepository
from adapters.postgres.idempotency import PostgresIdempotencyStore
from adapters.postgres.identity.repositories import (
    PostgresApiKeyRepository,
    PostgresRoleRepository,
    PostgresSessionRepository,
    PostgresTenantDirectory,
    PostgresUserRepository,
)
from adapters.postgres.jobs.repository import PostgresJobRepository
from adapters.postgres.notifications.inbox import (
    PostgresInboxRepository,
    PostgresQueuedEmailRepository,
)
from adapters.postgres.outbox import PostgresOutbox
from adapters.postgres.processed_messages import PostgresProcessedMessages
from adapters.postgres.webhooks.repository import PostgresWebhookRepository
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
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext, SystemContext
from application.shared.field_cipher import FieldCipher
from application.shared.idempotency import IdempotencyStore
from application.shared.messaging import ProcessedMessages
from application.shared.operator_audit import OperatorAudit
from application.shared.outbox import Outbox
from application.webhooks.ports import WebhookRepository

NO_TENANT = UUID(int=0)


class MissingTenant(RuntimeError):
    """A tenant unit of work was asked for without a tenant: refuse rather than guess."""


class PostgresUnitOfWork:
    # Typed as the ports, so mypy checks every adapter against its protocol.
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
    catalog_files: CatalogFileStore
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
    processed: ProcessedMessages

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: UUID | None,
        actor: str,
        request_id: str,
        ip: str | None,
        clock: Clock,
        ids: IdGenerator,
        cipher: FieldCipher,
    ) -> None:
        self.tenant_id = tenant_id or NO_TENANT
        self._engine = engine
        self._tenant_setting = str(tenant_id) if tenant_id else ""
        self._actor = actor
        self._request_id = request_id
        self._ip = ip
        self._clock = clock
        self._ids = ids
        self._cipher = cipher
        self._conn: AsyncConnection | None = None
        self._tx: AsyncTransaction | None = None

    @property
    def connection(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work not entered")
        return self._conn

    async def __aenter__(self) -> Self:
        self._conn = await self._engine.connect()
        try:
            self._tx = await self._conn.begin()
            # First statement of the transaction; transaction-local, so it never leaks
            # to the next borrower of this pooled connection.
            await self._conn.execute(
                text("SELECT set_config('app.tenant_id', :tenant, true)"),
                {"tenant": self._tenant_setting},
            )
        except BaseException:
            await self._conn.close()
            raise
        conn, tid = self._conn, self.tenant_id
        self.tenants = PostgresTenantDirectory(conn)
        self.users = PostgresUserRepository(conn, tid)
        self.roles = PostgresRoleRepository(conn, tid)
        self.sessions = PostgresSessionRepository(conn, tid)
        self.api_keys = PostgresApiKeyRepository(conn, tid)
        self.catalog_files = PostgresCatalogFiles(conn, tid)
        self.jobs = PostgresJobRepository(conn, tid)
        self.customers = PostgresCustomerRepository(conn, tid, self._cipher)
        self.categories = PostgresCategoryRepository(conn, tid)
        self.brands = PostgresBrandRepository(conn, tid)
        self.channels = PostgresChannelRepository(conn, tid)
        self.listings = PostgresListingRepository(conn, tid)
        self.prices = PostgresPriceRepository(conn, tid)
        self.product_types = PostgresProductTypeRepository(conn, tid)
        self.products = PostgresProductRepository(conn, tid)
        self.product_media = PostgresProductMediaRepository(conn, tid)
        self.related_products = PostgresRelatedProductRepository(conn, tid)
        self.audit = PostgresAuditLog(conn, tid, self._ids, self._actor, self._request_id, self._ip)
        self.outbox = PostgresOutbox(conn, tid, self._ids, self._request_id)
        self.idempotency = PostgresIdempotencyStore(conn, tid, self._clock, self._cipher)
        self.operator_audit = PostgresOperatorAudit(conn, self._ids)
        self.webhooks = PostgresWebhookRepository(conn, tid, self._cipher)
        self.inbox = PostgresInboxRepository(conn, tid)
        self.queued_emails = PostgresQueuedEmailRepository(conn, tid)
        self.processed = PostgresProcessedMessages(conn, tid)
        return self

    async def commit(self) -> None:
        if self._tx is None:
            raise RuntimeError("unit of work not entered")
        await self._tx.commit()
        self._tx = None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None:
                await self._tx.rollback()
        finally:
            self._tx = None
            if self._conn is not None:
                await self._conn.close()
                self._conn = None


class PostgresUnitOfWorkFactory:
    def __init__(
        self,
        app_engine: AsyncEngine,
        platform_engine: AsyncEngine,
        clock: Clock,
        ids: IdGenerator,
        cipher: FieldCipher,
    ) -> None:
        self._app = app_engine
        self._platform = platform_engine
        self._clock = clock
        self._ids = ids
        self._cipher = cipher

    def for_tenant(self, ctx: CallContext) -> PostgresUnitOfWork:
        if not ctx.tenant_id or ctx.tenant_id == NO_TENANT:
            raise MissingTenant("a tenant unit of work needs a tenant")
        return PostgresUnitOfWork(
            self._app,
            ctx.tenant_id,
            ctx.actor.label,
            ctx.request_id,
            ctx.ip,
            self._clock,
            self._ids,
            self._cipher,
        )

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> PostgresUnitOfWork:
        if not ctx.reason:
            raise MissingTenant("system work must say why it runs outside a tenant")
        return PostgresUnitOfWork(
            self._platform,
            tenant_id,
            ctx.actor.label,
            ctx.request_id,
            None,
            self._clock,
            self._ids,
            self._cipher,
        )
