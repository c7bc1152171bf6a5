"""dramatiq on Redis: the broker, the ``TaskQueue`` adapter and the outbox relay."""
