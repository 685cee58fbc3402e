"""The context store: replicated Ashby records, kept fresh by incremental sync and webhooks.

``ContextStore.open(url)`` opens one (SQLite file by default, PostgreSQL for scale);
``ContextStore.replicate(transport, connector_id, ...)`` syncs a connector into it. Modules: ``plan``
(what is replicated, from the catalog), ``schema`` and ``migrations``, ``rows`` and ``checkpoints``
(queries), ``replicator`` (the sync engine), ``webhooks`` (deletions and merges pushed by Ashby).
"""
