"""New order (ORD-1): staff enter an order by hand — SKUs by code (or barcode) with their
quantities, optionally the channel and the customer, the receiver, the buyer's message,
the seller memo with its flag, cash on delivery, and a payment already received. The form
runs the API's own ``PlaceOrder`` with source ``staff`` (priced by the pricing policy,
refused whole when stock is missing: the 409 names the SKUs), once per form
(``web/once.py``), then the payment (``RecordPayment``, its reference the form's, so it is
recorded once), and opens the new order's page.

Everything the form says is read before anything runs: a SKU code or barcode no SKU has
(inventory's ``FindSku``), a receiver's field left empty, a malformed amount or
choice — each is its field's message, all at once, and nothing is written. A refusal
shows the form again as typed (a boosted form keeps it in the browser: the message goes to
``#feedback``), in the caller's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromQuery
from litestar.response import Template

from application.catalog.reads import ListChannels
from application.customers.queries import GetCustomer
from application.customers.views import CustomerView
from application.inventory.stock.skus import FindSku
from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.orders.values import FlagColour, Receiver, SellerMemo, ShippingAddress, exact
from domain.shared.errors import DomainError, FieldError, ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.http.problems import status_of
from entrypoints.web.errors import problem_lines
from entrypoints.web.forms import (
    a_choice,
    a_text,
    a_whole,
    an_amount,
    an_id,
    collected,
    form_key,
    replay_key,
    rows,
)
from entrypoints.web.once import once
from entrypoints.web.orders.labels import LABELS
from entrypoints.web.pages import View, done, language_of, page, through_htmx, view_of
from entrypoints.web.session import flash

ENTRY = "/console/orders/new"
BLANK_LINES = 3  # the empty rows a new form offers (a row more at a click)
CHANNELS = 200
# The receiver's fields, each required (a problem names the form's field, as the order
# page's edit form does).
RECEIVER_FIELDS = ("name", "phone", "province", "city", "district", "line")
LINE = ("sku", "quantity")  # a line's fields, one of each per row
# Money staff take themselves: a marketplace's collection and the carrier's settlement of
# cash on delivery are recorded by their own intakes.
RECEIVED = tuple(
    m for m in PaymentMethod if m not in (PaymentMethod.PLATFORM, PaymentMethod.CASH_ON_DELIVERY)
)


@dataclass
class LineRow:
    sku: str = ""
    quantity: str = "1"


@dataclass
class EntryForm:
    """The form as shown: blank, or as the user typed it (every value kept as text)."""

    key: str
    lines: list[LineRow] = field(default_factory=list)
    channel: str = ""
    customer: str = ""
    name: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    line: str = ""
    postal_code: str = ""
    buyer_message: str = ""
    seller_memo: str = ""
    memo_flag: str = FlagColour.NONE.value
    cash_on_delivery: bool = False
    payment_method: str = ""
    payment_amount: str = ""
    payment_reference: str = ""

    @classmethod
    def blank(cls, customer: str = "") -> EntryForm:
        return cls(form_key(), customer=customer, payment_reference=replay_key("PAY"))

    @classmethod
    def posted(cls, form: FormMultiDict) -> EntryForm:
        def text(name: str) -> str:
            return str(form.get(name) or "")

        lines = [LineRow(sku.strip(), quantity.strip()) for sku, quantity in rows(form, *LINE)]
        return cls(
            key=text("key").strip(),
            lines=[row for row in lines if row.sku],  # a row without a code is no line
            channel=text("channel"),
            customer=text("customer"),
            name=text("name"),
            phone=text("phone"),
            province=text("province"),
            city=text("city"),
            district=text("district"),
            line=text("line"),
            postal_code=text("postal_code"),
            buyer_message=text("buyer_message"),
            seller_memo=text("seller_memo"),
            memo_flag=text("memo_flag") or FlagColour.NONE.value,
            cash_on_delivery=text("cash_on_delivery") == "on",
            payment_method=text("payment_method"),
            payment_amount=text("payment_amount"),
            payment_reference=text("payment_reference"),
        )

    @property
    def shown_lines(self) -> list[LineRow]:
        """The lines typed, then blank rows up to the form's few."""
        blanks = max(BLANK_LINES - len(self.lines), 1)
        return [*self.lines, *(LineRow() for _ in range(blanks))]


@dataclass(frozen=True)
class Payment:
    """A payment already received, recorded once the order is placed."""

    method: PaymentMethod
    amount: Decimal
    reference: str | None


@dataclass(frozen=True)
class Entered:
    order: NewOrder
    payment: Payment | None


def _choice(kind: Any) -> Any:
    def read(name: str, text: str) -> Any:
        return a_choice(kind, name, text)

    return read


def _payment(form: EntryForm, currency: str, errors: list[FieldError]) -> Payment | None:
    """Method and amount both, or neither (no payment); the amount as the order's domain
    takes one (in the currency's minor unit, not negative, not zero)."""
    before = len(errors)
    method = collected(errors, _choice(PaymentMethod), "payment_method", form.payment_method)
    typed = collected(errors, an_amount, "payment_amount", form.payment_amount)
    if len(errors) > before or (method is None and typed is None):
        return None
    if method is None:
        errors.append(FieldError("payment_method", "required"))
    elif method not in RECEIVED:
        allowed = [m.value for m in RECEIVED]
        errors.append(FieldError("payment_method", "invalid_choice", {"allowed": allowed}))
    if typed is None:
        errors.append(FieldError("payment_amount", "required"))
        return None

    def in_minor_units(name: str, _: str) -> Decimal:
        return exact(typed, currency, name)

    amount = collected(errors, in_minor_units, "payment_amount", "")
    if amount == 0:
        errors.append(FieldError("payment_amount", "amount_zero"))
    if method is None or amount is None or len(errors) > before:
        return None
    return Payment(method, amount, a_text(form.payment_reference) or replay_key("PAY"))


async def entered(form: EntryForm, use_cases: UseCases, ctx: CallContext, currency: str) -> Entered:
    """The order the form describes, every field checked first: the problems of all its
    fields at once (``ValidationFailed``), before anything is written."""
    errors: list[FieldError] = []
    if not form.lines:
        errors.append(FieldError("lines", "order_needs_a_line"))
    lines: list[NewLine] = []
    for i, row in enumerate(form.lines):
        quantity = collected(errors, a_whole, f"lines[{i}].quantity", row.quantity)
        if quantity is None and not any(e.field == f"lines[{i}].quantity" for e in errors):
            errors.append(FieldError(f"lines[{i}].quantity", "required"))
        try:  # the code or barcode as typed or scanned: one look-up (inventory's FindSku)
            found = await use_cases.query(ctx, FindSku(row.sku, f"lines[{i}].sku"))
        except ValidationFailed as unknown:
            errors.extend(unknown.errors)
            continue
        if quantity is not None:
            lines.append(NewLine(found.id, quantity, title=found.name or None))
    parts = {name: getattr(form, name).strip() for name in RECEIVER_FIELDS}
    errors.extend(FieldError(name, "required") for name, value in parts.items() if not value)
    channel = collected(errors, an_id, "channel", form.channel)
    customer = collected(errors, an_id, "customer", form.customer)
    flag = collected(errors, _choice(FlagColour), "memo_flag", form.memo_flag)
    payment = _payment(form, currency, errors)
    if errors:
        raise ValidationFailed(errors)
    if customer is not None:  # one of this company's customers (another's id: not found)
        await use_cases.query(ctx, GetCustomer(customer))
    address = ShippingAddress(
        parts["province"], parts["city"], parts["district"], parts["line"], a_text(form.postal_code)
    )
    order = NewOrder(
        lines=tuple(lines),
        receiver=Receiver(parts["name"], parts["phone"], address),
        source=OrderSource.STAFF,
        currency=currency,
        channel_id=channel,
        customer_id=customer,
        buyer_message=a_text(form.buyer_message),
        seller_memo=SellerMemo(a_text(form.seller_memo), flag or FlagColour.NONE),
        cash_on_delivery=form.cash_on_delivery,
    )
    return Entered(order, payment)


async def _customer(
    view: View, use_cases: UseCases, ctx: CallContext, customer: str, *, strict: bool
) -> CustomerView | None:
    """The customer the form names, as customers' own use case shows them (masked without
    ``customers:read_pii``). ``strict`` (the form asked for): another company's id is not
    found (404), a malformed one 422; otherwise (a refused form shown again, whose
    problem says so already) none is shown."""
    if not customer.strip() or not view.can(GetCustomer):
        return None
    try:
        customer_id = an_id("customer", customer)
        if customer_id is None:
            return None
        return await use_cases.query(ctx, GetCustomer(customer_id))
    except DomainError:
        if strict:
            raise
        return None


async def entry_page(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    form: EntryForm,
    *,
    status: int = 200,
    problem: dict[str, Any] | None = None,
) -> Template:
    """The form; with ``problem``, as typed and refused (its fields marked)."""
    view = await view_of(request, use_cases)
    channels = []
    if view.can(ListChannels):
        channels = (await use_cases.query(ctx, ListChannels.window(None, CHANNELS))).items
    return await page(
        request,
        use_cases,
        "orders/new.html",
        status=status,
        view=view,
        form=form,
        channels=channels,
        customer=await _customer(view, use_cases, ctx, form.customer, strict=problem is None),
        flags=list(FlagColour),
        methods=RECEIVED,
        labels=LABELS,
        problem=problem,
        invalid={name for name, _ in (problem or {}).get("fields", [])},
    )


def _refused(request: Request[Any, Any, State], error: DomainError) -> dict[str, Any]:
    """A refusal shown on the form: the problem's own message and its fields', with the
    API's status."""
    title, fields = problem_lines(error, language_of(request))
    return {"status": status_of(error), "problem": {"title": title, "fields": fields}}


class EntryPages(Controller):
    path = "/orders/new"

    @get("/", name="console_order_new", opt=needs(PlaceOrder, FindSku))
    async def new(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        customer: FromQuery[str] = "",
    ) -> Template:
        """The blank form (``?customer=<id>``: for that customer, from their page)."""
        return await entry_page(request, ctx, use_cases, EntryForm.blank(customer.strip()))

    @get("/line", opt=needs(PlaceOrder, FindSku))
    async def line(self, request: Request[Any, Any, State], use_cases: Dispatch) -> Template:
        """One more blank line for the form (htmx appends it)."""
        return await page(request, use_cases, "orders/_entry_line.html", row=LineRow())

    @post("/", status_code=303, opt=needs(PlaceOrder, FindSku))
    async def place(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any] | Template:
        form = EntryForm.posted(await request.form())
        currency = (await view_of(request, use_cases)).formats.currency
        try:
            order = await entered(form, use_cases, ctx, currency)

            async def place() -> Order:
                return await use_cases.run(ctx, PlaceOrder(order.order))

            placed = await once(ctx, ENTRY, form.key, place, lambda o: f"/console/orders/{o.id}")
        except DomainError as error:
            if through_htmx(request):
                raise  # the form stays as typed; the problem goes to #feedback
            return await entry_page(request, ctx, use_cases, form, **_refused(request, error))
        if placed.created is None:  # the form was sent before: its order, made once
            return done(request, placed.location, "orders.entry_sent_before")
        number = placed.created.number.value
        if order.payment is not None:
            await _record(request, ctx, use_cases, placed.created, order.payment)
        return done(request, placed.location, "orders.entry_placed", number=number)


async def _record(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    placed: Order,
    payment: Payment,
) -> None:
    """The payment received, recorded on the order just placed (its reference makes it
    once). Refused — the order is placed all the same: the order's page says why, and
    its payment form records it."""
    command = RecordPayment(placed.id, payment.method, payment.amount, payment.reference)
    try:
        await use_cases.run(ctx, command)
    except DomainError as error:
        title, _ = problem_lines(error, language_of(request))
        flash(request, "error", "orders.entry_payment_refused", problem=title)
