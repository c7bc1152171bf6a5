"""The app's routes and OpenAPI document, built once per test process (issue 13, suite
speed).

``create_app(connect=False)`` costs about 1.7 s of CPU and ``openapi_schema()`` about 2 s
(every module's routes, schemas and examples); the tests that read the routes or the
document (contract, isolation matrix, RBAC matrices, examples) called them once per test
or per parametrized case. Both are pure functions of the code, so one build serves every
reader; each reader gets its own copy of the document (a test may change what it reads).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from litestar import Litestar

from entrypoints.http.app import create_app, openapi_schema


@cache
def routes_app() -> Litestar:
    """``create_app(connect=False)``: routes and handlers, never served."""
    return create_app(connect=False)


@cache
def _document() -> dict[str, Any]:
    return openapi_schema()


def openapi_document() -> dict[str, Any]:
    """``openapi_schema()``, a copy of the one built by this process."""
    return copy.deepcopy(_document())
