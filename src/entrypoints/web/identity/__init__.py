"""Sign-in, sign-out, the language switch, and the settings of people and access: users,
roles and API keys."""

from litestar import Router

from application.identity.api_keys.queries import ListApiKeys
from application.identity.roles.queries import ListRoles
from application.identity.sessions import Sessions
from application.identity.users.queries import ListUsers
from entrypoints.http.dependencies import service
from entrypoints.web.identity.api_keys import ApiKeyPages
from entrypoints.web.identity.roles import RolePages
from entrypoints.web.identity.signin import SignInPages
from entrypoints.web.identity.users import UserPages
from entrypoints.web.menu import MenuItem

router = Router(
    path="/",
    route_handlers=[SignInPages, UserPages, RolePages, ApiKeyPages],
    dependencies={"sessions": service(Sessions)},
)
MENU = (
    MenuItem("nav.users", "/console/settings/users", ListUsers, order=900),
    MenuItem("nav.roles", "/console/settings/roles", ListRoles, order=905),
    MenuItem("nav.api_keys", "/console/settings/api-keys", ListApiKeys, order=930),
)
