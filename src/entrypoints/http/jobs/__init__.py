"""Background jobs over HTTP: tenant admins follow them (PLT-4)."""

from litestar import Router

from entrypoints.http.jobs.controllers import JobsController

router = Router(
    path="/api/v1/jobs",
    tags=["jobs"],
    route_handlers=[JobsController],
)
