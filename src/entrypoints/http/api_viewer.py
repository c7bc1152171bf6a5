"""The API viewer at ``/schema`` (and ``/schema/swagger``): Swagger UI, served by the
service itself, so it works offline and loads nothing from a CDN (issue #9, item 11).

Swagger UI's dist files come from the PyPI package ``swagger-ui-py``, pinned exactly in
pyproject.toml (its ``swagger_ui/static/`` is Swagger UI's dist with its Apache-2.0
licence, served beside it). Only that directory is read: the package's Python code, which
wires other frameworks, is never imported. The assets' URLs carry the package version, so
an upgrade never meets a stale cached file and browsers may cache them for good.
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import version
from pathlib import Path
from typing import Any

from litestar import Router, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath
from litestar.response import File

PACKAGE = "swagger-ui-py"
ASSETS_PATH = f"/assets/swagger-ui-{version(PACKAGE)}"  # under the OpenAPI router's path
IMMUTABLE = "public, max-age=31536000, immutable"

# What the viewer page loads, and the licence that comes with it: nothing else is served.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
    "LICENSE": "text/plain",
}


def assets_dir() -> Path:
    spec = importlib.util.find_spec("swagger_ui")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError(f"the {PACKAGE} package is not installed (uv sync --frozen)")
    return Path(spec.origin).parent / "static"


async def serve_asset(name: FromPath[str]) -> File:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise NotFoundException()
    return File(
        assets_dir() / name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": IMMUTABLE},
    )


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI with every script, stylesheet and icon from ``<schema>/assets/``."""

    def __init__(self, schema_path: str, **kwargs: Any) -> None:
        base = f"{schema_path}{ASSETS_PATH}"
        super().__init__(
            js_url=f"{base}/swagger-ui-bundle.js",
            css_url=f"{base}/swagger-ui.css",
            standalone_preset_js_url=f"{base}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{base}/favicon-32x32.png'>",
            **kwargs,
        )

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        router.register(get(f"{ASSETS_PATH}/{{name:str}}", include_in_schema=False)(serve_asset))
