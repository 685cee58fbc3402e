"""Bearer tokens without a server: round trip, expiry, tampering, key rotation."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from ashby_agent.service.security.crypto import Keyring, generate_key
from ashby_agent.service.security.tokens import TokenError, TokenSigner


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


def test_rotated_keys_still_verify_old_tokens() -> None:
    old, new = generate_key(), generate_key()
    token = TokenSigner(Keyring(old).signing_keys).issue("app", "c", "o", 60)
    both = TokenSigner(Keyring(SecretStr(f"{new.get_secret_value()},{old.get_secret_value()}")).signing_keys)
    assert both.verify(token).client_id == "c"
    with pytest.raises(TokenError):
        TokenSigner(Keyring(new).signing_keys).verify(token)
