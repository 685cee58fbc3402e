"""``ashby-agent admin ...`` on real SQLite files and the real PostgreSQL: bootstrap, and every bad
``--db`` or key as one line that names the value (never its password) and leaves nothing on disk."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.cli.outcome import assert_fails, cli, process
from tests.service.tenants import PG_URL


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: where a default key file or database would appear."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_admin_bootstrap_prints_the_secret_once_and_stores_a_hash(db: str, tmp_path: Path) -> None:
    created = cli("admin", "create-org", "acme", "--db", db)
    assert created.code == 0, created.stderr
    assert re.fullmatch(rf"organization acme id=\S+ created in {re.escape(db)}\n", created.stdout)
    assert_fails(cli("admin", "create-org", "acme", "--db", db), 1, "already exists")
    client = cli("admin", "create-client", "--org", "acme", "--db", db)
    assert client.code == 0, client.stderr
    secret = re.search(r"client_secret=(\S+)", client.stdout)
    assert secret is not None
    assert secret.group(1).encode() not in (tmp_path / "service.db").read_bytes()
    assert_fails(
        cli("admin", "create-client", "--org", "nope", "--db", db),
        1,
        "No organization 'nope'",
        "ashby-agent admin create-org 'nope'",
    )
    assert "acme" in cli("admin", "list-orgs", "--db", db).stdout
    assert_fails(cli("admin", "revoke-client", str(uuid.uuid4()), "--db", db), 1, "No active client")


def test_the_database_comes_from_the_environment(db: str) -> None:
    assert cli("admin", "create-org", "envorg", ASHBY_AGENT_DB=db).code == 0
    assert "envorg" in cli("admin", "list-orgs", "--db", db).stdout


MISSING_DB = f"{PG_URL.rsplit('/', 1)[0]}/no_such_db_9"
BAD_DATABASES = [
    pytest.param(
        "postgresql://postgres:hunter2@127.0.0.1:1/x", ["127.0.0.1:1", "Connection refused"], id="unreachable"
    ),
    pytest.param(
        MISSING_DB, ['database "no_such_db_9" does not exist', "createdb no_such_db_9"], id="missing-database"
    ),
    pytest.param(
        "mysql://root:hunter2@127.0.0.1/x", ["mysql://root:***@127.0.0.1/x", "not supported"], id="mysql"
    ),
    pytest.param(
        "missing-dir/sub/x.db", ["missing-dir/sub", "does not exist", "mkdir -p"], id="no-directory"
    ),
    pytest.param(
        "not a url", ["'not a url' is neither a database URL nor an SQLite file path"], id="not-a-url"
    ),
]


@pytest.mark.parametrize(("value", "fragments"), BAD_DATABASES)
@pytest.mark.parametrize("command", [["admin", "create-org", "acme"], ["admin", "list-orgs"], ["serve"]])
def test_a_bad_database_is_one_line_and_leaves_nothing(
    workdir: Path, command: list[str], value: str, fragments: list[str]
) -> None:
    line = assert_fails(cli(*command, "--db", value), 1, *fragments)
    assert "hunter2" not in line
    assert sorted(os.listdir(workdir)) == []  # no ./ashby-agent.key, no database file


def test_a_different_key_file_is_named_with_the_fix(db: str, tmp_path: Path) -> None:
    assert cli("admin", "create-org", "acme", "--db", db).code == 0
    key_file = tmp_path / "service.db.key"
    original = key_file.read_text()
    key_file.write_text(Fernet.generate_key().decode())
    assert_fails(
        cli("admin", "list-orgs", "--db", db),
        1,
        f"The key file '{key_file}' does not match the database '{db}'",
        "restore the key file",
        "ASHBY_AGENT_SECRET_KEY",
    )
    key_file.unlink()
    assert_fails(cli("admin", "list-orgs", "--db", db), 1, f"There is no key file '{key_file}'")
    assert not key_file.exists()  # the failed attempt did not leave a new, wrong key behind
    key_file.write_text(original)
    assert "acme" in cli("admin", "list-orgs", "--db", db).stdout


def test_a_different_secret_key_variable_is_named_with_the_fix(db: str) -> None:
    assert cli("admin", "create-org", "acme", "--db", db).code == 0
    other = Fernet.generate_key().decode()
    line = assert_fails(
        cli("admin", "list-orgs", "--db", db, ASHBY_AGENT_SECRET_KEY=other),
        1,
        "The secret key from ASHBY_AGENT_SECRET_KEY does not match",
        "set ASHBY_AGENT_SECRET_KEY to the key the database was created with",
    )
    assert other not in line
    assert_fails(
        cli("admin", "list-orgs", "--db", db, ASHBY_AGENT_SECRET_KEY="not-a-key"),
        1,
        "ASHBY_AGENT_SECRET_KEY does not hold a valid key",
    )


def test_audit_lists_records(db: str) -> None:
    assert cli("admin", "create-org", "acme", "--db", db).code == 0
    outcome = cli("admin", "audit", "--org", "acme", "--db", db)
    assert outcome.code == 0 and "Audit (0)" in outcome.stdout
    assert_fails(cli("admin", "audit", "--org", "ghost", "--db", db), 1, "No organization 'ghost'")


def test_a_bad_database_in_a_real_process(tmp_path: Path) -> None:
    outcome = process("admin", "create-org", "acme", "--db", "not a url", cwd=tmp_path)
    assert_fails(outcome, 1, "'not a url' is neither a database URL nor an SQLite file path")
    assert list(tmp_path.iterdir()) == []


def test_connector_policy_refuses_bad_values_and_unknown_connectors_in_one_line(db: str) -> None:
    assert cli("admin", "create-org", "policy-org", "--db", db).code == 0  # the database exists
    assert_fails(
        cli("admin", "connector-policy", str(uuid.uuid4()), "--access", "admin", "--db", db),
        1,
        "Unknown access level 'admin'; valid: read, comment, write",
    )
    assert_fails(
        cli("admin", "connector-policy", str(uuid.uuid4()), "--redact", "emails,ssn", "--db", db),
        1,
        "Unknown redaction 'ssn'; valid: emails, phones",
    )
    assert_fails(
        cli("admin", "connector-policy", "no-such-connector", "--access", "comment", "--db", db),
        1,
        "No connector 'no-such-connector'",
    )
