"""One module per resource of the hosted API (tokens, workspaces, connectors, execute), each with its
``ENDPOINTS``; :mod:`ashby_agent.service.api.app` assembles them."""
