"""The console's part of the application: one router under ``/console`` holding every
module's pages (each ``entrypoints/web/<module>`` package exporting ``router``, found like
the API's), the static files the project ships (htmx, ECharts, the style sheet, with their
licences: no internet needed), and around them the session cookie, CSRF protection on every
form and the sign-in check. The session cookie's middleware is the app's (``session_middleware``:
Litestar copies a router's middleware, and the cookie's cipher cannot be copied); it skips
every path outside ``/console``."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import ResponseHeader
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from bootstrap.settings import Settings
from entrypoints.routers import routers_in
from entrypoints.web.auth import PUBLIC, ConsoleAuthentication
from entrypoints.web.errors import EXCEPTION_HANDLERS
from entrypoints.web.guards import declared_permissions
from entrypoints.web.secrets import csrf_secret
from entrypoints.web.session import PATH, cookie_config

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
CSRF_COOKIE = "shopkeeper_csrf"
# A console page may hold personal data or a secret shown once (an API key): never kept in
# a shared machine's cache or history, never framed by another site.
PRIVATE_PAGES = [
    ResponseHeader(name="Cache-Control", value="no-store"),
    ResponseHeader(name="Content-Security-Policy", value="frame-ancestors 'none'"),
    ResponseHeader(name="X-Frame-Options", value="DENY"),
]
CSRF_HEADER = "x-csrftoken"


def page_routers() -> list[Router]:
    """Every module's console pages (a new module adds its package; no list changes)."""
    import entrypoints.web as package

    return routers_in(package)


def csrf_config(settings: Settings) -> CSRFConfig:
    """Double-submit: a signed token in a cookie and the same in each form (``_csrf_token``)
    or htmx request (``X-CSRFToken``); SameSite keeps the cookie off other sites' posts."""
    return CSRFConfig(
        secret=csrf_secret(settings),
        cookie_name=CSRF_COOKIE,
        cookie_path=PATH,
        header_name=CSRF_HEADER,
        cookie_secure=not settings.is_development,
        cookie_httponly=True,
        cookie_samesite="strict",
    )


def console_router(settings: Settings) -> Router:
    static = create_static_files_router(
        path="/static", directories=[STATIC], name="console_static", include_in_schema=False
    )
    return Router(
        path=PATH,
        route_handlers=[
            static,
            Router(path="/", route_handlers=page_routers(), response_headers=PRIVATE_PAGES),
        ],
        middleware=[
            DefineMiddleware(CSRFMiddleware, config=csrf_config(settings)),
            DefineMiddleware(ConsoleAuthentication, exclude=PUBLIC),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        guards=[declared_permissions],
        include_in_schema=False,
    )


def session_middleware(settings: Settings) -> DefineMiddleware:
    return cookie_config(settings).middleware


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
