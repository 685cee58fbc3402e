"""The service's secret key: credential encryption at rest (Fernet) and the token signing keys.

One key (a Fernet key) protects everything, so one secret has to be managed per deployment:
``ASHBY_AGENT_SECRET_KEY``, or a 0600 key file generated on first start. The variable may hold several
comma-separated keys, newest first: the first encrypts and signs, all decrypt and verify, which lets
processes keep serving while ``rotate-key`` re-encrypts the database. The signing keys are derived from
the Fernet keys (HMAC with a fixed label) so encryption and signing never share raw key material.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Final

import orjson
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

__all__ = [
    "CredentialDecryptError",
    "Keyring",
    "create_key_file",
    "generate_key",
    "hash_secret",
    "load_or_create_key_file",
    "read_key_file",
    "verify_secret",
]

_SIGNING_LABEL: Final = b"ashby-agent/token-signing/v1"


class CredentialDecryptError(Exception):
    """Stored credentials cannot be decrypted with the configured key(s): wrong or rotated key."""


def generate_key() -> SecretStr:
    """A fresh Fernet key (URL-safe base64 of 32 random bytes)."""
    return SecretStr(Fernet.generate_key().decode("ascii"))


def create_key_file(path: Path) -> SecretStr | None:
    """Write a fresh key to ``path`` with mode 0600, atomically (``O_EXCL``); ``None`` if it exists.

    Concurrent first starts agree: exactly one creates the file, the others read it.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    key = generate_key()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.get_secret_value() + "\n")
    return key


def read_key_file(path: Path) -> SecretStr:
    """The key stored in ``path`` (surrounding whitespace removed)."""
    return SecretStr(path.read_text(encoding="ascii").strip())


def load_or_create_key_file(path: Path) -> SecretStr:
    """Read the key file, or create it with mode 0600 (atomically: concurrent first starts agree)."""
    return create_key_file(path) or read_key_file(path)


class Keyring:
    """Encrypts and decrypts credentials; provides the HMAC keys that sign and verify tokens."""

    __slots__ = ("_cipher", "signing_keys")

    def __init__(self, keys: SecretStr) -> None:
        raw = [part.strip() for part in keys.get_secret_value().split(",") if part.strip()]
        if not raw:
            raise ValueError(
                "the secret key is empty; set ASHBY_AGENT_SECRET_KEY or remove it to use a key file"
            )
        try:
            fernets = [Fernet(part.encode("ascii")) for part in raw]
        except ValueError:
            raise ValueError(
                "the secret key is not a Fernet key (URL-safe base64 of 32 bytes); generate one with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
            ) from None
        self._cipher = MultiFernet(fernets)
        #: Newest first: the first signs, all verify.
        self.signing_keys: tuple[bytes, ...] = tuple(
            hmac.new(part.encode("ascii"), _SIGNING_LABEL, hashlib.sha256).digest() for part in raw
        )

    def encrypt_credentials(self, api_key: SecretStr) -> str:
        """The credentials as an encrypted token (text, safe for any column type)."""
        plain = orjson.dumps({"api_key": api_key.get_secret_value()})
        return self._cipher.encrypt(plain).decode("ascii")

    def decrypt_credentials(self, token: str) -> SecretStr:
        try:
            plain = self._cipher.decrypt(token.encode("ascii"))
        except InvalidToken:
            raise CredentialDecryptError(
                "stored credentials cannot be decrypted with the configured secret key; start the service "
                "with the key the database was written with (ASHBY_AGENT_SECRET_KEY or the key file)"
            ) from None
        return SecretStr(str(orjson.loads(plain)["api_key"]))

    def encrypt_text(self, text: str) -> str:
        return self._cipher.encrypt(text.encode()).decode("ascii")

    def decrypt_text(self, token: str) -> str:
        try:
            return self._cipher.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise CredentialDecryptError("the configured secret key does not match this database") from None

    def __repr__(self) -> str:
        return f"<Keyring keys={len(self.signing_keys)}>"


# --------------------------------------------------------------------------- client secrets

_SCRYPT_N: Final = 2**14
_SCRYPT_R: Final = 8
_SCRYPT_P: Final = 1


def hash_secret(secret: SecretStr, *, n: int = _SCRYPT_N) -> str:
    """``scrypt$n$r$p$salt$hash`` (salted, memory-hard; the parameters travel with the hash)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(
        secret.get_secret_value().encode(), salt=salt, n=n, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${n}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


#: Verified against when the client id is unknown, so both failures cost the same time.
_DUMMY_HASH: Final = f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${'00' * 16}${'00' * 32}"


def verify_secret(secret: SecretStr, stored: str | None) -> bool:
    """Constant-time check of ``secret`` against a :func:`hash_secret` value (``None``: unknown client)."""
    try:
        scheme, n, r, p, salt, digest = (stored or _DUMMY_HASH).split("$")
        computed = hashlib.scrypt(
            secret.get_secret_value().encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(computed, bytes.fromhex(digest)) and stored is not None
