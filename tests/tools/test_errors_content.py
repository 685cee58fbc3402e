"""Every exception becomes short, actionable content; unexpected ones are masked."""

from __future__ import annotations

import logging

import pytest

from ashby_agent.errors import (
    AshbyAPIError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    HostedAuthenticationError,
    HostedServiceError,
    InvalidParamsError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SyncTokenError,
    UnknownActionError,
    UnknownEntityError,
)
from ashby_agent.tools.errors_content import error_content

CASES = [
    (UnknownEntityError("candidate", ["candidates", "jobs"], "candidates"), "unknown_entity", "fix_call"),
    (UnknownActionError("jobs", "lst", ["list", "get"]), "unknown_action", "fix_call"),
    (
        InvalidParamsError("jobs", "list", ["unknown param 'x'"], ["limit", "cursor"]),
        "invalid_params",
        "fix_call",
    ),
    (CursorError("expired", status=400, code="next_cursor_expired"), "cursor", "fix_call"),
    (SyncTokenError("expired", status=400, code="sync_token_expired"), "sync_token", "fix_call"),
    (AshbyValidationError("bad input", status=400, code="invalid_input"), "validation", "fix_call"),
    (AuthenticationError("bad key", status=401), "authentication", "stop"),
    (HostedAuthenticationError("bad client", status=401), "hosted_authentication", "stop"),
    (PermissionDeniedError("no", missing_permission="offersRead"), "permission_denied", "stop"),
    (NotFoundError("nothing", status=404, code="candidate_not_found"), "not_found", "stop"),
    (RateLimitError("slow down", retry_after=3), "rate_limited", "retry_later"),
    (ServerError("oops", status=503), "server_error", "retry_later"),
    (RequestTimeoutError("timed out"), "timeout", "retry_later"),
    (ConnectionFailedError("refused"), "connection", "retry_later"),
    (MalformedResponseError("not json"), "malformed_response", "stop"),
    (HostedServiceError("down", status=502), "hosted", "retry_later"),
    (HostedServiceError("nope", status=400), "hosted", "stop"),
    (AshbyAPIError("odd", status=418), "api_error", "stop"),
]


@pytest.mark.parametrize(("exc", "kind", "outcome"), CASES, ids=[type(c[0]).__name__ + c[1] for c in CASES])
def test_mapping(exc: Exception, kind: str, outcome: str) -> None:
    content = error_content(exc)
    assert (content.kind, content.outcome) == (kind, outcome)
    body = content.to_dict()["error"]
    assert body["kind"] == kind
    assert body["message"] == str(exc)
    if outcome == "stop":
        assert "will not help" in content.next_step
    if outcome == "fix_call":
        assert "retry" not in content.next_step.lower() or "Correct" in content.next_step


def test_wrong_calls_list_the_valid_choices() -> None:
    content = error_content(UnknownActionError("jobs", "lst", ["list", "get", "api_search"]))
    assert content.to_dict()["error"]["valid"] == ["list", "get", "api_search"]
    assert "list, get, api_search" in content.to_text()


def test_rate_limits_say_when_to_retry() -> None:
    content = error_content(RateLimitError("slow down", retry_after=2.5))
    assert content.to_dict()["error"]["retry_after"] == 2.5
    assert "Wait 2.5 seconds" in content.to_text()
    assert "Wait a few seconds" in error_content(RateLimitError("slow down")).next_step


def test_permission_errors_name_the_missing_permission() -> None:
    body = error_content(PermissionDeniedError("no", missing_permission="offersRead")).to_dict()["error"]
    assert body["missing_permission"] == "offersRead"


def test_unexpected_exceptions_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk_live_SECRET_in_a_message"
    with caplog.at_level(logging.ERROR, logger="ashby_agent.tools"):
        content = error_content(KeyError(secret))
    assert content.kind == "internal"
    assert content.outcome == "stop"
    assert secret not in content.to_json()
    assert "KeyError" not in content.to_json()
    reference = content.message.split("reference ")[1].split(")")[0]
    assert reference in caplog.text
    assert "KeyError" in caplog.text
