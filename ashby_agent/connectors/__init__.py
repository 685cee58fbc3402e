"""Connectors to third-party systems; ``ashby_agent.connectors.ashby`` talks to the Ashby ATS."""
