"""Driving the console as a browser would, without one: pages are fetched, forms posted
with the CSRF token the page carries, redirects followed by hand where a test looks at them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from tests.conftest import PASSWORD, TenantHandle

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page carries no CSRF token"
    return found[1]


@dataclass
class ConsoleClient:
    http: httpx.AsyncClient

    async def get(self, path: str, **headers: str) -> httpx.Response:
        return await self.http.get(path, headers=headers)

    async def post_form(self, page: str, action: str, form: dict[str, str]) -> httpx.Response:
        """Open ``page``, then post ``form`` to ``action`` with the page's CSRF token."""
        shown = await self.http.get(page)
        return await self.http.post(action, data={**form, "_csrf_token": csrf_token(shown.text)})

    async def sign_in(
        self, tenant: TenantHandle, email: str, password: str = PASSWORD
    ) -> httpx.Response:
        response = await self.post_form(
            "/console/login",
            "/console/login",
            {"tenant": tenant.slug, "email": email, "password": password, "next": "/console"},
        )
        return response

    async def sign_in_as(self, tenant: TenantHandle, role: str) -> None:
        email = tenant.owner_email if role == "owner" else await tenant.add_user([role])
        response = await self.sign_in(tenant, email)
        assert response.status_code == 303, response.text
