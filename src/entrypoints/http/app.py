"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar._asgi.utils import wrap_in_exception_handler
from litestar.config.cors import CORSConfig
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from bootstrap import Container, build_container
from bootstrap.heap import freeze_heap
from bootstrap.settings import Settings
from domain.shared.errors import DomainError
from entrypoints.http.api_viewer import LocalSwaggerRenderPlugin
from entrypoints.http.auth import PUBLIC_PATHS, CredentialsMiddleware, metrics_guard
from entrypoints.http.conditional import NotModified
from entrypoints.http.dependencies import DEPENDENCIES
from entrypoints.http.health import health, ready
from entrypoints.http.inputs import EdgeRequest, ParameterGuard, refuse_bad_form
from entrypoints.http.middleware import RequestContextMiddleware, parse_networks
from entrypoints.http.openapi import ContractInOpenAPI, StrictStructSchemas
from entrypoints.http.openapi_examples import add_examples
from entrypoints.http.options import AllowedMethods
from entrypoints.http.permissions import PermissionsInOpenAPI
from entrypoints.http.problems import (
    domain_error_handler,
    http_error_handler,
    internal_error_handler,
)
from entrypoints.logging import configure_logging
from entrypoints.routers import routers_in
from entrypoints.web.app import console_router, session_middleware, template_config

API_VERSION = "1.0.0"
SCHEMA_PATH = "/schema"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Shopkeeper API",
        version=API_VERSION,
        description=(
            "The back office of many e-commerce companies. Errors are problem+json in the "
            "language of Accept-Language (zh-CN, zh-TW, en). POSTs accept Idempotency-Key; "
            "updates need If-Match with the ETag you read."
        ),
        path=SCHEMA_PATH,
        # Swagger UI at /schema and /schema/swagger, from the project's own copy (offline).
        render_plugins=[LocalSwaggerRenderPlugin(SCHEMA_PATH, path=["/", "/swagger"])],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                "ApiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
            }
        ),
        # No document-wide requirement: each authenticated operation carries its own, so the
        # public ones (health, login) say they need none (entrypoints/http/openapi.py).
    )


class MetricsController(PrometheusController):
    path = "/metrics"


def module_routers() -> list[Router]:
    """Every module's router (the subpackages of ``entrypoints.http``)."""
    import entrypoints.http as package

    return routers_in(package)


def create_app(container: Container | None = None, *, connect: bool = True) -> Litestar:
    """``connect=False`` builds the routes only (for ``shopkeeper openapi``)."""
    settings = container.settings if container else Settings()
    if connect:
        settings.check_secrets()
        configure_logging(settings.log_level, for_life=container is None)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = container or build_container(settings)
        if container is None:
            await services.check_database()  # refuse a misconfigured Citus
        app.state.container = services
        if container is None:
            freeze_heap()  # the process is built: its start-up heap is never scanned again
        try:
            yield
        finally:
            if container is None:
                await services.aclose()

    class Metrics(MetricsController):
        guards = [metrics_guard(parse_networks(settings.metrics_networks), settings.metrics_token)]

    prometheus = PrometheusConfig(app_name="shopkeeper", group_path=True, exclude=["/metrics"])
    app = Litestar(
        route_handlers=[health, ready, Metrics, *module_routers(), console_router(settings)],
        dependencies=DEPENDENCIES,
        middleware=[
            prometheus.middleware,
            # Errors raised by the middleware below become responses here, inside the
            # metrics middleware, so /metrics counts a 401 as a 401 (#9, item 8).
            wrap_in_exception_handler,
            NotModified,  # a read the client holds already: 304 (RFC 9110 §13.1.2)
            AllowedMethods,
            ParameterGuard,
            DefineMiddleware(CredentialsMiddleware, exclude=PUBLIC_PATHS),
            session_middleware(settings),
        ],
        exception_handlers={
            DomainError: domain_error_handler,
            HTTPException: http_error_handler,
            Exception: internal_error_handler,
        },
        plugins=[
            ProblemDetailsPlugin(ProblemDetailsConfig(enable_for_all_http_exceptions=False)),
            PermissionsInOpenAPI(),
            ContractInOpenAPI(),
            StrictStructSchemas(),
        ],
        openapi_config=openapi_config(),
        template_config=template_config(),
        cors_config=CORSConfig(allow_origins=[], allow_headers=["*"]),
        lifespan=[lifespan],
        # Logging is ours (configure_logging, SHOPKEEPER_LOG_LEVEL): Litestar's default
        # configuration would set the root logger to INFO over it at start-up.
        logging_config=None,
        request_class=EdgeRequest,
        before_request=refuse_bad_form,
        debug=False,
    )
    add_examples(app)
    if container is not None:
        app.state.container = container  # usable without running the lifespan (tests)
    # Outermost, around the router itself, so unknown routes and errors raised before any
    # handler also get a request id and an access-log line.
    app.asgi_handler = RequestContextMiddleware(
        app.asgi_handler, parse_networks(settings.trusted_proxies)
    )
    return app


def openapi_schema() -> dict[str, object]:
    """The OpenAPI document, built without connecting to anything."""
    app = create_app(container=None, connect=False)
    return app.openapi_schema.to_schema()
