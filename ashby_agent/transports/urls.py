"""The URLs the package's HTTP clients send to, each parsed once per process.

httpx parses a URL given as a string on every request (a few µs of Python); the clients here send to a
handful of URLs (one per Ashby endpoint, one per hosted connector's execute), so the parsed
:class:`httpx.URL`, which never changes, is kept and handed to httpx instead.
"""

from __future__ import annotations

import functools

import httpx

__all__ = ["parsed_url"]


@functools.lru_cache(maxsize=1024)
def parsed_url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, remembered (the least recently used beyond 1,024 URLs are forgotten)."""
    return httpx.URL(url)
