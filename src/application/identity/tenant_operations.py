"""What the operator's support staff do to tenants through the CLI (PLT-2, PLT-4).

Every operation runs as the platform role under a named ``SystemContext`` and leaves two
records: one in the tenant's own audit (the operator as actor) and one in the operator
audit, which outlives the tenant.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from application.identity.ports import IDENTITY
from application.identity.security import (
    LoginThrottle,
    PasswordHasher,
    PasswordPolicy,
    check_new_password,
    login_account,
)
from application.identity.users.delete import remove_user
from application.identity.users.status import change_active
from application.shared.clock import Clock, IdGenerator
from application.shared.context import SystemContext
from application.shared.field_cipher import TenantKeys
from application.shared.files import FileStore
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.identity.permissions import BUILTIN_ROLES
from domain.identity.role import Role
from domain.identity.tenant import Tenant, validate_slug
from domain.identity.user import User, normalise_email
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class NewTenant:
    slug: str
    name: str
    owner_email: str
    owner_password: str
    owner_name: str = "Owner"
    time_zone: str = "Asia/Shanghai"
    currency: str = "CNY"
    locale: str = "zh-CN"


class TenantOperations:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        keys: TenantKeys,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        ids: IdGenerator,
        clock: Clock,
        files: FileStore,
        throttle: LoginThrottle,
    ) -> None:
        self._uow_factory = uow_factory
        self._throttle = throttle
        self._files = files
        self._keys = keys
        self._hasher = hasher
        self._policy = policy
        self._ids = ids
        self._clock = clock

    async def _tenant(self, uow: UnitOfWork, slug: str) -> Tenant:
        tenant = await uow.of(IDENTITY).tenants.by_slug(slug)
        if tenant is None:
            raise NotFound(entity="tenant", slug=slug)
        return tenant

    async def create(self, ctx: SystemContext, new: NewTenant) -> Tenant:
        slug = validate_slug(new.slug)
        if not new.name.strip():
            raise ValidationFailed.single("name", "required")
        email = normalise_email(new.owner_email)
        check_new_password(
            self._policy, new.owner_password, [email, new.owner_name, slug, new.name]
        )
        tenant = Tenant(
            id=self._ids.new_id(),
            slug=slug,
            name=new.name.strip(),
            time_zone=new.time_zone,
            currency=new.currency,
            locale=new.locale,
        )
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            if await uow.of(IDENTITY).tenants.by_slug(slug) is not None:
                raise Conflict("tenant_slug_taken", slug=slug)
            await uow.of(IDENTITY).tenants.add(tenant)
            roles = {key: Role.builtin_role(self._ids.new_id(), key) for key in BUILTIN_ROLES}
            for role in roles.values():
                await uow.of(IDENTITY).roles.add(role)
            owner = User(
                id=self._ids.new_id(),
                tenant_id=tenant.id,
                email=email,
                display_name=new.owner_name,
                password_hash=await self._hasher.hash(new.owner_password),
                locale=new.locale,
            )
            owner.take_roles([roles["owner"]])
            await uow.of(IDENTITY).users.add(owner)
            await uow.audit.record(
                AuditEntry("tenant.create", "tenant", tenant.id, detail={"slug": slug})
            )
            await uow.operator_audit.record(ctx, "tenant.create", tenant.id)
            await uow.commit()
        # The data key row needs the committed tenant. Creation is idempotent, so if this
        # step fails the operator re-runs it with `shopkeeper keys ensure` (issue 3) or
        # the next `tenants create` of the same slug reports the existing tenant.
        await self._keys.create(tenant.id)
        return tenant

    async def list_all(self, ctx: SystemContext) -> list[Tenant]:
        async with self._uow_factory.for_system(ctx, None) as uow:
            return await uow.of(IDENTITY).tenants.list_all()

    async def show(self, ctx: SystemContext, slug: str) -> Tenant:
        async with self._uow_factory.for_system(ctx, None) as uow:
            return await self._tenant(uow, slug)

    async def suspend(self, ctx: SystemContext, slug: str) -> Tenant:
        return await self._change_status(ctx, slug, suspend=True)

    async def resume(self, ctx: SystemContext, slug: str) -> Tenant:
        return await self._change_status(ctx, slug, suspend=False)

    async def _change_status(self, ctx: SystemContext, slug: str, *, suspend: bool) -> Tenant:
        async with self._uow_factory.for_system(ctx, None) as lookup:
            tenant = await self._tenant(lookup, slug)
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            if suspend:
                tenant.suspend()
            else:
                tenant.resume()
            await uow.of(IDENTITY).tenants.save(tenant)
            action = "tenant.suspend" if suspend else "tenant.resume"
            await uow.audit.record(
                AuditEntry(action, "tenant", tenant.id, detail={"reason": ctx.reason})
            )
            await uow.operator_audit.record(ctx, action, tenant.id)
            await uow.commit()
        return tenant

    async def reset_password(
        self, ctx: SystemContext, slug: str, email: str, new_password: str
    ) -> None:
        """Set a new password, end the user's sessions and clear their login lockout."""
        check_new_password(self._policy, new_password, [email, slug])
        password_hash = await self._hasher.hash(new_password)

        async def reset(uow: UnitOfWork, user: User) -> None:
            user.password_hash = password_hash
            user.version += 1
            await uow.of(IDENTITY).users.save(user)
            await uow.of(IDENTITY).sessions.revoke_all_of_user(
                user.id, "password_reset", self._clock.now()
            )

        await self._on_user(ctx, slug, email, "user.reset_password", reset)
        await self._throttle.clear(login_account(slug, normalise_email(email)))

    async def set_user_active(
        self, ctx: SystemContext, slug: str, email: str, *, active: bool
    ) -> None:
        """Deactivate (sessions revoked; the last active owner stays) or reactivate."""

        async def change(uow: UnitOfWork, user: User) -> None:
            await change_active(uow, user, active, self._clock.now())

        action = "user.reactivate" if active else "user.deactivate"
        await self._on_user(ctx, slug, email, action, change)

    async def delete_user(self, ctx: SystemContext, slug: str, email: str) -> None:
        """Delete the user (``users/delete.py``); the last active owner stays."""

        await self._on_user(ctx, slug, email, "user.delete", remove_user)

    async def unlock_user(self, ctx: SystemContext, slug: str, email: str) -> None:
        """Clear the account's failed-login lockout without touching its password."""

        async def nothing(uow: UnitOfWork, user: User) -> None:
            return None

        await self._on_user(ctx, slug, email, "user.unlock", nothing)
        await self._throttle.clear(login_account(slug, normalise_email(email)))

    async def _on_user(
        self,
        ctx: SystemContext,
        slug: str,
        email: str,
        action: str,
        change: Callable[[UnitOfWork, User], Awaitable[None]],
    ) -> None:
        """Run ``change`` on the tenant's user with ``email`` and record it in the tenant's
        audit (with the reason, and who the user was) and the operator audit."""
        async with self._uow_factory.for_system(ctx, None) as lookup:
            tenant = await self._tenant(lookup, slug)
        async with self._uow_factory.for_system(ctx, tenant.id) as uow:
            user = await uow.of(IDENTITY).users.by_email(normalise_email(email))
            if user is None:
                raise NotFound(entity="user")
            await change(uow, user)
            detail = {"reason": ctx.reason, "email": user.email}
            await uow.audit.record(AuditEntry(action, "user", user.id, detail=detail))
            await uow.operator_audit.record(ctx, action, tenant.id, {"user": str(user.id)})
            await uow.commit()

    async def delete(self, ctx: SystemContext, slug: str) -> UUID:
        """Crypto-shred first (the key-encryption key), then remove the tenant's stored
        files (product media, logos: not encrypted, so removed outright), then delete
        every row.

        If the process dies between the steps, what is left is unreadable or unreachable
        and running the command again finishes the job (the tenant row goes last, so a
        re-run still finds it).
        """
        async with self._uow_factory.for_system(ctx, None) as lookup:
            tenant = await self._tenant(lookup, slug)
        await self._keys.destroy(tenant.id)
        await self._files.delete_tenant(tenant.id)
        async with self._uow_factory.for_system(ctx, None) as uow:
            await uow.of(IDENTITY).tenants.delete(tenant.id)
            await uow.operator_audit.record(ctx, "tenant.delete", tenant.id, {"slug": slug})
            await uow.commit()
        return tenant.id
