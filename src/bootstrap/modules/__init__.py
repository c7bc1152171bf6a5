"""One file per module: ``register(container)`` builds the module's adapters and services."""
