"""Member prices (CAT-10): one price per SKU and membership tier, an offer to buyers of
that tier on every channel (the precedence rule, ``domain.catalog.pricing``). Managing
them needs ``catalog:publish``. Events ``member_price.created|updated|deleted`` carry the
SKU id and the tier."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.channels import StoredMemberPrice
from application.catalog.ports.store import CATALOG
from application.catalog.price_changes import record_price_change
from application.catalog.tenant_terms import tenant_terms
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_PUBLISH, CATALOG_READ
from domain.catalog.pricing import MemberPrice
from domain.shared.audit import AuditChange, diff
from domain.shared.errors import NotFound

ENTITY = "member_price"


async def load_sku(uow: UnitOfWork, sku_id: UUID) -> UUID:
    """The SKU's product; an unknown SKU (named in the path) is a 404."""
    product_id = await uow.of(CATALOG).prices.product_of_sku(sku_id)
    if product_id is None:
        raise NotFound(entity="sku")
    return product_id


async def _load(uow: UnitOfWork, price_id: UUID) -> StoredMemberPrice:
    price = await uow.of(CATALOG).prices.member_price(price_id)
    if price is None:
        raise NotFound(entity=ENTITY)
    return price


def _state(price: StoredMemberPrice | None) -> dict[str, object]:
    if price is None:
        return {}
    return {"tier": price.price.tier, "amount": str(price.price.amount.amount)}


async def _record(
    uow: UnitOfWork, verb: str, price: StoredMemberPrice, changes: tuple[AuditChange, ...]
) -> None:
    await record_price_change(
        uow,
        ENTITY,
        verb,
        price.id,
        price.sku_id,
        price.version,
        changes,
        {"tier": price.price.tier},
    )


class MemberPriceService:
    """``create``, ``change``, ``delete`` and ``get``, ``of_sku``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def create(
        self, ctx: CallContext, sku_id: UUID, tier: str, amount: Decimal
    ) -> StoredMemberPrice:
        async def command(uow: UnitOfWork) -> StoredMemberPrice:
            self._access.require(ctx, CATALOG_PUBLISH)
            await load_sku(uow, sku_id)
            tiers = {t.code for t in (await uow.of(CATALOG).prices.tier_settings()).tiers}
            currency = (await tenant_terms(uow)).currency
            member = MemberPrice.create(self._ids.new_id(), tier, amount, currency, tiers)
            price = StoredMemberPrice(sku_id, member)
            await uow.of(CATALOG).prices.add_member_price(price, self._clock.now())
            await _record(uow, "create", price, diff({}, _state(price)))
            return price

        return await self._runner.run(ctx, "member_price.create", ENTITY, command)

    async def change(
        self, ctx: CallContext, price_id: UUID, amount: Decimal, expected_version: int | None
    ) -> StoredMemberPrice:
        """A new amount; SKU and tier stay (another tier is another member price)."""

        async def command(uow: UnitOfWork) -> StoredMemberPrice:
            self._access.require(ctx, CATALOG_PUBLISH)
            price = await _load(uow, price_id)
            check_version(expected_version, price.version)
            currency = (await tenant_terms(uow)).currency
            member = MemberPrice.create(
                price.id,
                price.price.tier,
                amount,
                currency,
                {price.price.tier},
            )
            changed = replace(price, price=member, version=price.version + 1)
            changes = diff(_state(price), _state(changed))
            if not changes:
                return price
            await uow.of(CATALOG).prices.save_member_price(
                changed, price.version, self._clock.now()
            )
            await _record(uow, "update", changed, changes)
            return changed

        return await self._runner.run(
            ctx, "member_price.update", ENTITY, command, entity_id=price_id
        )

    async def delete(self, ctx: CallContext, price_id: UUID, expected_version: int | None) -> None:
        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, CATALOG_PUBLISH)
            price = await _load(uow, price_id)
            check_version(expected_version, price.version)
            await uow.of(CATALOG).prices.delete_member_price(price.id, price.version)
            await _record(uow, "delete", price, diff(_state(price), {}))

        await self._runner.run(ctx, "member_price.delete", ENTITY, command, entity_id=price_id)

    async def get(self, ctx: CallContext, price_id: UUID) -> StoredMemberPrice:
        async def read(uow: UnitOfWork) -> StoredMemberPrice:
            self._access.require(ctx, CATALOG_READ)
            return await _load(uow, price_id)

        return await self._runner.query(ctx, read)

    async def of_sku(self, ctx: CallContext, sku_id: UUID) -> list[StoredMemberPrice]:
        """In tier order (a SKU has at most one per tier)."""

        async def read(uow: UnitOfWork) -> list[StoredMemberPrice]:
            self._access.require(ctx, CATALOG_READ)
            await load_sku(uow, sku_id)
            return await uow.of(CATALOG).prices.member_prices_of(sku_id)

        return await self._runner.query(ctx, read)
