"""The user's inbox: alerts and notices addressed to them (ORD-7, INV-3, LOG-2)."""

from litestar import Router

from application.notifications.inbox.queries import ListInbox
from entrypoints.web.menu import MenuItem
from entrypoints.web.notifications.inbox import InboxPages

router = Router(path="/inbox", route_handlers=[InboxPages])
MENU = (MenuItem("nav.inbox", "/console/inbox", ListInbox, order=50),)
