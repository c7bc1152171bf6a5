"""The one composition root: builds the adapters and hands them to the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from dramatiq.brokers.redis import RedisBroker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.crypto.field_cipher import EnvelopeFieldCipher
from adapters.crypto.keystore import FileKeyStore
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.tokens import JwtAccessTokens
from adapters.files.tables import CsvXlsxTables
from adapters.identity.access_policy import RoleBasedAccessPolicy
from adapters.messaging.broker import build_broker
from adapters.messaging.outbox_relay import OutboxRelay
from adapters.messaging.queues import BrokerQueues
from adapters.messaging.task_queue import DramatiqTaskQueue
from adapters.notifications.smtp import SmtpEmailSender
from adapters.notifications.templates import JinjaMessageTemplates
from adapters.phone_numbers import LibPhoneNumberParser
from adapters.postgres.audit.seals import PostgresAuditChainStore
from adapters.postgres.engine import check_tenant_propagation, create_engine
from adapters.postgres.identity.repositories import PostgresTenantLookup
from adapters.postgres.keys.reencryption import (
    EnvelopeDataKeyVersions,
    PostgresJobsUnitOfWorkFactory,
)
from adapters.postgres.notifications.inbox import PostgresDueEmails
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.webhooks.repository import PostgresStalledDeliveries
from adapters.redis.login_throttle import RedisLoginThrottle
from adapters.storage.anchors import FileAuditAnchorStore
from adapters.storage.local_files import LocalFileStore
from adapters.storage.media_inspector import PillowMediaInspector
from adapters.system import SystemClock, Uuid7Generator
from adapters.webhooks.randomness import SystemRandomSource
from adapters.webhooks.sender import HttpWebhookSender
from application.audit.queries import AuditQueries
from application.audit.sealing import AuditSealer
from application.audit.verify import VerifyAuditChain
from application.catalog.brand_logos import BrandLogoService
from application.catalog.brands import BrandService
from application.catalog.categories import CategoryService
from application.catalog.channels import ChannelService
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings import ListingService
from application.catalog.media import MediaService
from application.catalog.media_files import MediaFiles
from application.catalog.member_prices import MemberPriceService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.price_quotes import PriceQuoteService
from application.catalog.product_types import ProductTypeService
from application.catalog.products import ProductService
from application.catalog.promotions import PromotionService
from application.catalog.related import RelatedProductService
from application.catalog.sku_matrices import SkuMatrixService
from application.customers.service import CustomerService
from application.identity.access_admin import AccessAdministration
from application.identity.authentication import Authenticator
from application.identity.sessions import SessionPolicy, Sessions
from application.identity.tenant_operations import TenantOperations
from application.jobs.queries import JobQueries
from application.keys.reencrypt import ReencryptionDeps
from application.keys.rotation import KeyRotation
from application.notifications.emails import NotificationEmails
from application.notifications.inbox import Inbox
from application.notifications.notifier import TransactionalNotifier
from application.notifications.ports import Notifier
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.webhooks.service import WebhookService
from bootstrap.settings import Settings
from domain.webhooks.retry import RetryPolicy


@dataclass
class Container:
    settings: Settings
    app_engine: AsyncEngine
    platform_engine: AsyncEngine
    redis: Redis
    cipher: EnvelopeFieldCipher
    uow_factory: PostgresUnitOfWorkFactory
    tables: CsvXlsxTables  # catalog files (CAT-2)
    catalog_imports: CatalogImports
    catalog_exports: CatalogExports
    runner: CommandRunner
    access: RoleBasedAccessPolicy
    sessions: Sessions
    authenticator: Authenticator
    access_admin: AccessAdministration
    tenant_operations: TenantOperations
    audit_queries: AuditQueries
    customers: CustomerService
    categories: CategoryService  # catalog (docs/catalog.md)
    brands: BrandService
    product_types: ProductTypeService
    channels: ChannelService  # catalog channels and prices (docs/catalog.md)
    listings: ListingService
    membership_tiers: MembershipTierService
    member_prices: MemberPriceService
    promotions: PromotionService
    price_quotes: PriceQuoteService
    products: ProductService
    sku_matrices: SkuMatrixService  # SKU matrix generation (CAT-5)
    file_store: LocalFileStore  # product media and brand logos (CAT-3, CAT-6)
    media: MediaService
    brand_logos: BrandLogoService
    related_products: RelatedProductService
    # Events and jobs (docs/events-and-jobs.md)
    broker: RedisBroker
    task_queue: TaskQueue
    outbox_relay: OutboxRelay
    queues: BrokerQueues

    # Notifications (docs/notifications.md)
    notifier: Notifier
    inbox: Inbox
    notification_emails: NotificationEmails

    # Audit sealing, key rotation, jobs with progress (docs/audit-and-keys.md)
    audit_anchors: FileAuditAnchorStore
    audit_sealer: AuditSealer
    verify_audit: VerifyAuditChain
    key_rotation: KeyRotation
    jobs: JobQueries

    # Outgoing webhooks (docs/webhooks.md)
    webhooks: WebhookService

    async def check_database(self) -> None:
        """Start-up checks against the database (a Citus cluster that would not carry the
        tenant setting to its workers is refused)."""
        await check_tenant_propagation(self.app_engine)

    async def aclose(self) -> None:
        await self.redis.aclose()
        self.broker.client.close()
        await self.app_engine.dispose()
        await self.platform_engine.dispose()


async def check_database(settings: Settings) -> None:
    """The start-up checks, on a short-lived engine of their own (for processes that build
    their container on another event loop, such as the worker)."""
    engine = create_engine(settings.database_url, pool_size=1, max_overflow=0)
    try:
        await check_tenant_propagation(engine)
    finally:
        await engine.dispose()


def build_container(settings: Settings | None = None) -> Container:
    settings = settings or Settings()
    clock = SystemClock()
    ids = Uuid7Generator()
    app_engine = create_engine(settings.database_url)
    platform_engine = create_engine(settings.platform_database_url, pool_size=4, max_overflow=4)
    redis = Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    cipher = EnvelopeFieldCipher(FileKeyStore(settings.keystore), platform_engine)
    uow_factory = PostgresUnitOfWorkFactory(app_engine, platform_engine, clock, ids, cipher)
    runner = CommandRunner(uow_factory)
    broker = build_broker(
        settings.redis_url,
        settings.redis_prefix,
        heartbeat_timeout_ms=settings.broker_heartbeat_ms,
        maintenance_chance=settings.broker_maintenance_chance,
    )
    task_queue = DramatiqTaskQueue(broker)
    access = RoleBasedAccessPolicy()
    hasher = Argon2PasswordHasher(settings.argon2_profile)
    tokens = JwtAccessTokens(
        settings.token_signing_key, timedelta(minutes=settings.access_token_minutes)
    )
    tenants = PostgresTenantLookup(app_engine)
    throttle = RedisLoginThrottle(
        redis,
        settings.redis_prefix,
        settings.login_max_failures_per_account,
        settings.login_max_failures_per_address,
        settings.login_failure_window_seconds,
    )
    sessions = Sessions(
        uow_factory,
        tenants,
        hasher,
        tokens,
        throttle,
        clock,
        ids,
        SessionPolicy(
            refresh_lifetime=timedelta(days=settings.refresh_token_days),
            reuse_grace=timedelta(seconds=settings.refresh_reuse_grace_seconds),
        ),
    )
    templates = JinjaMessageTemplates()
    notification_emails = NotificationEmails(
        uow_factory,
        templates,
        SmtpEmailSender(settings.smtp_host, settings.smtp_port, settings.smtp_sender),
        task_queue,
        PostgresDueEmails(platform_engine),
        clock,
        ids,
    )
    audit_chain = PostgresAuditChainStore(platform_engine)
    audit_anchors = FileAuditAnchorStore(settings.audit_anchor_dir)
    jobs_uow_factory = PostgresJobsUnitOfWorkFactory(uow_factory)
    file_store = LocalFileStore(settings.file_store_dir)
    media_files = MediaFiles(file_store, PillowMediaInspector())
    tables = CsvXlsxTables()
    return Container(
        tables=tables,
        catalog_imports=CatalogImports(runner, uow_factory, access, tables, task_queue, clock, ids),
        catalog_exports=CatalogExports(runner, uow_factory, access, tables, task_queue, clock, ids),
        settings=settings,
        app_engine=app_engine,
        platform_engine=platform_engine,
        redis=redis,
        cipher=cipher,
        uow_factory=uow_factory,
        runner=runner,
        access=access,
        sessions=sessions,
        authenticator=Authenticator(uow_factory, tenants, tokens, clock),
        access_admin=AccessAdministration(runner, access, hasher, clock, ids),
        channels=ChannelService(runner, access, clock, ids),
        listings=ListingService(runner, access, clock),
        membership_tiers=MembershipTierService(runner, access),
        member_prices=MemberPriceService(runner, access, clock, ids),
        promotions=PromotionService(runner, access, clock, ids),
        price_quotes=PriceQuoteService(runner, access, clock),
        tenant_operations=TenantOperations(uow_factory, cipher, hasher, ids, clock, file_store),
        audit_queries=AuditQueries(runner, access),
        customers=CustomerService(runner, access, LibPhoneNumberParser(), clock, ids),
        categories=CategoryService(runner, access, clock, ids),
        brands=BrandService(runner, access, clock, ids),
        product_types=ProductTypeService(runner, access, clock, ids),
        products=ProductService(runner, access, clock, ids),
        sku_matrices=SkuMatrixService(runner, access, clock, ids),
        file_store=file_store,
        media=MediaService(runner, access, media_files, clock, ids),
        brand_logos=BrandLogoService(runner, access, media_files, clock, ids),
        related_products=RelatedProductService(runner, access),
        notifier=TransactionalNotifier(templates, clock, ids),
        inbox=Inbox(runner, clock),
        notification_emails=notification_emails,
        audit_anchors=audit_anchors,
        audit_sealer=AuditSealer(audit_chain, audit_anchors),
        verify_audit=VerifyAuditChain(audit_chain, audit_anchors),
        key_rotation=KeyRotation(
            ReencryptionDeps(jobs_uow_factory, cipher, EnvelopeDataKeyVersions(cipher), clock),
            ids,
        ),
        jobs=JobQueries(jobs_uow_factory, access),
        broker=broker,
        task_queue=task_queue,
        outbox_relay=OutboxRelay(platform_engine, task_queue),
        queues=BrokerQueues(broker),
        webhooks=WebhookService(
            uow_factory,
            runner,
            access,
            task_queue,
            HttpWebhookSender(
                allow_loopback=settings.webhook_allow_loopback,
                timeout_seconds=settings.webhook_timeout_seconds,
            ),
            PostgresStalledDeliveries(platform_engine),
            clock,
            ids,
            SystemRandomSource(),
            policy=RetryPolicy(max_attempts=settings.webhook_max_attempts),
            allow_loopback=settings.webhook_allow_loopback,
            timeout_seconds=settings.webhook_timeout_seconds,
        ),
    )
