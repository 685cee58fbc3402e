"""Client side of hosted mode: ``connect()`` and the service client."""
