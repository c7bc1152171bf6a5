"""Search pages built from light candidates (CAT-12): candidates are read as (id, name,
sort key) in batches, confirmed on the name, and only the confirmed page is loaded whole
(``get_many``). Many candidates failing confirmation across several batches (纯棉短袖T恤
holds every term of 纯棉T恤) still give full pages, in order, with their SKUs, and
cursors that neither skip nor repeat; a candidate found by its code alone is accepted."""

from __future__ import annotations

import uuid
from decimal import Decimal

import asyncpg

from application.catalog.ports.repositories import ProductFilters
from application.catalog.ports.store import CATALOG
from application.catalog.products import SEARCH_BATCH, SearchProducts
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.catalog.search_terms import product_terms
from domain.identity.permissions import ALL_PERMISSIONS
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

DECOYS_PER_MATCH = 29  # so the matches are spread over more than three batches
MATCHES = 12


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def _insert(
    database: TestDatabase, tenant_id: uuid.UUID, rows: list[tuple[uuid.UUID, str, str]]
) -> None:
    """Products (id, code, name), each with one priced SKU ``<code>-A``, and exactly the
    search terms saving them through the application writes — as the owner, as an import
    would."""
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.executemany(
            "INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,"
            " created_at, updated_at) VALUES ($1, $2, $3, lower($3), $4, 'physical', 'active',"
            " now(), now())",
            [(tenant_id, i, code, name) for i, code, name in rows],
        )
        await owner.executemany(
            "INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, list_price)"
            " VALUES ($1, $2, $3, 0, $4, lower($4), $5)",
            [
                (tenant_id, uuid.uuid4(), i, f"{code}-A", Decimal(n + 1))
                for n, (i, code, _) in enumerate(rows)
            ],
        )
        await owner.executemany(
            "INSERT INTO product_search_terms (tenant_id, term, product_id)"
            " SELECT $1, t, $2 FROM unnest($3::text[]) t",
            [
                (tenant_id, i, sorted(product_terms(name, [code, f"{code}-A"], [])))
                for i, code, name in rows
            ],
        )
        await owner.execute("ANALYZE products; ANALYZE skus; ANALYZE product_search_terms")
    finally:
        await owner.close()


async def _pages(
    c: Container, t: TenantHandle, q: str, limit: int, sort: str = "created"
) -> list[list[tuple[uuid.UUID, str, tuple[str, ...]]]]:
    """Every page, following the cursors: (id, name, SKU codes) of each product."""
    pages = []
    cursor = None
    while True:
        page = await c.use_cases.query(
            ctx(t), SearchProducts.of(q, ProductFilters(), cursor, limit, sort)
        )
        pages.append(
            [
                (v.product.id, v.product.details.name, tuple(s.code for s in v.skus))
                for v in page.items
            ]
        )
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


async def test_pages_stay_full_and_exact_when_most_candidates_fail_confirmation(
    container: Container, tenant: TenantHandle, database: TestDatabase
) -> None:
    total = MATCHES * (DECOYS_PER_MATCH + 1)
    ids = sorted(uuid.uuid4() for _ in range(total))
    rows = []
    for n, product_id in enumerate(ids):
        match = n % (DECOYS_PER_MATCH + 1) == DECOYS_PER_MATCH // 2
        rows.append((product_id, f"TX{n:04d}", f"{'纯棉T恤' if match else '纯棉短袖T恤'} {n}"))
    await _insert(database, tenant.id, rows)
    matches = [(i, name, (f"{code}-A",)) for i, code, name in rows if name.startswith("纯棉T恤")]
    assert total > 3 * SEARCH_BATCH and len(matches) == MATCHES

    pages = await _pages(container, tenant, "纯棉T恤", 5)
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [item for page in pages for item in page] == matches
    # Descending: the page keeps the candidates' order, not the loading's.
    backwards = await _pages(container, tenant, "纯棉T恤", 5, "-created")
    assert [item for page in backwards for item in page] == matches[::-1]
    # By price (each SKU priced by its position): the sort key goes into the cursor.
    by_price = await _pages(container, tenant, "纯棉T恤", 4, "-price")
    assert [len(p) for p in by_price] == [4, 4, 4]
    assert [item for page in by_price for item in page] == matches[::-1]
    # A page that ends exactly on the last match has no next page.
    whole = await _pages(container, tenant, "纯棉T恤", MATCHES)
    assert whole == [matches]
    # The decoys are found by their own name.
    assert sum(len(p) for p in await _pages(container, tenant, "纯棉短袖", 100)) == total - MATCHES


async def test_a_candidate_found_by_its_code_alone_is_accepted(
    container: Container, tenant: TenantHandle, database: TestDatabase
) -> None:
    by_code, by_name, neither = sorted(uuid.uuid4() for _ in range(3))
    await _insert(
        database,
        tenant.id,
        [
            (by_code, "CT-77", "运动鞋"),  # no name term of "ct-77": found by its code
            (by_name, "ZZ-1", "外套 ct-77 款"),  # the name holds the query
            (neither, "ZZ-2", "77 ct 外套"),  # every name term, out of order: refused
        ],
    )
    pages = await _pages(container, tenant, "ct-77", 1)
    assert [[i for i, _, _ in p] for p in pages] == [[by_code], [by_name]]

    async with container.uow_factory.for_tenant(ctx(tenant)) as uow:
        loaded = await uow.of(CATALOG).products.get_many([neither, uuid.uuid4(), by_code, neither])
    assert [p.id for p in loaded] == [neither, by_code, neither]
    assert loaded[1].skus[0].code == "CT-77-A"
    assert loaded[1].skus[0].list_price is not None
    assert loaded[1].skus[0].list_price.currency == "CNY"
