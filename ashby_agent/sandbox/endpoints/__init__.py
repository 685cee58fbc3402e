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
    interview_writes,
    interviews,
    job_writes,
    jobs,
    metadata,
    metadata_writes,
    offer_writes,
    offers,
    opening_writes,
    organization,
    organization_writes,
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
    job_writes,
    opening_writes,
    organization,
    organization_writes,
    metadata,
    metadata_writes,
    interviews,
    interview_writes,
    offers,
    offer_writes,
    projects,
    files,
)

ENDPOINTS: dict[str, Endpoint] = {
    endpoint.name: endpoint for module in MODULES for endpoint in module.ENDPOINTS
}
"""``"<noun>.<verb>"`` → its endpoint, for every endpoint the sandbox serves."""

WRITE_TABLES: tuple[str, ...] = (
    files.UPLOAD_TABLE,
    candidate_writes.EMAIL_TABLE,
    offer_writes.PROCESS_TABLE,
    offer_writes.APPROVAL_TABLE,
)

__all__ = ["ENDPOINTS", "MODULES", "WRITE_TABLES", "Endpoint"]
