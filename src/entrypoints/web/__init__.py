"""The web console (PLT-8, PLT-7): server-rendered pages for merchant staff.

A fourth entrypoint beside HTTP, CLI and worker. Pages are Jinja templates rendered by
Litestar and made lively with htmx; every page runs the same use cases as the API through
the one dispatcher (``use_cases.query``/``run``) with the signed-in user's call context, so
no business rule and no query lives here. Each module's pages are a package
``entrypoints/web/<module>/`` exporting ``router`` (its pages) and ``MENU`` (its entries in
the navigation), found like the API's routers. docs/console.md says how a page is built.
"""
