"""The Ashby simulator: deterministic data, an ASGI app and a test server.

Imports nothing from the rest of ``ashby_agent`` (an import-linter contract), so it can stand in for
``https://api.ashbyhq.com`` in any test, demo or benchmark.
"""

from .app import SandboxConfig
from .control import SandboxControl
from .server import SandboxHandle, run_sandbox, serve_sandbox

__all__ = ["SandboxConfig", "SandboxControl", "SandboxHandle", "run_sandbox", "serve_sandbox"]
