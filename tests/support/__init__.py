"""Helpers shared by the tests and the benchmarks: plain modules (fixtures stay in
the conftest.py files)."""
