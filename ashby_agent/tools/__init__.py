"""Agent tooling: ``tool_utils`` (what ``AshbyConnector.tool_utils`` calls), the catalog-generated tool
description, error content, the output budget, framework adapters and an MCP server.

Importing this package imports no agent framework; each framework is imported only when a tool
configured for it reports an error. The MCP server lives in :mod:`ashby_agent.tools.mcp_server`
(needs ``fastmcp``).
"""

from __future__ import annotations

from ashby_agent.tools.decorator import ToolSettings, tool_utils
from ashby_agent.tools.description import DEFAULT_MAX_OUTPUT_CHARS, build_description
from ashby_agent.tools.errors_content import ErrorContent, error_content
from ashby_agent.tools.frameworks import FRAMEWORKS, MissingFrameworkError, ToolCallFailed
from ashby_agent.tools.output import shape_output

__all__ = [
    "DEFAULT_MAX_OUTPUT_CHARS",
    "FRAMEWORKS",
    "ErrorContent",
    "MissingFrameworkError",
    "ToolCallFailed",
    "ToolSettings",
    "build_description",
    "error_content",
    "shape_output",
    "tool_utils",
]
