"""Bearer tokens: round trip, expiry, tampering, key rotation; validly signed claims of unexpected types
(401 from the service on both backends, never 500)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import orjson
import pytest
from pydantic import SecretStr

from ashby_agent.service.security.crypto import Keyring, generate_key
from ashby_agent.service.security.tokens import TokenError, TokenSigner
from tests.service.tenants import Tenant, assert_error


def test_tokens_round_trip_and_expire() -> None:
    signer = TokenSigner((b"a" * 32,))
    token = signer.issue("scoped", "client", "org", 60, workspace_id="ws", now=1000)
    claims = signer.verify(token, now=1059)
    assert (claims.kind, claims.client_id, claims.organization_id, claims.workspace_id) == (
        "scoped",
        "client",
        "org",
        "ws",
    )
    with pytest.raises(TokenError, match="expired"):
        signer.verify(token, now=1060)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t + "x",
        lambda t: t.replace(".", "..", 1),
        lambda t: "eyJhbGciOiJub25lIn0." + t.split(".", 1)[1],  # alg none
        lambda t: t.split(".")[0] + ".e30." + t.split(".")[2],  # empty payload, old signature
        lambda t: "",
        lambda t: "ü.ü.ü",
    ],
)
def test_tampered_tokens_are_rejected(mutate: object) -> None:
    signer = TokenSigner((b"a" * 32,))
    token = signer.issue("app", "client", "org", 60)
    with pytest.raises(TokenError):
        signer.verify(mutate(token))  # type: ignore[operator]


def test_a_verified_token_is_remembered_but_its_variants_are_not() -> None:
    signer = TokenSigner((b"a" * 32,))
    token = signer.issue("app", "client", "org", 60, now=1000)
    assert signer.verify(token, now=1001) is signer.verify(token, now=1002)
    for variant in (token + "x", token[:-2] + ("AA" if token[-2:] != "AA" else "BB")):
        with pytest.raises(TokenError):
            signer.verify(variant, now=1001)
    with pytest.raises(TokenError, match="expired"):
        signer.verify(token, now=1060)


def test_rotated_keys_still_verify_old_tokens() -> None:
    old, new = generate_key(), generate_key()
    token = TokenSigner(Keyring(old).signing_keys).issue("app", "c", "o", 60)
    both = TokenSigner(Keyring(SecretStr(f"{new.get_secret_value()},{old.get_secret_value()}")).signing_keys)
    assert both.verify(token).client_id == "c"
    with pytest.raises(TokenError):
        TokenSigner(Keyring(new).signing_keys).verify(token)


# --------------------------------------------------------------------------- claims of unexpected types

GOOD_CLAIMS: dict[str, Any] = {"typ": "app", "sub": "client", "org": "org", "iat": 1000, "exp": 10**10}
BAD_CLAIMS: list[dict[str, Any]] = [
    {"typ": ["app"]},
    {"typ": {"app": 1}},
    {"sub": ["client"]},
    {"sub": 5},
    {"sub": ""},
    {"sub": "c\x00"},
    {"org": None},
    {"org": {"id": "o"}},
    {"ws": 5},
    {"typ": "scoped", "ws": ["w"]},
    {"typ": "scoped", "ws": "w\x00"},
    {"iat": "1000"},
    {"iat": True},
    {"exp": 1e300},
    {"exp": "never"},
    {"exp": 2**60},
    {"exp": None},
]


def sign(keys: tuple[bytes, ...], payload: object) -> str:
    """A token signed with the service's own signing key, whatever its payload says."""
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
    body = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=")
    signature = hmac.new(keys[0], header + b"." + body, hashlib.sha256).digest()
    return (header + b"." + body + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def test_the_signing_helper_makes_tokens_the_signer_accepts() -> None:
    keys = Keyring(generate_key()).signing_keys
    assert TokenSigner(keys).verify(sign(keys, GOOD_CLAIMS), now=2000).client_id == "client"


@pytest.mark.parametrize("change", BAD_CLAIMS)
def test_signed_claims_of_unexpected_types_are_malformed(change: dict[str, Any]) -> None:
    keys = Keyring(generate_key()).signing_keys
    with pytest.raises(TokenError, match="malformed"):
        TokenSigner(keys).verify(sign(keys, {**GOOD_CLAIMS, **change}), now=2000)
    for payload in ([GOOD_CLAIMS], "claims", 5, None):
        with pytest.raises(TokenError, match="malformed"):
            TokenSigner(keys).verify(sign(keys, payload), now=2000)


@pytest.mark.parametrize("change", BAD_CLAIMS)
def test_the_service_answers_them_401(tenant: Tenant, change: dict[str, Any]) -> None:
    settings = tenant.service.settings
    assert settings.secret_key is not None
    keys = Keyring(settings.secret_key).signing_keys
    claims = {**GOOD_CLAIMS, "sub": tenant.client_id, "org": tenant.organization_id, "iat": int(time.time())}
    token = sign(keys, {**claims, **change})
    for path in ("/workspaces", "/account/applications/scoped-token/info", "/integrations/connectors"):
        assert_error(tenant.get(path, token=token), 401, "invalid_token")
    assert tenant.get("/workspaces", token=sign(keys, claims)).status_code == 200
