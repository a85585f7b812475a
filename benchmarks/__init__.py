"""Benchmarks: `make bench` (benchmarks/run.py) runs every bench_*.py module here."""
