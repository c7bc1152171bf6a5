"""Background work: the task registry, dramatiq actors, event subscribers, the outbox relay
and the scheduler. The contract for adding to it: docs/events-and-jobs.md."""
