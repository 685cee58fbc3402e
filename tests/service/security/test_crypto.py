"""The secret key without a server: credential encryption, the key file, client secret hashes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from ashby_agent.service.security.crypto import (
    CredentialDecryptError,
    Keyring,
    generate_key,
    hash_secret,
    load_or_create_key_file,
    verify_secret,
)


def test_keyring_encrypts_and_multi_key_decrypts() -> None:
    old, new = generate_key(), generate_key()
    sealed = Keyring(old).encrypt_credentials(SecretStr("the-key"))
    assert "the-key" not in sealed
    rotated = Keyring(SecretStr(f"{new.get_secret_value()},{old.get_secret_value()}"))
    assert rotated.decrypt_credentials(sealed).get_secret_value() == "the-key"
    with pytest.raises(CredentialDecryptError):
        Keyring(new).decrypt_credentials(sealed)
    with pytest.raises(ValueError, match="Fernet"):
        Keyring(SecretStr("short"))
    assert old.get_secret_value() not in repr(Keyring(old))


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    first = load_or_create_key_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key_file(path).get_secret_value() == first.get_secret_value()


def test_secret_hash_verifies_only_the_secret() -> None:
    stored = hash_secret(SecretStr("s3cret"), n=2**10)
    assert verify_secret(SecretStr("s3cret"), stored)
    assert not verify_secret(SecretStr("s3cret!"), stored)
    assert not verify_secret(SecretStr("s3cret"), None)
    assert not verify_secret(SecretStr("s3cret"), "garbage")
