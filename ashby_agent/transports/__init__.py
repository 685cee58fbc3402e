"""Ways of reaching Ashby: the :class:`~ashby_agent.transports.base.Transport` seam, its direct and
hosted implementations, and the one retrying send loop both use. Import from the submodules."""
