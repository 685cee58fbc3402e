"""Syncs of hosted connectors into the context store, on an existing job engine.

``sync`` is the job itself (one connector, through its pooled transport). Where it runs is decided by
the database: on PostgreSQL, procrastinate (``queue``: deferred by servers, run by ``ashby-agent worker``
processes, one sync per connector at a time through a job lock, stalled jobs retried); on SQLite, the
server runs it in-process (``in_process``). Both implement :class:`~.scheduler.SyncScheduler`.
"""
