"""Sales channels (CHN-1, CAT-7): one file per use case, run through ``UseCases``."""

from application.catalog.channels.change import ChangeChannel as ChangeChannel
from application.catalog.channels.change import ChannelChanges as ChannelChanges
from application.catalog.channels.create import CreateChannel as CreateChannel
