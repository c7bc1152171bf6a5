"""The caller's in-app inbox over HTTP."""

from litestar import Router

from entrypoints.http.notifications.inbox import InboxController

router = Router(
    path="/api/v1/inbox",
    tags=["inbox"],
    route_handlers=[InboxController],
)
