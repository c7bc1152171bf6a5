"""Bulk import and export on the real Postgres, as shopkeeper_app under RLS (CAT-2).

The tests the issue asks for: export → import writes nothing (no version, audit record,
event or ETag change); one bad row among 10,000 imports nothing and reports exactly that
row; a commit killed mid-way leaves no row behind and a restart succeeds; GB18030 and BOM
files import; a formula-looking cell exports escaped and round-trips.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest
from python_calamine import CalamineWorkbook

from application.catalog.brands.create import CreateBrand
from application.catalog.categories import CreateCategory
from application.catalog.channels import CreateChannel
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports, ImportView
from application.catalog.imports import jobs as imports_module
from application.catalog.listings import ListingsOf, PublishListing
from application.catalog.ports.files import ProductWrite
from application.catalog.ports.store import CATALOG
from application.catalog.product_types import AttributeInput, CreateProductType
from application.catalog.products import CreateProduct, ProductData, SkuData
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.job import JobStatus
from bootstrap import Container
from domain.catalog.file_layout import header_code
from domain.catalog.permissions import CATALOG_READ_COST
from domain.catalog.versions import ProductVersion
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict, StaleVersion
from domain.shared.file_rows import RowError
from entrypoints.reports.catalog_export import CatalogSheetLabels
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

HEADER = "product_code,product_name,sku_code,list_price\r\n"


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle, permissions: frozenset[str] = ALL_PERMISSIONS) -> CallContext:
    return CallContext(tenant.id, Actor(ActorKind.SUPPORT, "pytest"), permissions, uuid.uuid4().hex)


async def footprint(conn: asyncpg.Connection, tenant: TenantHandle) -> dict[str, object]:
    """Everything an import may write, for this tenant."""
    tid = tenant.id
    return {
        "products": await conn.fetchval("SELECT count(*) FROM products WHERE tenant_id=$1", tid),
        "skus": await conn.fetchval("SELECT count(*) FROM skus WHERE tenant_id=$1", tid),
        "versions": await conn.fetchval(
            "SELECT count(*) FROM product_versions WHERE tenant_id=$1", tid
        ),
        "terms": await conn.fetchval(
            "SELECT count(*) FROM product_search_terms WHERE tenant_id=$1", tid
        ),
        "audit": await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id=$1 AND entity_type='product'", tid
        ),
        "events": await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant_id=$1 AND entity_type='product'", tid
        ),
        "etags": dict(
            await conn.fetch("SELECT code, version FROM products WHERE tenant_id=$1", tid)
        ),
    }


async def imported(
    service: CatalogImports,
    call: CallContext,
    name: str,
    content: bytes,
    *,
    valid_only: bool = False,
) -> ImportView:
    """Upload, run the check job, commit, run the commit job: what the worker does."""
    view = await service.upload(call, name, content, enqueue=False)
    await service.run_check(call.tenant_id, view.record.check_job_id)
    checked = await service.get(call, view.record.id)
    if checked.record.errors and not valid_only:
        return checked
    view = await service.commit(
        call, view.record.id, valid_only, checked.record.version, enqueue=False
    )
    assert view.commit_job is not None
    await service.run_commit(call.tenant_id, view.commit_job.id)
    return await service.get(call, view.record.id)


async def exported(container: Container, call: CallContext, fmt: str) -> bytes:
    """Start the export and run its job with the labels the worker gives it."""
    record, job = await container.get(CatalogExports).start(call, fmt, enqueue=False)
    await container.get(CatalogExports).run(call.tenant_id, job.id, CatalogSheetLabels())
    return (await container.get(CatalogExports).file(call, record.id)).content or b""


async def seed_catalog(container: Container, call: CallContext) -> None:
    """Products that exercise the layout: a type with a variant axis and a spec, a
    category path, a brand, formula-looking text, line breaks, an archived SKU, numbers
    with decimals, blanks and a product without SKUs."""
    shirt = await container.use_cases.run(
        call,
        CreateProductType(
            "T恤",
            [
                AttributeInput(
                    "color", "颜色", "enum", variant_axis=True, allowed_values=("红", "蓝")
                ),
                AttributeInput("fabric", "面料", "text"),
            ],
        ),
    )
    clothes = await container.use_cases.run(call, CreateCategory("服装", None))
    men = await container.use_cases.run(call, CreateCategory("男装", clothes.id))
    brand = await container.use_cases.run(call, CreateBrand("优衣库"))
    await container.use_cases.run(
        call,
        CreateProduct(
            "TEE-1",
            ProductData(
                name="=SUM(A1:A9) 圆领T恤",
                description='第一行\n+第二行, with "quotes"',
                material="-棉",
                product_type_id=shirt.id,
                category_id=men.id,
                brand_id=brand.id,
                attributes={"fabric": "@纯棉"},
                lifecycle="active",
                preorder_allowed=True,
                skus=[
                    SkuData(
                        "TEE-1-R",
                        barcode="6901234567892",
                        list_price=Decimal("99.50"),
                        cost=Decimal("31.2"),
                        weight_grams="180.5",
                        axis_values={"color": "红"},
                    ),
                    SkuData(
                        "TEE-1-B",
                        list_price=Decimal("100"),
                        axis_values={"color": "蓝"},
                        archived=True,
                    ),
                ],
            ),
        ),
    )
    await container.use_cases.run(call, CreateProduct("BARE", ProductData(name="'引号开头")))
    await container.use_cases.run(
        call,
        CreateProduct(
            "PLAIN",
            ProductData(name="简单商品", skus=[SkuData("PLAIN-1", list_price=Decimal("0.01"))]),
        ),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_then_import_writes_nothing(
    fmt: str, container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    await seed_catalog(container, call)
    before = await footprint(owner_conn, tenant)
    content = await exported(container, call, fmt)
    view = await imported(container.get(CatalogImports), call, f"catalog.{fmt}", content)
    assert view.record.errors == []
    assert view.record.status == "committed"
    assert view.record.counts["unchanged"] == 3
    assert view.record.counts["created"] == view.record.counts["updated"] == 0
    assert await footprint(owner_conn, tenant) == before  # versions, audit, events, ETags


async def test_csv_export_has_bom_and_escapes_formula_cells(
    container: Container, tenant: TenantHandle
) -> None:
    call = ctx(tenant)
    await seed_catalog(container, call)
    content = await exported(container, call, "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header = rows[0]
    tee = next(r for r in rows if r[0] == "TEE-1")
    assert tee[header.index("product_name")] == "'=SUM(A1:A9) 圆领T恤"
    assert tee[header.index("description")] == '第一行\n+第二行, with "quotes"'
    assert tee[header.index("material")] == "'-棉"
    assert tee[header.index("attr.fabric")] == "'@纯棉"
    bare = next(r for r in rows if r[0] == "BARE")
    assert bare[header.index("product_name")] == "''引号开头"
    assert "cost" in header


async def test_export_without_read_cost_has_no_cost_column_and_reimports(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    await seed_catalog(container, ctx(tenant))
    reader = ctx(tenant, ALL_PERMISSIONS - {CATALOG_READ_COST})
    content = await exported(container, reader, "csv")
    assert "cost" not in content.decode("utf-8-sig").splitlines()[0].split(",")
    before = await footprint(owner_conn, tenant)
    view = await imported(container.get(CatalogImports), reader, "c.csv", content)
    assert view.record.status == "committed" and view.record.counts["unchanged"] == 3
    assert await footprint(owner_conn, tenant) == before
    cost = await owner_conn.fetchval(
        "SELECT cost FROM skus WHERE tenant_id=$1 AND code='TEE-1-R'", tenant.id
    )
    assert str(cost) == "31.20"  # kept


async def test_a_cost_column_without_read_cost_is_refused(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    reader = ctx(tenant, ALL_PERMISSIONS - {CATALOG_READ_COST})
    body = "product_code,product_name,sku_code,cost\r\nP1,商品,P1-A,5\r\n".encode()
    view = await imported(container.get(CatalogImports), reader, "c.csv", body)
    assert view.record.errors == [
        RowError(1, "cost", "permission_denied", {"permission": CATALOG_READ_COST})
    ]
    assert (await footprint(owner_conn, tenant))["products"] == 0


async def test_one_bad_row_among_10000_imports_nothing_and_reports_that_row(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    lines = [HEADER]
    bad_row = 7_778  # spreadsheet row: header is row 1
    for i in range(10_000):
        price = "12,5元" if i + 2 == bad_row else f"{i % 500}.{i % 100:02d}"
        lines.append(f'P{i},商品{i},S{i},"{price}"\r\n')
    view = await imported(container.get(CatalogImports), call, "big.csv", "".join(lines).encode())
    assert view.record.status == "checked"
    assert view.record.errors == [RowError(bad_row, "list_price", "invalid_number")]
    assert view.record.counts["rejected"] == 1
    assert view.record.counts["created"] == 9_999
    with pytest.raises(Conflict) as refused:
        await container.get(CatalogImports).commit(
            call, view.record.id, False, view.record.version, enqueue=False
        )
    assert refused.value.code == "import_has_errors"
    assert (await footprint(owner_conn, tenant))["products"] == 0


async def test_valid_only_imports_the_other_products_whole(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    body = (HEADER + "A,甲,A-1,1\r\nB,乙,B-1,2\r\nB,,B-2,oops\r\nC,丙,C-1,3\r\n").encode()
    view = await imported(container.get(CatalogImports), call, "v.csv", body, valid_only=True)
    assert view.record.status == "committed"
    assert view.record.errors == [RowError(4, "list_price", "invalid_number")]
    codes = await owner_conn.fetch(
        "SELECT code FROM products WHERE tenant_id=$1 ORDER BY code", tenant.id
    )
    assert [r["code"] for r in codes] == ["A", "C"]  # B rejected whole, B-1 included
    events = await owner_conn.fetch(
        "SELECT event_type FROM outbox WHERE tenant_id=$1 AND entity_type='product'", tenant.id
    )
    assert [e["event_type"] for e in events] == ["product.created", "product.created"]


class Killed(BaseException):
    """Stands for the process dying: no handler of the job runner catches it."""


async def test_a_commit_killed_mid_way_leaves_nothing_and_a_restart_succeeds(
    container: Container,
    tenant: TenantHandle,
    owner_conn: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    call = ctx(tenant)
    service = container.get(CatalogImports)
    monkeypatch.setattr(imports_module, "WRITE_BATCH", 2)
    rows = "".join(f"K{i},商品{i},K{i}-A,{i}\r\n" for i in range(7))
    view = await service.upload(call, "k.csv", (HEADER + rows).encode(), enqueue=False)
    await service.run_check(tenant.id, view.record.check_job_id)
    checked = await service.get(call, view.record.id)
    view = await service.commit(call, view.record.id, False, checked.record.version, enqueue=False)
    assert view.commit_job is not None
    before = await footprint(owner_conn, tenant)

    def die_after_two_batches(done: int) -> None:
        if done >= 4:
            raise Killed

    monkeypatch.setattr(service, "fault", die_after_two_batches)
    with pytest.raises(Killed):
        await service.run_commit(tenant.id, view.commit_job.id)
    assert await footprint(owner_conn, tenant) == before
    job = await owner_conn.fetchrow(
        "SELECT status, done FROM jobs WHERE tenant_id=$1 AND id=$2", tenant.id, view.commit_job.id
    )
    assert job["status"] == JobStatus.RUNNING and job["done"] == 4  # progress was visible

    monkeypatch.setattr(service, "fault", None)
    finished = await service.run_commit(tenant.id, view.commit_job.id)
    assert finished.succeeded and finished.done == 7
    after = await footprint(owner_conn, tenant)
    assert after["products"] == 7 and after["versions"] == 7 and after["events"] == 7
    assert (await service.get(call, view.record.id)).record.status == "committed"
    redelivered = await service.run_commit(tenant.id, view.commit_job.id)
    assert redelivered.succeeded and redelivered.done == 7
    assert await footprint(owner_conn, tenant) == after


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("gb18030"),
        lambda text: "\ufeff".encode() + text.encode("utf-8"),
        lambda text: text.encode("utf-8"),
    ],
    ids=["gb18030", "utf8-bom", "utf8"],
)
async def test_gb18030_and_bom_files_import(
    encode: object, container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    text = HEADER + "CN-1,纯棉圆领短袖T恤𠀀,CN-1-R,59.9\r\n"
    view = await imported(container.get(CatalogImports), call, "z.csv", encode(text))  # type: ignore[operator]
    assert view.record.errors == [] and view.record.status == "committed"
    name = await owner_conn.fetchval(
        "SELECT name FROM products WHERE tenant_id=$1 AND code='CN-1'", tenant.id
    )
    assert name == "纯棉圆领短袖T恤𠀀"


async def test_a_formula_looking_cell_round_trips_through_an_edit(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """An escaped cell imports as the original text; editing another cell of the exported
    file changes only that field."""
    call = ctx(tenant)
    await seed_catalog(container, call)
    content = (await exported(container, call, "csv")).decode("utf-8-sig")
    content = content.replace("简单商品", "简单商品二")
    view = await imported(container.get(CatalogImports), call, "e.csv", content.encode())
    assert view.record.counts == {
        "products": 3,
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "rejected": 0,
        "errors": 0,
    }
    names = dict(
        await owner_conn.fetch("SELECT code, name FROM products WHERE tenant_id=$1", tenant.id)
    )
    assert names["TEE-1"] == "=SUM(A1:A9) 圆领T恤"
    assert names["BARE"] == "'引号开头"
    assert names["PLAIN"] == "简单商品二"
    changes = await owner_conn.fetchval(
        "SELECT changes FROM product_versions v JOIN products p ON p.tenant_id = v.tenant_id"
        " AND p.id = v.product_id WHERE p.tenant_id=$1 AND p.code='PLAIN' AND v.number=2",
        tenant.id,
    )
    assert '"name"' in changes and "简单商品二" in changes


async def test_a_barcode_of_another_product_is_a_row_error(
    container: Container, tenant: TenantHandle
) -> None:
    call = ctx(tenant)
    await container.use_cases.run(
        call,
        CreateProduct(
            "OLD", ProductData(name="旧", skus=[SkuData("OLD-1", barcode="6901234567892")])
        ),
    )
    body = "product_code,product_name,sku_code,barcode\r\nNEW,新,NEW-1,6901234567892\r\n"
    view = await imported(container.get(CatalogImports), call, "b.csv", body.encode())
    assert view.record.errors == [
        RowError(2, "barcode", "barcode_taken", {"barcode": "6901234567892"})
    ]


async def test_xlsx_export_escapes_formula_cells_as_text(
    container: Container, tenant: TenantHandle
) -> None:
    call = ctx(tenant)
    await seed_catalog(container, call)
    content = await exported(container, call, "xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header = [header_code(cell) for cell in rows[0]]
    tee = next(r for r in rows if r[0] == "TEE-1")
    assert tee[header.index("product_name")] == "'=SUM(A1:A9) 圆领T恤"
    # #9 item 20: numbers and booleans typed as such, every other cell text
    assert tee[header.index("list_price")] == 99.5
    assert tee[header.index("weight_grams")] == 180.5
    assert tee[header.index("preorder_allowed")] is True
    assert tee[header.index("sku_archived")] is False
    assert tee[header.index("barcode")] == "6901234567892"  # digits, but text


async def test_xlsx_export_is_labelled_in_the_callers_language_and_reimports(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """#9 item 20: a named sheet, a frozen header row whose cells carry a label in the
    language the export was asked in above the column code, widths fitted to the content;
    the file still imports with no change."""
    call = ctx(tenant)
    await seed_catalog(container, call)
    before = await footprint(owner_conn, tenant)
    english = CallContext(call.tenant_id, call.actor, call.permissions, locale="en")
    for context, sheet, label in (
        (call, "商品", "商品编码"),
        (english, "Products", "Product code"),
    ):
        content = await exported(container, context, "xlsx")
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        assert workbook.sheet_names == [sheet]
        rows = workbook.get_sheet_by_index(0).to_python()
        assert rows[0][0] == f"{label}\nproduct_code"
        sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
        assert 'ySplit="1"' in sheet_xml and 'state="frozen"' in sheet_xml
        widths = {  # xlsxwriter writes neighbouring columns of one width as one <col>
            column: float(width)
            for low, high, width in re.findall(
                r'<col min="(\d+)" max="(\d+)" width="([0-9.]+)"', sheet_xml
            )
            for column in range(int(low), int(high) + 1)
        }
        assert sorted(widths) == list(range(1, len(rows[0]) + 1))
        assert all(8 <= width <= 51 for width in widths.values())
        assert widths[2] > widths[1]  # names are longer than codes
        view = await imported(container.get(CatalogImports), call, "labelled.xlsx", content)
        assert view.record.errors == [] and view.record.counts["unchanged"] == 3
    assert await footprint(owner_conn, tenant) == before


async def test_a_catalog_changed_since_the_preview_is_checked_again_at_commit(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    call = ctx(tenant)
    service = container.get(CatalogImports)
    body = (HEADER + "N1,新一,N1-A,1\r\nN2,新二,N2-A,2\r\n").encode()
    view = await service.upload(call, "r.csv", body, enqueue=False)
    await service.run_check(tenant.id, view.record.check_job_id)
    checked = await service.get(call, view.record.id)
    assert checked.record.errors == []
    # Meanwhile another product takes one of the file's SKU codes.
    await container.use_cases.run(
        call, CreateProduct("OTHER", ProductData(name="别的", skus=[SkuData("N2-A")]))
    )
    before = await footprint(owner_conn, tenant)
    started = await service.commit(
        call, view.record.id, False, checked.record.version, enqueue=False
    )
    assert started.commit_job is not None
    job = await service.run_commit(tenant.id, started.commit_job.id)
    assert job.status is JobStatus.FAILED and job.error == "import_has_errors"
    again = (await service.get(call, view.record.id)).record
    assert again.status == "checked" and again.commit_job_id is None
    assert again.errors == [
        RowError(3, "sku_code", "sku_belongs_to_other_product", {"product_code": "OTHER"})
    ]
    assert await footprint(owner_conn, tenant) == before  # nothing of the file written


async def test_a_product_discontinued_by_a_file_is_unpublished_everywhere(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """As over HTTP (CAT-7): the import's commit takes it off sale on every channel, with
    a product.unpublished event per channel, in the same transaction."""
    call = ctx(tenant)
    data = ProductData(
        name="蓝牙耳机", lifecycle="active", skus=[SkuData("DC-1-A", list_price=Decimal("9"))]
    )
    product_id = (await container.use_cases.run(call, CreateProduct("DC-1", data))).product.id
    shops = [
        await container.use_cases.run(
            call, CreateChannel("tmall_store", "天猫店", "marketplace", "tmall")
        ),
        await container.use_cases.run(call, CreateChannel("own_shop", "官网", "own_shop", None)),
    ]
    for shop in shops:
        await container.use_cases.run(call, PublishListing(product_id, shop.id))

    header = "product_code,product_name,sku_code,list_price,lifecycle\r\n"
    view = await imported(
        container.get(CatalogImports),
        call,
        "discontinue.csv",
        (header + "DC-1,蓝牙耳机,DC-1-A,9,discontinued\r\n").encode(),
    )
    assert not view.record.errors
    listings = await container.use_cases.query(call, ListingsOf(product_id))
    assert {str(x.status) for x in listings} == {"unpublished"}
    events = await owner_conn.fetch(
        "SELECT data->>'channelId' AS channel FROM outbox WHERE tenant_id = $1"
        " AND entity_id = $2 AND event_type = 'product.unpublished'",
        tenant.id,
        product_id,
    )
    assert sorted(e["channel"] for e in events) == sorted(str(s.id) for s in shops)


async def test_a_file_cannot_leave_a_published_sku_without_a_price(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """As over HTTP (CAT-7, CAT-10): clearing the list price of a SKU published on a
    channel without a channel price is a row error naming SKU and channel; nothing changes."""
    call = ctx(tenant)
    data = ProductData(
        name="蓝牙耳机", lifecycle="active", skus=[SkuData("PB-1-A", list_price=Decimal("9"))]
    )
    product_id = (await container.use_cases.run(call, CreateProduct("PB-1", data))).product.id
    shop = await container.use_cases.run(
        call, CreateChannel("tmall_store", "天猫店", "marketplace", "tmall")
    )
    await container.use_cases.run(call, PublishListing(product_id, shop.id))
    before = await footprint(owner_conn, tenant)

    view = await imported(
        container.get(CatalogImports),
        call,
        "unpriced.csv",
        (HEADER + "PB-1,蓝牙耳机,PB-1-A,\r\n").encode(),
    )
    assert [(e.row, e.column, e.code) for e in view.record.errors] == [
        (2, "list_price", "sku_unpriced_on_channel")
    ]
    assert view.record.errors[0].params["channel"] == "天猫店"
    assert await footprint(owner_conn, tenant) == before


async def test_the_commit_refuses_to_overwrite_a_product_changed_since_its_plan(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """The set-based update checks every product's version against the plan's: one whose
    stored version moved on fails the batch (the commit holds the rows locked, so only a
    bug could get there) instead of being silently overwritten."""
    call = ctx(tenant)
    done = await imported(
        container.get(CatalogImports), call, "v.csv", (HEADER + "V1,一,V1-A,1\r\n").encode()
    )
    assert done.record.status == "committed"
    before = await footprint(owner_conn, tenant)
    with pytest.raises(StaleVersion):
        async with container.uow_factory.for_tenant(call) as uow:
            [product] = await uow.of(CATALOG).catalog_files.products_by_code_keys(["V1"], lock=True)
            planned_from = product.version - 1  # as if planned before another writer's save
            product.version += 1
            snapshot = product.snapshot()
            version = ProductVersion(
                product.id, product.version, snapshot, "t", product.updated_at, ()
            )
            files = uow.of(CATALOG).catalog_files
            await files.write_prepared(
                files.prepare_writes([ProductWrite(product, planned_from, version)])
            )
    assert await footprint(owner_conn, tenant) == before
