"""Stateless bearer tokens: compact JWS (HS256), so every service process sharing the key verifies them.

Nothing about a token is stored: revocation works because each request also checks that the client is
still active (see :mod:`ashby_agent.service.security.authentication`). Two kinds exist:

* application tokens (``typ: "app"``): a client acting for one organization, 900 s by default;
* scoped tokens (``typ: "scoped"``): limited to one workspace of that organization, 20 min by default.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeGuard

import orjson

__all__ = ["Claims", "TokenError", "TokenSigner"]

TokenKind = Literal["app", "scoped"]
_HEADER: Final = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")


class TokenError(Exception):
    """The token is malformed, tampered with or expired; the message says which (never echoes it)."""


@dataclass(frozen=True, slots=True)
class Claims:
    """What a verified token asserts."""

    kind: TokenKind
    client_id: str
    organization_id: str
    workspace_id: str | None
    issued_at: int
    expires_at: int


def _text(value: object) -> TypeGuard[str]:
    """A claim naming a client, an organization or a workspace: ids are short, printable strings."""
    return isinstance(value, str) and 0 < len(value) <= 100 and value.isprintable()


def _seconds(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def _claims(data: object) -> Claims | None:
    """The claims of a payload, or ``None`` unless every claim has its type (even a signed token's:
    a payload is only as good as the code that wrote it, and a surprise here must be a 401, not a 500)."""
    if not isinstance(data, dict):
        return None
    kind, workspace_id = data.get("typ"), data.get("ws")
    if kind not in ("app", "scoped") or not all(_text(data.get(key)) for key in ("sub", "org")):
        return None
    if not (_seconds(data.get("iat")) and _seconds(data.get("exp"))):
        return None
    if (workspace_id is not None and not _text(workspace_id)) or (kind == "scoped") != (
        workspace_id is not None
    ):
        return None
    return Claims(
        kind=kind,
        client_id=data["sub"],
        organization_id=data["org"],
        workspace_id=workspace_id,
        issued_at=data["iat"],
        expires_at=data["exp"],
    )


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _unb64(data: bytes) -> bytes:
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


#: Tokens whose signature and claims were checked, kept per signer (a client sends one token for its
#: whole hour): HMAC, base64 and JSON are otherwise redone on every request.
_VERIFIED_KEPT = 4096


class TokenSigner:
    """Signs with the first key, verifies with any (so a key rotation does not log everyone out).

    A token it verified is remembered with its claims (its keys never change), so a repeat costs one
    lookup; its expiry is still checked every time."""

    __slots__ = ("_keys", "_verified")

    def __init__(self, keys: tuple[bytes, ...]) -> None:
        if not keys:
            raise ValueError("TokenSigner needs at least one key")
        self._keys = keys
        self._verified: dict[str, Claims] = {}

    def issue(
        self,
        kind: TokenKind,
        client_id: str,
        organization_id: str,
        ttl_seconds: int,
        *,
        workspace_id: str | None = None,
        now: float | None = None,
    ) -> str:
        issued = int(time.time() if now is None else now)
        payload: dict[str, Any] = {
            "typ": kind,
            "sub": client_id,
            "org": organization_id,
            "iat": issued,
            "exp": issued + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        if workspace_id is not None:
            payload["ws"] = workspace_id
        signing_input = _HEADER + b"." + _b64(orjson.dumps(payload))
        signature = hmac.new(self._keys[0], signing_input, hashlib.sha256).digest()
        return (signing_input + b"." + _b64(signature)).decode("ascii")

    def verify(self, token: str, *, now: float | None = None) -> Claims:
        claims = self._verified.get(token)
        if claims is None:
            claims = self._check(token)
            if len(self._verified) >= _VERIFIED_KEPT:
                self._verified.clear()
            self._verified[token] = claims
        if (time.time() if now is None else now) >= claims.expires_at:
            raise TokenError("the bearer token has expired; request a new one")
        return claims

    def _check(self, token: str) -> Claims:
        """The claims of a token whose signature and claims are valid (expired or not)."""
        try:
            header, payload, signature = token.encode("ascii").split(b".")
            given = _unb64(signature)
        except (UnicodeEncodeError, ValueError, binascii.Error):
            raise TokenError("the bearer token is malformed; request a new one") from None
        signing_input = header + b"." + payload
        if header != _HEADER or not any(
            hmac.compare_digest(hmac.new(key, signing_input, hashlib.sha256).digest(), given)
            for key in self._keys
        ):
            raise TokenError("the bearer token's signature is invalid; request a new one") from None
        try:
            data = orjson.loads(_unb64(payload))
        except (orjson.JSONDecodeError, binascii.Error, ValueError):
            raise TokenError("the bearer token is malformed; request a new one") from None
        claims = _claims(data)
        if claims is None:
            raise TokenError("the bearer token is malformed; request a new one")
        return claims

    def __repr__(self) -> str:
        return f"<TokenSigner keys={len(self._keys)}>"
