"""Querying the context store: the query language, its compiler to SQLite and PostgreSQL, search,
aggregates and read-only SQL."""
