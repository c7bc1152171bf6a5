"""Sign-in, sign-out, the language switch, and the settings of people and access."""

from litestar import Router

from application.identity.sessions import Sessions
from application.identity.users.queries import ListUsers
from entrypoints.http.dependencies import service
from entrypoints.web.identity.signin import SignInPages
from entrypoints.web.identity.users import UserPages
from entrypoints.web.menu import MenuItem

router = Router(
    path="/",
    route_handlers=[SignInPages, UserPages],
    dependencies={"sessions": service(Sessions)},
)
MENU = (MenuItem("nav.users", "/console/settings/users", ListUsers, order=900),)
