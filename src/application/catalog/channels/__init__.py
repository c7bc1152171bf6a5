"""Sales channels (CHN-1, CAT-7): one file per use case, gathered by ``ChannelService``."""

from application.catalog.channels.change import ChannelChanges
from application.catalog.channels.service import ChannelService

__all__ = ["ChannelChanges", "ChannelService"]
