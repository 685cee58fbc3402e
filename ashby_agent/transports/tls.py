"""One TLS context per process for every HTTP client the package creates.

httpx builds a new ``ssl.SSLContext`` for each client and loads the whole CA bundle into it, about
25 ms of CPU: more than a hundred Ashby calls cost in overhead. A verifying context is safe to share
between clients and threads, so it is built once, on first use, with httpx's own defaults (certifi's
bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` as they are set at that moment).
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx

__all__ = ["shared_ssl_context"]


@cache
def shared_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
