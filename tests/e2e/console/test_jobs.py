"""Long-running work in the console: a job's page shows its progress bar, which asks for
itself again every second while the job is unfinished and stops once it is done."""

from __future__ import annotations

from application.jobs.queries import GetJob
from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient
from tests.e2e.jobs.isolation_routes import _job


async def test_a_jobs_bar_polls_until_the_job_is_done(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    job_id = await _job(tenant, tenant.client)
    await console.sign_in_as(tenant, "admin")
    listing = await console.get("/console/jobs", **{"accept-language": "en"})
    assert f"/console/jobs/{job_id}" in listing.text
    job = await tenant.container.use_cases.query(tenant.admin_context, GetJob(job_id))
    page = await console.get(f"/console/jobs/{job_id}", **{"accept-language": "en"})
    assert page.status_code == 200 and "<progress" in page.text
    for shown in (listing.text, page.text):  # the kind in words, not its code
        assert "Data key rotation" in shown and "keys.reencrypt" not in shown
    assert "support:" not in page.text.split("<main")[1]  # who started it, in words
    bar = await console.get(f"/console/jobs/{job_id}", **{"hx-request": "true"})
    assert "<html" not in bar.text and f'id="job-{job_id}"' in bar.text
    polling = 'hx-trigger="every 1s"' in bar.text
    assert polling == (job.status in ("queued", "running"))
    if job.status == "succeeded":
        assert 'value="100"' in bar.text


async def test_jobs_need_jobs_read(console: ConsoleClient, tenant: TenantHandle) -> None:
    await console.sign_in_as(tenant, "warehouse")
    refused = await console.get("/console/jobs", **{"accept-language": "en"})
    assert refused.status_code == 403 and "jobs:read" in refused.text
