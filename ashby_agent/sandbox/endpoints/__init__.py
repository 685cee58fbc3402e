"""Ashby's endpoints, one module per Ashby module (its writes in a ``*_writes`` module of their own),
assembled into one table by name.

Each module declares ``ENDPOINTS`` (its ``Endpoint`` list; the reads are built from the shapes in
``shapes``); ``MODULES`` is the only place that lists the modules, and ``ENDPOINTS`` here is derived
from it. ``WRITE_TABLES`` names the tables only writes fill (the generator makes none of their records).
"""

from __future__ import annotations

from types import ModuleType

from . import (
    api_keys,
    application_writes,
    applications,
    candidate_writes,
    candidates,
    feedback,
    files,
    interviews,
    jobs,
    metadata,
    offers,
    organization,
    projects,
    webhooks,
)
from .endpoint import Endpoint

MODULES: tuple[ModuleType, ...] = (
    api_keys,
    webhooks,
    candidates,
    candidate_writes,
    applications,
    application_writes,
    feedback,
    jobs,
    organization,
    metadata,
    interviews,
    offers,
    projects,
    files,
)

ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint for module in MODULES for endpoint in module.ENDPOINTS
}
"""``"<noun>.<verb>"`` → its endpoint, for every endpoint the sandbox serves."""

WRITE_TABLES: tuple[str, ...] = (files.UPLOAD_TABLE, candidate_writes.EMAIL_TABLE)

__all__ = ["ENDPOINTS", "MODULES", "WRITE_TABLES", "Endpoint"]
