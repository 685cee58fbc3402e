"""A bounded, thread-safe log of JSON entries: the request log and the webhook delivery log.

The server thread, the delivery thread and test threads all write or read it, so every access takes
the lock and readers get deep copies they may keep or change.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from typing import Any

#: How many entries a log keeps (oldest dropped first).
LOG_SIZE = 10_000


class BoundedLog:
    """The last ``LOG_SIZE`` entries, oldest first."""

    def __init__(self, size: int = LOG_SIZE) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


__all__ = ["LOG_SIZE", "BoundedLog"]
