"""Failed client-secret attempts, limited per client id and per source address before the scrypt check.

Each check of a client secret costs ~50 ms of scrypt CPU, so unlimited wrong guesses are both a way to
guess and a way to starve every other tenant. Failures are counted in the shared rate-limit table
(:mod:`ashby_agent.service.store.ratelimit`), so the limit holds across service processes; a caller
over either limit is answered 429 without running scrypt at all. Only failures count: a client that
signs in correctly is never slowed down, and one attacker's address does not lock out other addresses
until the client id itself has been guessed at too often.

Counter keys are digests (``!c:…`` for a client id, ``!a:…`` for an address): they fit the table's key
column whatever the caller sent, and cannot collide with a real client id (a UUID).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection

from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.store import ratelimit

__all__ = ["SecretAttempts"]


def _key(kind: str, value: str) -> str:
    return f"!{kind}:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class SecretAttempts:
    """How many failed attempts a client id and a source address get per window."""

    per_client: int = 10
    per_address: int = 30
    window_seconds: int = 300

    def keys(self, client_id: str, address: str) -> tuple[str, str]:
        return _key("c", client_id), _key("a", address)

    def refuse_if_exhausted(self, connection: Connection, client_id: str, address: str, now: float) -> None:
        """The 429 for a caller that already failed too often (checked before the expensive part)."""
        by_client, by_address = self.keys(client_id, address)
        window = self.window_seconds
        if ratelimit.current(connection, by_client, now, window) >= self.per_client:
            raise self._too_many("for this client id", now)
        if ratelimit.current(connection, by_address, now, window) >= self.per_address:
            raise self._too_many("from this address", now)

    def record_failure(self, connection: Connection, client_id: str, address: str, now: float) -> None:
        for key in self.keys(client_id, address):
            ratelimit.increment(connection, key, now, self.window_seconds)
        ratelimit.prune_expired(connection, "!", now, self.window_seconds)

    def _too_many(self, where: str, now: float) -> ServiceError:
        _, wait = ratelimit.window_of(now, self.window_seconds)
        return ServiceError(
            429,
            f"Too many failed sign-in attempts {where}; retry after {wait} s with the right client_id "
            "and client_secret.",
            code="too_many_failed_attempts",
            headers={"Retry-After": str(wait)},
        )


#: The limits the service applies.
SECRET_ATTEMPTS: Final = SecretAttempts()
