"""The orders module's coded errors. Codes are stable: entrypoints map them to a status and
a message in the caller's language; the parameters name what was refused and why."""

from __future__ import annotations

from domain.shared.errors import Conflict


class TransitionRefused(Conflict):
    """The status change is not in the transition table, or its guard failed.
    Params: ``from_status``, ``to_status`` and, for a guard, ``guard``."""

    code = "order_transition_refused"


class OrderNotEditable(Conflict):
    """An edit after shipment (or of a cancelled, merged or split order).
    Params: ``status``, ``operation``."""

    code = "order_not_editable"


class PaymentRefused(Conflict):
    """A payment or refund that would break the order's books. Params: ``reason`` and amounts."""

    code = "order_payment_refused"


class AbnormalReleaseRefused(Conflict):
    """A release the abnormal type does not allow (e.g. automatic for a by-hand type)."""

    code = "order_abnormal_release_refused"


class MergeRefused(Conflict):
    """Orders that may not be merged. Params: ``condition`` (which check failed), ``order_id``."""

    code = "orders_not_mergeable"


class SplitRefused(Conflict):
    """A split that would lose or invent something. Params: ``reason``."""

    code = "order_split_refused"
