"""The HTTP layer: endpoint declarations and routing, ``/openapi.json``, the error mapper, the app.

Route modules (``routes/<resource>.py``) never import each other; what they share lives below them
(queries in :mod:`ashby_agent.service.store`, access rules in :mod:`ashby_agent.service.security`).
"""
