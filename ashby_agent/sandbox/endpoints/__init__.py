"""Ashby's read endpoints, one module per Ashby module, assembled into one table by name.

Each module declares ``ENDPOINTS`` (its ``Endpoint`` list, built from the shapes in ``shapes``);
``MODULES`` is the only place that lists the modules, and ``ENDPOINTS`` here is derived from it.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    api_keys,
    applications,
    candidates,
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
    applications,
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

__all__ = ["ENDPOINTS", "MODULES", "Endpoint"]
