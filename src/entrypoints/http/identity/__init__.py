"""Identity and access over HTTP (PLT-2): log in, and tenant admins manage users, roles
and API keys."""

from litestar import Router

from application.identity.sessions import Sessions
from entrypoints.http.dependencies import service
from entrypoints.http.identity.access import ApiKeysController, RolesController, UsersController
from entrypoints.http.identity.auth import AuthController

router = Router(
    path="/api/v1",
    route_handlers=[AuthController, UsersController, RolesController, ApiKeysController],
    dependencies={"sessions": service(Sessions)},
)
