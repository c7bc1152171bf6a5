"""Benchmarks (``make bench``): speed and memory figures printed beside their baselines."""
