"""Tenant admins manage users, custom roles and API keys (PLT-2): the use cases
(``users/``, ``roles/``, ``api_keys/``), gathered here for the entrypoints, which run them
through ``UseCases`` (registered in ``bootstrap/modules/identity.py``)."""

from application.identity.api_keys.create import CreateApiKey, CreatedApiKey
from application.identity.api_keys.queries import ListApiKeys
from application.identity.api_keys.revoke import RevokeApiKey
from application.identity.roles.create import CreateRole, NewRole
from application.identity.roles.delete import DeleteRole
from application.identity.roles.edit import EditRole, RoleChanges
from application.identity.roles.queries import GetRole, ListRoles
from application.identity.users.assign_roles import AssignRoles
from application.identity.users.create import CreateUser, NewUser
from application.identity.users.delete import DeleteUser
from application.identity.users.queries import GetUser, ListUsers, NameActors
from application.identity.users.status import SetUserActive

__all__ = [
    "AssignRoles",
    "CreateApiKey",
    "CreateRole",
    "CreateUser",
    "CreatedApiKey",
    "DeleteRole",
    "DeleteUser",
    "EditRole",
    "GetRole",
    "GetUser",
    "ListApiKeys",
    "ListRoles",
    "ListUsers",
    "NameActors",
    "NewRole",
    "NewUser",
    "RevokeApiKey",
    "RoleChanges",
    "SetUserActive",
]
