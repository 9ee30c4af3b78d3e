"""Benchmarks, run with `make bench` (python -m bench). Each prints its figures.

They use the database in DATABASE_URL (PostgreSQL for figures worth quoting) and build their
data in a throwaway test database, never the real one.
"""
