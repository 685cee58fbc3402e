"""The Ashby connector: ``AshbyConnector`` and its auth config."""

from ashby_agent.connectors.ashby.connector import AshbyConnector, EntityResource
from ashby_agent.connectors.ashby.models import AshbyAuthConfig

__all__ = ["AshbyAuthConfig", "AshbyConnector", "EntityResource"]
