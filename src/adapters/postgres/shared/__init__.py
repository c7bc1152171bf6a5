"""The Postgres side of the shared kernel: engines, the unit of work, how module stores
and encrypted columns are found, and the parts every command writes through (audit log,
outbox, idempotency, processed messages)."""
