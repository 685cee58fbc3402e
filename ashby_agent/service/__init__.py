"""The hosted ashby-agent service: the hosted API of the seed document, served by ``ashby-agent serve``.

Start here: :func:`ashby_agent.service.server.serve` (blocking) and
:func:`ashby_agent.service.server.run_service` (a background server for tests); the bootstrap verbs
(organizations, API clients, key rotation, audit) are in :mod:`ashby_agent.service.admin`. Importing
this package is cheap: nothing below is imported here.
"""
