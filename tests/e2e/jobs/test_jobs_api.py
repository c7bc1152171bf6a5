"""/api/v1/jobs: tenant admins follow background jobs (``jobs:read``, PLT-4)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from application.keys.rotation import KeyRotation
from bootstrap import Container
from tests.conftest import TenantFactory, TenantHandle, support_context


async def test_admins_follow_a_reencryption_job_through_the_api(
    container: Container, tenant: TenantHandle, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    job = await container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    owner = await tenant.headers("owner")
    admin = await tenant.headers("admin")

    queued = await client.get(f"/api/v1/jobs/{job.id}", headers=admin)
    assert queued.status_code == 200, queued.text
    assert queued.json() | {"createdAt": None, "updatedAt": None} == {
        "id": str(job.id),
        "kind": "keys.reencrypt",
        "status": "queued",
        "done": 0,
        "total": None,
        "progress": None,
        "parameters": job.parameters,
        "error": None,
        "createdBy": "support:pytest",
        "createdAt": None,
        "updatedAt": None,
        "finishedAt": None,
    }

    await container.get(KeyRotation).run(tenant.id, job.id)
    done = (await client.get(f"/api/v1/jobs/{job.id}", headers=owner)).json()
    assert (done["status"], done["progress"], done["done"], done["total"]) == (
        "succeeded",
        1.0,
        0,
        0,
    )
    listed = await client.get("/api/v1/jobs", params={"kind": "keys.reencrypt"}, headers=owner)
    assert [j["id"] for j in listed.json()["items"]] == [str(job.id)]
    other_kind = await client.get("/api/v1/jobs", params={"kind": "imports.csv"}, headers=owner)
    assert other_kind.json() == {"items": [], "nextCursor": None}

    # Without jobs:read: 403 problem+json, in the caller's language.
    staff = await tenant.headers("staff")
    denied = await client.get(f"/api/v1/jobs/{job.id}", headers={**staff, "Accept-Language": "en"})
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    assert denied.json()["code"] == "permission_denied" and "jobs:read" in denied.json()["title"]
    trail = await client.get("/api/v1/audit", params={"entityType": "job"}, headers=owner)
    assert [(r["outcome"], r["detail"]["error"]) for r in trail.json()["items"]] == [
        ("denied", "permission_denied")
    ]

    # Another tenant's job, or no job at all: 404 alike.
    other = await new_tenant()
    foreign = await client.get(f"/api/v1/jobs/{job.id}", headers=await other.headers("owner"))
    missing = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=owner)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["code"] == "not_found"
