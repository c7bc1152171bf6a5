"""Settings → jobs: long-running work (imports, exports, re-valuation, re-encryption) with
its progress, updating itself while it runs."""

from litestar import Router

from application.jobs.queries import ListJobs
from entrypoints.web.jobs.progress import JobPages
from entrypoints.web.menu import MenuItem

router = Router(path="/jobs", route_handlers=[JobPages])
MENU = (MenuItem("nav.jobs", "/console/jobs", ListJobs, order=950),)
