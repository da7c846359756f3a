"""Benchmarks (`make bench`). A package so that gunicorn can load bench.settings."""
