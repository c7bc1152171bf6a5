"""Orders (ORD-1..ORD-5): the order aggregate, its state machine, edits, payments, merge and
split, the review rule engine and the risk score. Pure standard library; see docs/orders.md."""
