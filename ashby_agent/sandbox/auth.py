"""API keys, their module scopes and HTTP Basic parsing.

A key is the Basic username with an empty password. Missing or blank key → 401, unknown key → 403,
key without the endpoint's module permission → 403 ``missing_endpoint_permission``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

#: Scope strings as ``apiKey.info`` reports them; each maps to an OpenAPI permission id.
ALL_SCOPES = (
    "candidates:read",
    "candidates:write",
    "jobs:read",
    "jobs:write",
    "interviews:read",
    "interviews:write",
    "hiringProcessMetadata:read",
    "hiringProcessMetadata:write",
    "organization:read",
    "organization:write",
    "offers:read",
    "offers:write",
    "apiKeys:read",
    "apiKeys:write",
    "approvals:read",
    "approvals:write",
    "reports:read",
)

#: Codes of the two authentication failures (Ashby's are unpublished; see docs/sandbox.md).
MISSING_KEY_CODE = "missing_api_key"
INVALID_KEY_CODE = "invalid_api_key"


def permission_of(scope: str) -> str:
    """``candidates:read`` → ``candidatesRead`` (the permission id the OpenAPI names)."""
    module, _, access = scope.partition(":")
    return module + access.capitalize()


@dataclass(frozen=True)
class ApiKey:
    """One key: its secret, a title for logs and ``apiKey.info``, and its scopes."""

    secret: str
    title: str
    created_at: str
    scopes: tuple[str, ...]

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset(permission_of(scope) for scope in self.scopes)

    def __repr__(self) -> str:  # the secret never reaches logs or tracebacks
        return f"ApiKey(title={self.title!r}, scopes={list(self.scopes)!r})"


def parse_key_spec(spec: str, title: str, created_at: str) -> ApiKey:
    """``"KEY"`` (every scope) or ``"KEY:scope1,scope2"`` (e.g. ``"k2:candidates:read,jobs:read"``)."""
    secret, sep, scope_text = spec.partition(":")
    if not secret.strip():
        raise ValueError("an API key must not be blank")
    if not sep:
        return ApiKey(secret, title, created_at, ALL_SCOPES)
    scopes = tuple(s.strip() for s in scope_text.split(",") if s.strip())
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r}; valid scopes: {', '.join(ALL_SCOPES)}")
    return ApiKey(secret, title, created_at, scopes)


def generate_key() -> str:
    return "sbx_" + secrets.token_hex(20)


class AuthFailure(Exception):
    """401/403 before any endpoint runs."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Keyring:
    """The keys the sandbox accepts."""

    def __init__(self, keys: list[ApiKey]) -> None:
        self._by_secret = {key.secret: key for key in keys}
        self.keys = keys

    def authenticate(self, authorization: str | None) -> ApiKey:
        secret = _basic_username(authorization)
        if not secret:
            raise AuthFailure(
                401,
                MISSING_KEY_CODE,
                "Missing API key: send HTTP Basic auth with the API key as username and an empty password.",
            )
        key = self._by_secret.get(secret)
        if key is None:
            raise AuthFailure(403, INVALID_KEY_CODE, "Invalid API key: the key is unknown or deactivated.")
        return key


def _basic_username(authorization: str | None) -> str:
    if not authorization:
        return ""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0].strip()


__all__ = [
    "ALL_SCOPES",
    "INVALID_KEY_CODE",
    "MISSING_KEY_CODE",
    "ApiKey",
    "AuthFailure",
    "Keyring",
    "generate_key",
    "parse_key_spec",
    "permission_of",
]
