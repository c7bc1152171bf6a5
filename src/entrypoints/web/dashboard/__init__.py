"""The dashboard: the day at a glance."""

from litestar import Router

from application.identity.users.me import WhoAmI
from entrypoints.web.dashboard.overview import DashboardPage
from entrypoints.web.menu import MenuItem

router = Router(path="/", route_handlers=[DashboardPage])
MENU = (MenuItem("nav.dashboard", "/console", WhoAmI, order=0),)
