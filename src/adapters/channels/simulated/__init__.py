"""A simulated marketplace (server) and its connector (client), for development and tests."""
