"""The hosted ashby-agent service: the hosted API hosted-mode clients speak, served by ``ashby-agent serve``.

Start here: :func:`ashby_agent.service.server.serve` (blocking) and
:func:`ashby_agent.service.server.run_service` (a background server for tests); the bootstrap verbs
(organizations, API clients, key rotation, audit) are in :mod:`ashby_agent.service.operator`.

Layers, each importing only from those below it: ``server``; ``api`` (HTTP) beside ``operator`` (the
CLI's verbs); ``state`` (what one process holds); ``security`` (keys, tokens, authentication, tenant
rules); ``store`` (the database) beside ``pool`` (pooled connectors); ``config`` and
``exceptions`` at the bottom.
"""
