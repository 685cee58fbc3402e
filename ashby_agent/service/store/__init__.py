"""The service's database: tables, engine and migrations, and every query the service runs.

Query functions take a SQLAlchemy ``Connection`` (the caller owns the transaction) and return rows or
plain values; they know nothing about HTTP, so handlers decide what a missing row means.
"""
