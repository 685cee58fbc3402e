"""``ashby-agent sandbox``: the address, key and commands it prints are true once printed; a bad
argument or a busy port fails first, as one line, before anything is printed."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator

import pytest

from tests.cli.outcome import CLI, assert_fails, cli, process, process_env

VALID_SCOPES = "valid scopes: candidates:read, candidates:write"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--port", "99999"], ["--port must be between 0 and 65535", "99999"]),
        (["--port", "-1"], ["--port must be between 0 and 65535"]),
        (["--scale", "huge"], ["--scale must be one of small, medium, large", "'huge'"]),
        (["--api-key", "k:candidates:raed"], ["unknown scope 'candidates:raed'", VALID_SCOPES]),
        (["--api-key", "good", "--api-key", ":jobs:read"], ["spec #2", "must not be blank"]),
    ],
)
def test_bad_arguments_are_one_line(args: list[str], fragments: list[str]) -> None:
    assert_fails(cli("sandbox", *args), 2, *fragments)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_busy_port_fails_first(busy_port: int) -> None:
    outcome = process("sandbox", "--port", str(busy_port))
    assert_fails(outcome, 1, f"127.0.0.1:{busy_port}", "already in use", "0 picks a free one")
    assert "sbx_" not in outcome.stderr  # no key, no "ready", no curl line


def _first_lines(proc: subprocess.Popen[str], until: str) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    while not any(line.startswith(until) for line in lines):
        line = proc.stdout.readline()
        assert line, f"the sandbox exited early: {lines}"
        lines.append(line.rstrip("\n"))
    return lines


def _serving(*args: str) -> Iterator[list[str]]:
    proc = subprocess.Popen(
        [*CLI, "sandbox", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=process_env()
    )
    try:
        yield _first_lines(proc, "curl ")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        assert "Traceback" not in proc.stderr.read()
        proc.stderr.close()


@pytest.fixture
def port_zero() -> Iterator[list[str]]:
    yield from _serving("--port", "0")


def test_port_zero_prints_the_bound_port_and_the_curl_line_works(port_zero: list[str]) -> None:
    (export,) = [line for line in port_zero if line.startswith("export ")]
    (curl,) = [line for line in port_zero if line.startswith("curl ")]
    url = export.split("ASHBY_API_URL=", 1)[1].split()[0]
    port = int(url.rsplit(":", 1)[1])
    assert url == f"http://127.0.0.1:{port}" and port != 0
    assert f"listening on {url}" in port_zero[0]
    assert shutil.which("curl") is not None, "curl is needed to run the printed command as written"
    answer = subprocess.run(
        ["bash", "-c", f"{export}\n{curl}"], capture_output=True, text=True, timeout=60, check=True
    )
    assert '"success":true' in answer.stdout.replace(" ", ""), answer.stdout


@pytest.fixture
def scoped() -> Iterator[list[str]]:
    yield from _serving("--port", "0", "--api-key", "k2:candidates:read,jobs:read")


def test_a_scoped_key_is_accepted_and_its_scopes_printed(scoped: list[str]) -> None:
    assert any("scopes candidates:read, jobs:read" in line for line in scoped)
    assert any(line.startswith("export ") and line.endswith("ASHBY_API_KEY=k2") for line in scoped)
