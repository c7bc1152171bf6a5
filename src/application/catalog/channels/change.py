"""Rename, deactivate or reactivate a sales channel (CHN-1, CAT-7), or move it into a shop
group or out of any (ORD-4: orders merge within a group; a change applies to the merges
made after it, never undoing one made before).

Channels are never deleted (listings, and later orders, name them): deactivating is the
end of a channel. Deactivation unpublishes every listing of the channel in the same
transaction, each with its ``product.unpublished`` event; a deactivated channel accepts no
publication. Reactivating publishes nothing back — that is a decision per product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from uuid import UUID

from application.catalog.channels.common import ENTITY, load_channel, state
from application.catalog.common import KEEP, Keep
from application.catalog.ports.store import CATALOG
from application.catalog.unpublishing import unpublish_channel
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.channel import SalesChannel
from domain.catalog.permissions import CATALOG_PUBLISH
from domain.shared.audit import diff
from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.events import DomainEvent


@dataclass(frozen=True)
class ChannelChanges:
    """Only what is set changes (``shop_group``: a code, None to leave any group, or
    ``KEEP``)."""

    name: str | None = None
    active: bool | None = None
    shop_group: str | Keep | None = KEEP


class ChangeChannel(
    Command[SalesChannel],
    action="sales_channel.update",
    permission=CATALOG_PUBLISH,
    target="channel_id",
):
    channel_id: UUID
    changes: ChannelChanges
    expected_version: int | None


def _apply(channel: SalesChannel, changes: ChannelChanges) -> None:
    """The name and the shop group, every mistake in them reported at once."""
    errors: list[FieldError] = []
    steps: list[Callable[[], bool]] = []
    if changes.name is not None:
        steps.append(partial(channel.rename, changes.name))
    if not isinstance(changes.shop_group, Keep):
        steps.append(partial(channel.set_shop_group, changes.shop_group))
    for step in steps:
        try:
            step()
        except ValidationFailed as failed:
            errors.extend(failed.errors)
    if errors:
        raise ValidationFailed(errors)


class ChangeChannelHandler:
    async def handle(self, command: ChangeChannel, work: Work) -> SalesChannel:
        changes = command.changes
        channel = await load_channel(work.uow, command.channel_id)
        check_version(command.expected_version, channel.version)
        before, read_version, now = state(channel), channel.version, work.clock.now()
        _apply(channel, changes)
        deactivated = changes.active is False and channel.active
        if changes.active is not None:
            channel.set_active(changes.active)
        changed = diff(before, state(channel))
        if not changed:
            return channel
        channel.version = read_version + 1
        await work.uow.of(CATALOG).channels.save(channel, read_version, now)
        work.audit(channel.id, before, state(channel), detail={"version": channel.version})
        fields = tuple(c.field for c in changed)
        work.emit(DomainEvent("sales_channel.updated", ENTITY, channel.id, fields))
        if deactivated:
            await unpublish_channel(work, channel.id, now)
        return channel
