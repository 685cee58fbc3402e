"""The per-client rate limit without a database round trip while a client is far from its limit.

The counters live in the database (:mod:`ashby_agent.service.store.ratelimit`), shared by every
process. Each process remembers, per client and window, the last total it read back (``known``) and
the requests it admitted but has not counted yet (``pending``):

- While ``known + pending`` is below half the limit, a request is admitted at once and counted in the
  next group commit (:class:`~ashby_agent.service.store.journal.Journal`), which reads the window's
  total back.
- From half the limit on, every request is counted in the database *before* it is admitted (one
  upsert returning the total) and admitted only if that total plus this process's pending requests is
  within the limit.

Guarantee: within one process the limit is exact. Across processes a client may exceed its limit by at
most the requests other processes admitted at once on a total they had not yet seen grow: at most
``limit // 2`` per other process and window (a process's own at-once admissions are counted in the
totals it reads back, so they stop at half the limit). An execute admitted at once is counted before its
answer returns (its count rides in its audit row's commit), any other request within
:data:`~ashby_agent.service.store.journal.COUNT_DELAY_SECONDS`; so in practice the excess is the
requests in flight elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from ashby_agent.service.store.ratelimit import window_of

__all__ = ["Admission"]


@dataclass(slots=True)
class _Window:
    start: int
    known: int = 0
    pending: int = 0


class Admission:
    """One process's view of the per-client windows (no I/O; the caller counts in the database)."""

    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._at_once_below = limit // 2
        self._windows: dict[str, _Window] = {}

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def _window(self, client_id: str, window_start: int) -> _Window:
        window = self._windows.get(client_id)
        if window is None or window.start != window_start:
            window = self._windows[client_id] = _Window(window_start)
        return window

    def admit_at_once(self, client_id: str, now: float) -> int | None:
        """The window start to count this admitted request in, or ``None``: count it first
        (:meth:`checked`)."""
        start = window_of(now, self.window_seconds)[0]
        window = self._window(client_id, start)
        if window.known + window.pending >= self._at_once_below:
            return None
        window.pending += 1
        return start

    def checked(self, client_id: str, now: float, total: int) -> int | None:
        """A request counted first, ``total`` being the window's count with it: ``None`` when it is
        admitted, else the whole seconds until the window resets."""
        start, wait = window_of(now, self.window_seconds)
        window = self._window(client_id, start)
        window.known = max(window.known, total)
        return None if total + window.pending <= self.limit else wait

    def counted(self, counts: dict[tuple[str, int], tuple[int, int | None]]) -> None:
        """A batch counted ``events`` of the at-once admissions and read back the totals."""
        for (client_id, start), (events, total) in counts.items():
            window = self._windows.get(client_id)
            if window is None or window.start != start:
                continue
            window.pending = max(0, window.pending - events)
            if total is not None:
                window.known = max(window.known, total)
