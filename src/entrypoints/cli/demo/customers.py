"""The demo tenant's customers (CRM-1): two buyers with an address each, registered
through the real use case (their personal data encrypted) and only when the tenant has
no customers yet, so ``demo load`` stays safe to run twice."""

from __future__ import annotations

from application.customers.inputs import AddressInput, NewCustomer
from application.customers.queries import ListCustomers
from application.customers.register import RegisterCustomer
from application.shared.context import CallContext
from bootstrap import Container

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ()
SUMMARY = "Demo customers: 2 (陈小姐 of Hangzhou, a VIP; 刘先生 of Beijing)"

CUSTOMERS = (
    NewCustomer(
        "陈小姐",
        "13800138000",
        "chen@example.com",
        [AddressInput("浙江省", "杭州市", "西湖区", "文三路 90 号", "陈小姐", "13800138000")],
        ["vip"],
        "tmall",
        "zh-CN",
    ),
    NewCustomer(
        "刘先生",
        "13911112222",
        None,
        [AddressInput("北京市", "北京市", "朝阳区", "建国路 88 号", "刘先生", "13911112222")],
        [],
        "own_shop",
        "zh-CN",
    ),
)


async def load(c: Container, ctx: CallContext) -> None:
    """Register the demo customers once (only when the tenant has none)."""
    if (await c.use_cases.query(ctx, ListCustomers(None, 1))).items:
        return
    for new in CUSTOMERS:
        await c.use_cases.run(ctx, RegisterCustomer(new))
