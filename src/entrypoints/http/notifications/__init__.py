"""The caller's in-app inbox over HTTP."""

from litestar import Router

from application.notifications.inbox import Inbox
from entrypoints.http.dependencies import service
from entrypoints.http.notifications.inbox import InboxController

router = Router(
    path="/api/v1/inbox",
    tags=["inbox"],
    route_handlers=[InboxController],
    dependencies={"inbox": service(Inbox)},
)
