"""The demo tenant's orders (ORD-1, ORD-3, ORD-5): one placed through the own shop and paid,
one waiting for payment, one from Tmall already paid, one cancelled — made through the real
use cases (stock reserved by inventory) and only when the tenant has no orders yet, so
``demo load`` stays safe to run twice."""

from __future__ import annotations

from application.catalog.products import ListProducts
from application.catalog.reads import ListChannels
from application.orders.lifecycle import CancelOrder, RecordPayment
from application.orders.placing import NewLine, NewOrder, NewPayment, OrderSource, PlaceOrder
from application.orders.queries import ListOrders
from application.shared.context import CallContext
from application.shared.pagination import every_page
from bootstrap import Container
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import FlagColour, Receiver, SellerMemo, ShippingAddress

# Found by ``shopkeeper demo load`` (``entrypoints/cli/demo/__init__.py``).
AFTER: tuple[str, ...] = ("catalog", "inventory")  # sells the catalog's SKUs from its stock
SUMMARY = "Demo orders: 4 (paid and awaiting review, unpaid, from Tmall, cancelled)"

HANGZHOU = Receiver(
    "陈小姐", "13800138000", ShippingAddress("浙江省", "杭州市", "西湖区", "文三路 90 号")
)
BEIJING = Receiver(
    "刘先生", "13911112222", ShippingAddress("北京市", "北京市", "朝阳区", "建国路 88 号")
)


async def load(c: Container, ctx: CallContext) -> None:
    """Place the demo orders once (only when the tenant has none)."""
    run, query = c.use_cases.run, c.use_cases.query
    if (await query(ctx, ListOrders(limit=1))).items:
        return
    products = await every_page(lambda p, n: query(ctx, ListProducts.window(p, n)))
    skus = [
        (sku.id, sku.list_price.amount)
        for view in products
        for sku in view.product.skus
        if sku.list_price is not None
    ][:3]
    if not skus:
        return
    (first, _), (second, second_price) = skus[0], skus[-1]
    paid = await run(ctx, PlaceOrder(NewOrder((NewLine(first, 2),), HANGZHOU)))
    await run(ctx, RecordPayment(paid.id, PaymentMethod.ALIPAY, paid.total, "DEMO-ALI-0001"))
    await run(
        ctx,
        PlaceOrder(
            NewOrder(
                (NewLine(first, 1), NewLine(second, 1)),
                BEIJING,
                buyer_message="请周末送货",
                seller_memo=SellerMemo("老客户", FlagColour.RED),
            )
        ),
    )
    channels = await every_page(lambda p, n: query(ctx, ListChannels.window(p, n)))
    tmall = next((ch.id for ch in channels if ch.code == "tmall"), None)
    if tmall is not None:
        amount = second_price * 3
        await run(
            ctx,
            PlaceOrder(
                NewOrder(
                    (NewLine(second, 3, second_price, platform_order_id="TM20261111001"),),
                    HANGZHOU,
                    OrderSource.MARKETPLACE,
                    channel_id=tmall,
                    platform_order_ids=("TM20261111001",),
                    payments=(NewPayment(PaymentMethod.PLATFORM, amount, None, "TMPAY-001"),),
                )
            ),
        )
    gone = await run(ctx, PlaceOrder(NewOrder((NewLine(second, 1),), BEIJING)))
    await run(ctx, CancelOrder(gone.id, "买家取消", gone.version))
