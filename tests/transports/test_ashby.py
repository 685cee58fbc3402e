"""Byte-level tests of AshbyTransport with httpx.MockTransport: the cases a real sandbox cannot produce
(non-JSON bodies, HTML 502s, dropped connections, exact retry timings) and the secrecy of the key."""

from __future__ import annotations

import base64
import json
import logging
import traceback
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from email.utils import format_datetime
from types import MappingProxyType
from typing import Any

import httpx
import orjson
import pytest
from pydantic import SecretStr

from ashby_agent.errors import (
    AshbyAgentError,
    AshbyAPIError,
    AshbyValidationError,
    AuthenticationError,
    ConnectionFailedError,
    CursorError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SyncTokenError,
)
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.ashby import DEFAULT_BASE_URL, AshbyTransport
from ashby_agent.transports.error_map import error_from_response
from tests.transports.fakes import FakeTime, Server, ZeroRandom

KEY = "sk_live_Sup3rSecretAshbyKey_0123456789"
TOKEN = base64.b64encode(f"{KEY}:".encode()).decode()
SECRETS = (KEY, TOKEN)
URL = "https://ashby.test"

Handler = Callable[[httpx.Request], httpx.Response]


def ok(results: Any = None, **extra: Any) -> httpx.Response:
    return httpx.Response(
        200, json={"success": True, "results": results if results is not None else [], **extra}
    )


def fail(code: str, message: str = "", status: int = 200, **headers: str) -> httpx.Response:
    info: dict[str, Any] = {"code": code, "requestId": "01REQUESTIDFROMBODY0000000"}
    if message:
        info["message"] = message
    return httpx.Response(
        status, json={"success": False, "errors": [code], "errorInfo": info}, headers=headers
    )


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASHBY_API_URL", raising=False)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[Server], httpx.AsyncClient]]:
    clients: list[httpx.AsyncClient] = []

    def make(server: Server) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.MockTransport(server))
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def transport_for(
    client_for: Callable[[Server], httpx.AsyncClient], fake_time: FakeTime
) -> Callable[..., AshbyTransport]:
    def make(server: Server, **kwargs: Any) -> AshbyTransport:
        kwargs.setdefault("base_url", URL)
        kwargs.setdefault(
            "retry", RetryPolicy(max_attempts=4, initial_delay=0.5, max_delay=8, max_total_time=30)
        )
        return AshbyTransport(
            KEY,
            http_client=client_for(server),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            wall_clock=fake_time.wall,
            rng=ZeroRandom(),
            **kwargs,
        )

    return make


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def everything_about(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), *traceback.format_exception(error), repr(vars(error))])


# --------------------------------------------------------------------------- requests


async def test_success_returns_envelope_and_sends_basic_auth_json(
    transport_for: Callable[..., AshbyTransport],
) -> None:
    server = Server(ok([{"id": "c1"}], moreDataAvailable=False, syncToken="tok"))
    transport = transport_for(server)

    envelope = await transport.post("candidate.list", {"limit": 2, "cursor": None})

    assert envelope == {
        "success": True,
        "results": [{"id": "c1"}],
        "moreDataAvailable": False,
        "syncToken": "tok",
    }
    (request,) = server.requests
    assert request.method == "POST"
    assert str(request.url) == f"{URL}/candidate.list"
    assert request.headers["authorization"] == f"Basic {TOKEN}"
    assert base64.b64decode(TOKEN).decode() == f"{KEY}:"  # key as username, empty password
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("ashby-agent/")
    assert json.loads(request.content) == {"limit": 2, "cursor": None}


async def test_no_body_posts_empty_object(transport_for: Callable[..., AshbyTransport]) -> None:
    server = Server(ok())
    await transport_for(server).post("/source.list")
    assert server.requests[0].content == b"{}"
    assert server.requests[0].url.path == "/source.list"


async def test_accepts_secretstr_and_custom_user_agent(
    client_for: Callable[[Server], httpx.AsyncClient],
) -> None:
    server = Server(ok())
    transport = AshbyTransport(
        SecretStr(KEY), base_url=URL, http_client=client_for(server), user_agent="me/1"
    )
    await transport.post("apiKey.info", {})
    assert server.requests[0].headers["authorization"] == f"Basic {TOKEN}"
    assert server.requests[0].headers["user-agent"] == "me/1"


async def test_unserialisable_body_is_an_invalid_request(
    transport_for: Callable[..., AshbyTransport],
) -> None:
    server = Server(ok())
    with pytest.raises(InvalidRequestError, match="not JSON-serialisable"):
        await transport_for(server).post("candidate.list", {"when": object()})
    assert server.requests == []


async def test_any_mapping_body_is_sent(transport_for: Callable[..., AshbyTransport]) -> None:
    server = Server(ok())
    await transport_for(server).post("candidate.info", MappingProxyType({"id": "c1"}))
    assert json.loads(server.requests[0].content) == {"id": "c1"}


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [
        (None, None, DEFAULT_BASE_URL),
        (None, "http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("https://arg.example//", "http://env.example", "https://arg.example"),
        ("", "http://env.example", "http://env.example"),
    ],
)
def test_base_url_resolution(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None, expected: str
) -> None:
    if env is not None:
        monkeypatch.setenv("ASHBY_API_URL", env)
    assert AshbyTransport(KEY, base_url=argument).base_url == expected


def test_base_url_must_be_http() -> None:
    with pytest.raises(InvalidRequestError, match="http:// or https://"):
        AshbyTransport(KEY, base_url="api.ashbyhq.com")


def test_repr_hides_the_key() -> None:
    transport = AshbyTransport(KEY)
    assert_no_secret(repr(transport), str(transport), repr(vars(transport)))
    assert "api.ashbyhq.com" in repr(transport)


async def test_timeout_explicit_overrides_shared_client(
    client_for: Callable[[Server], httpx.AsyncClient],
) -> None:
    server = Server(ok())
    client = client_for(server)
    await AshbyTransport(KEY, base_url=URL, http_client=client).post("a.b", {})
    await AshbyTransport(KEY, base_url=URL, http_client=client, timeout=2.5).post("a.b", {})
    default, explicit = (r.extensions["timeout"] for r in server.requests)
    assert default == client.timeout.as_dict()
    assert explicit == httpx.Timeout(2.5).as_dict()


# --------------------------------------------------------------------------- client lifecycle


async def test_own_client_is_closed_and_shared_client_is_not(
    client_for: Callable[[Server], httpx.AsyncClient],
) -> None:
    # Port 1 on loopback refuses at once: a real ConnectError, no network needed.
    async with AshbyTransport(KEY, base_url="http://127.0.0.1:1", retry=RetryPolicy.none()) as own:
        with pytest.raises(ConnectionFailedError, match="ConnectError"):
            await own.post("candidate.list", {})
    with pytest.raises(InvalidRequestError, match="closed"):
        await own.post("candidate.list", {})

    shared = client_for(Server(ok()))
    async with AshbyTransport(KEY, base_url=URL, http_client=shared) as transport:
        await transport.post("candidate.list", {})
    assert not shared.is_closed
    await shared.aclose()
    with pytest.raises(InvalidRequestError, match="closed"):
        await AshbyTransport(KEY, base_url=URL, http_client=shared).post("candidate.list", {})


async def test_aclose_without_use_is_harmless() -> None:
    transport = AshbyTransport(KEY)
    await transport.aclose()
    await transport.aclose()


# --------------------------------------------------------------------------- error mapping

PERMISSION_BODY = {
    "success": False,
    "errors": ["missing_endpoint_permission"],
    "errorInfo": {
        "code": "missing_endpoint_permission",
        "message": "This API key is missing the candidatesRead permission",
        "requestId": "01PERM",
    },
}

MAPPING_CASES: list[tuple[str, httpx.Response, type[AshbyAgentError], str | None, list[str]]] = [
    # (case, response, error class, code, message fragments)
    (
        "200 not json",
        httpx.Response(200, content=b"<html>oops</html>"),
        MalformedResponseError,
        None,
        ["HTTP 200", "not JSON", "<html>oops</html>"],
    ),
    ("200 empty", httpx.Response(200, content=b""), MalformedResponseError, None, ["empty body"]),
    ("200 json list", httpx.Response(200, json=[1, 2]), MalformedResponseError, None, ["envelope", "[1,2]"]),
    ("200 no success", httpx.Response(200, json={"results": []}), MalformedResponseError, None, ["envelope"]),
    ("200 success not bool", httpx.Response(200, json={"success": "yes"}), MalformedResponseError, None, []),
    (
        "301",
        httpx.Response(301, headers={"location": "/x"}),
        MalformedResponseError,
        None,
        ["HTTP 301", "ASHBY_API_URL"],
    ),
    (
        "502 html",
        httpx.Response(502, content=b"<html>\n<h1>502 Bad   Gateway</h1></html>"),
        ServerError,
        None,
        ["HTTP 502", "<h1>502 Bad Gateway</h1>", "retry later"],
    ),
    (
        "500 envelope",
        fail("internal_error", "Something broke", status=500),
        ServerError,
        "internal_error",
        ["HTTP 500", "Something broke"],
    ),
    (
        "application_not_found",
        fail("application_not_found", "Application not found - are you lacking permissions"),
        NotFoundError,
        "application_not_found",
        ["Application not found", "Check the id"],
    ),
    ("candidate_not_found", fail("candidate_not_found"), NotFoundError, "candidate_not_found", []),
    (
        "sync_token_expired",
        fail("sync_token_expired"),
        SyncTokenError,
        "sync_token_expired",
        ["drop the syncToken and run a full sync"],
    ),
    ("sync_token_invalid", fail("sync_token_invalid"), SyncTokenError, "sync_token_invalid", ["full sync"]),
    (
        "incremental_sync_too_large",
        fail("incremental_sync_too_large"),
        SyncTokenError,
        "incremental_sync_too_large",
        ["full sync"],
    ),
    (
        "next_cursor_expired",
        fail("next_cursor_expired"),
        CursorError,
        "next_cursor_expired",
        ["restart the listing without cursor"],
    ),
    (
        "invalid_next_cursor",
        fail("invalid_next_cursor"),
        CursorError,
        "invalid_next_cursor",
        ["without cursor"],
    ),
    (
        "invalid_input",
        fail("invalid_input", "limit must be positive"),
        AshbyValidationError,
        "invalid_input",
        ["limit must be positive", "Correct the params"],
    ),
    ("other business code", fail("opening_in_use"), AshbyValidationError, "opening_in_use", []),
    ("400 envelope", fail("invalid_input", status=400), AshbyValidationError, "invalid_input", []),
    (
        "errors strings only",
        httpx.Response(200, json={"success": False, "errors": ["job_not_found"]}),
        NotFoundError,
        "job_not_found",
        [],
    ),
    (
        "errors as objects",
        httpx.Response(
            200,
            json={
                "success": False,
                "errors": [
                    {"message": "must be a UUID", "parameter": "candidateId"},
                    {"message": "is required"},
                ],
            },
        ),
        AshbyValidationError,
        None,
        ["candidateId: must be a UUID; is required"],
    ),
    (
        "errors message text",
        httpx.Response(429, json={"success": False, "errors": ["Rate limit exceeded"]}),
        RateLimitError,
        "rate_limit_exceeded",
        ["Rate limit exceeded", "retry later"],
    ),
    (
        "401 plain",
        httpx.Response(401, text="Unauthorized"),
        AuthenticationError,
        None,
        ["no API key", "Check ASHBY_API_KEY"],
    ),
    (
        "403 wrong key",
        fail("invalid_api_key", "Invalid API key", status=403),
        AuthenticationError,
        "invalid_api_key",
        ["wrong or deactivated", "Check ASHBY_API_KEY"],
    ),
    (
        "403 permission id",
        httpx.Response(403, json=PERMISSION_BODY),
        PermissionDeniedError,
        "missing_endpoint_permission",
        ["ask an Ashby admin to grant candidatesRead to this key"],
    ),
    ("404", httpx.Response(404, text="Not Found"), AshbyAPIError, None, ["no endpoint", "candidate.lst"]),
    (
        "429 retry-after",
        fail("rate_limit_exceeded", status=429, **{"Retry-After": "7"}),
        RateLimitError,
        "rate_limit_exceeded",
        ["retry after 7 s"],
    ),
]


@pytest.mark.parametrize(
    ("response", "error_class", "code", "fragments"),
    [case[1:] for case in MAPPING_CASES],
    ids=[case[0] for case in MAPPING_CASES],
)
async def test_error_mapping(
    transport_for: Callable[..., AshbyTransport],
    response: httpx.Response,
    error_class: type[AshbyAgentError],
    code: str | None,
    fragments: list[str],
) -> None:
    server = Server(response)
    with pytest.raises(AshbyAgentError) as caught:
        await transport_for(server, retry=RetryPolicy.none()).post("candidate.lst", {})
    error = caught.value
    assert type(error) is error_class
    assert len(server.requests) == 1
    for fragment in fragments:
        assert fragment.lower() in str(error).lower()
    if isinstance(error, AshbyAPIError):
        assert error.code == code
        assert error.status == response.status_code
        assert error.endpoint == "candidate.lst"
    assert_no_secret(everything_about(error))


@pytest.mark.parametrize(
    ("message", "meta", "expected"),
    [
        ("This API key is missing the candidatesRead permission", None, "candidatesRead"),
        ("Requires hiringProcessMetadataRead", None, "hiringProcessMetadataRead"),
        ("Missing scope candidates:read for this endpoint", None, "candidates:read"),
        ("You do not have access", {"missingPermission": "offersRead"}, "offersRead"),
        ("You do not have access", None, None),
        (None, None, None),
    ],
)
def test_permission_name_extraction(
    message: str | None, meta: dict[str, str] | None, expected: str | None
) -> None:
    info: dict[str, Any] = {"code": "missing_endpoint_permission"}
    if message is not None:
        info["message"] = message
    if meta is not None:
        info["meta"] = meta
    body = {"success": False, "errors": ["missing_endpoint_permission"], "errorInfo": info}
    error = error_from_response(403, body, {}, "offer.list")
    assert isinstance(error, PermissionDeniedError)
    assert error.missing_permission == expected
    assert (
        f"grant {expected} to this key" in str(error)
        if expected
        else "grant the module permission" in str(error)
    )


def test_permission_code_wins_at_any_status() -> None:
    body = {
        "success": False,
        "errorInfo": {"code": "missing_endpoint_permission", "message": "needs offersRead"},
    }
    error = error_from_response(200, body, {}, "offer.list")
    assert isinstance(error, PermissionDeniedError)
    assert (error.status, error.missing_permission) == (200, "offersRead")


def test_permission_from_legacy_errors_only() -> None:
    body = {"success": False, "errors": ["missing_endpoint_permission"]}
    error = error_from_response(403, body, {}, "offer.list")
    assert isinstance(error, PermissionDeniedError)
    assert error.code == "missing_endpoint_permission"


def test_request_id_from_body_then_header() -> None:
    from_body = error_from_response(200, orjson.loads(fail("invalid_input").content), {}, "a.b")
    assert isinstance(from_body, AshbyAPIError)
    assert from_body.request_id == "01REQUESTIDFROMBODY0000000"
    from_header = error_from_response(
        200, {"success": False, "errors": ["invalid_input"]}, {"x-ashby-request-id": "01HEADER"}, "a.b"
    )
    assert isinstance(from_header, AshbyAPIError)
    assert from_header.request_id == "01HEADER"


def test_integration_partner_rate_limit_is_named() -> None:
    error = error_from_response(429, None, {"x-ratelimit-scope": "integration-partner"}, "candidate.list")
    assert isinstance(error, RateLimitError)
    assert error.retry_after is None
    assert "integration partner" in str(error)


def test_long_bodies_are_truncated() -> None:
    error = error_from_response(200, None, {}, "a.b", raw=b"x" * 10_000)
    assert isinstance(error, MalformedResponseError)
    assert len(str(error)) < 400


# --------------------------------------------------------------------------- retries


async def test_retry_after_seconds_honoured(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(fail("rate_limit_exceeded", status=429, **{"Retry-After": "3"}), ok([1]))
    assert (await transport_for(server).post("candidate.list", {}))["results"] == [1]
    assert fake_time.sleeps == [3.0]
    assert len(server.requests) == 2


async def test_retry_after_http_date_honoured(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    when = format_datetime(fake_time.wall() + timedelta(seconds=6), usegmt=True)
    server = Server(fail("rate_limit_exceeded", status=429, **{"Retry-After": when}), ok())
    await transport_for(server).post("candidate.list", {})
    assert fake_time.sleeps == [6.0]  # the date, read against the transport's own (injected) clock


async def test_retry_after_on_503_honoured(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(httpx.Response(503, text="busy", headers={"Retry-After": "2"}), ok())
    await transport_for(server).post("candidate.list", {})
    assert fake_time.sleeps == [2.0]


async def test_5xx_backs_off_exponentially(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(httpx.Response(500), httpx.Response(502), httpx.Response(504), ok())
    await transport_for(server).post("candidate.list", {})
    assert fake_time.sleeps == [0.5, 1.0, 2.0]


async def test_garbage_retry_after_falls_back_to_backoff(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "whenever"}), ok())
    await transport_for(server).post("candidate.list", {})
    assert fake_time.sleeps == [0.5]


async def test_max_attempts_respected(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(fail("internal", status=500))
    with pytest.raises(ServerError):
        await transport_for(server, retry=RetryPolicy(max_attempts=3, max_total_time=100)).post("a.b", {})
    assert len(server.requests) == 3
    assert fake_time.sleeps == [0.5, 1.0]


async def test_last_mapped_error_is_raised(transport_for: Callable[..., AshbyTransport]) -> None:
    server = Server(httpx.Response(500), httpx.ConnectError("refused"), fail("x", status=429))
    with pytest.raises(RateLimitError):
        await transport_for(server, retry=RetryPolicy(max_attempts=3)).post("a.b", {})


async def test_total_budget_respected_with_retry_after(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(fail("rate_limit_exceeded", status=429, **{"Retry-After": "20"}))
    with pytest.raises(RateLimitError) as caught:
        await transport_for(server, retry=RetryPolicy(max_attempts=10, max_total_time=30)).post("a.b", {})
    assert fake_time.sleeps == [20.0]  # a second wait of 20 s would end at 40 s > 30 s
    assert len(server.requests) == 2
    assert caught.value.retry_after == 20.0
    assert "retry after 20 s" in str(caught.value)


async def test_retry_after_beyond_budget_gives_up_at_once(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    server = Server(fail("rate_limit_exceeded", status=429, **{"Retry-After": "120"}), ok())
    with pytest.raises(RateLimitError, match="retry after 120 s"):
        await transport_for(server).post("a.b", {})
    assert fake_time.sleeps == []


async def test_total_budget_counts_request_time(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime
) -> None:
    def slow_failure(request: httpx.Request) -> httpx.Response:
        fake_time.now += 12.0
        return httpx.Response(503)

    server = Server(slow_failure)
    with pytest.raises(ServerError):
        await transport_for(server, retry=RetryPolicy(max_attempts=10, max_total_time=30)).post("a.b", {})
    # t=12 fail, wait .5; t=24.5 fail, wait 1; t=37.5 fail: 37.5 + 2 > 30, give up.
    assert fake_time.sleeps == [0.5, 1.0]
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "response",
    [
        fail("invalid_input"),
        fail("candidate_not_found"),
        fail("sync_token_expired"),
        httpx.Response(401),
        fail("invalid_api_key", status=403),
        httpx.Response(403, json=PERMISSION_BODY),
        httpx.Response(404),
        fail("invalid_input", status=400),
        httpx.Response(200, content=b"not json"),
    ],
)
async def test_no_retry_on_4xx_or_business_errors(
    transport_for: Callable[..., AshbyTransport], fake_time: FakeTime, response: httpx.Response
) -> None:
    server = Server(response, ok())
    with pytest.raises(AshbyAgentError):
        await transport_for(server).post("a.b", {})
    assert len(server.requests) == 1
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    ("exception", "error_class"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), ConnectionFailedError),
        (httpx.ReadError("connection reset by peer"), ConnectionFailedError),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), ConnectionFailedError),
        (httpx.WriteError("broken pipe"), ConnectionFailedError),
        (httpx.ReadTimeout("timed out"), RequestTimeoutError),
        (httpx.ConnectTimeout("timed out"), RequestTimeoutError),
        (httpx.PoolTimeout("no connection"), RequestTimeoutError),
    ],
)
async def test_network_failures_are_mapped_and_retried(
    transport_for: Callable[..., AshbyTransport],
    fake_time: FakeTime,
    exception: httpx.TransportError,
    error_class: type[AshbyAgentError],
) -> None:
    server = Server(exception)
    with pytest.raises(error_class) as caught:
        await transport_for(server).post("candidate.list", {})
    assert len(server.requests) == 4
    assert fake_time.sleeps == [0.5, 1.0, 2.0]
    assert type(exception).__name__ in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None  # the httpx error (and its request) is not chained

    recovering = Server(exception, ok(["back"]))
    assert (await transport_for(recovering).post("candidate.list", {}))["results"] == ["back"]


async def test_unsupported_protocol_is_not_retried(transport_for: Callable[..., AshbyTransport]) -> None:
    server = Server(httpx.UnsupportedProtocol("Request URL has an unsupported protocol"))
    with pytest.raises(ConnectionFailedError):
        await transport_for(server).post("a.b", {})
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("first", "retried"),
    [
        (fail("rate_limit_exceeded", status=429), True),  # Ashby refused before acting
        (httpx.ConnectError("refused"), True),  # nothing was sent
        (httpx.ConnectTimeout("slow connect"), True),
        (httpx.Response(503), False),  # Ashby may have acted
        (httpx.ReadError("reset"), False),
        (httpx.ReadTimeout("slow read"), False),
        (httpx.RemoteProtocolError("dropped"), False),
    ],
)
async def test_non_idempotent_calls_retry_only_when_nothing_happened(
    transport_for: Callable[..., AshbyTransport], first: httpx.Response | Exception, retried: bool
) -> None:
    server = Server(first, ok({"id": "new"}))
    transport = transport_for(server)
    if retried:
        assert (await transport.post("candidate.create", {"name": "A"}, idempotent=False))["results"] == {
            "id": "new"
        }
    else:
        with pytest.raises(AshbyAgentError):
            await transport.post("candidate.create", {"name": "A"}, idempotent=False)
    assert len(server.requests) == (2 if retried else 1)


# --------------------------------------------------------------------------- the key never leaks


def leaky_html(request: httpx.Request) -> httpx.Response:
    """A misbehaving proxy that echoes the request headers into its error page."""
    echoed = "".join(f"{k}: {v}<br>" for k, v in request.headers.items())
    return httpx.Response(502, text=f"<html>Bad gateway<br>{echoed}</html>")


def leaky_exception(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError(
        f"proxy refused Authorization: {request.headers['authorization']}", request=request
    )


def leaky_envelope(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, json={"success": False, "errorInfo": {"code": "invalid_input", "message": f"bad key {KEY}"}}
    )


def leaky_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout(f"timed out, key={KEY}", request=request)


@pytest.mark.parametrize(
    ("answer", "server_echoes_key"),
    [
        (httpx.Response(401, text="no key"), False),
        (fail("invalid_api_key", status=403), False),
        (httpx.Response(403, json=PERMISSION_BODY), False),
        (fail("rate_limit_exceeded", status=429, **{"Retry-After": "1"}), False),
        (fail("sync_token_expired"), False),
        (httpx.ConnectError("refused"), False),
        (leaky_html, True),
        (leaky_exception, True),
        (leaky_envelope, True),
        (leaky_timeout, True),
        (httpx.Response(200, content=f"not json {KEY} {TOKEN}".encode()), True),
    ],
)
async def test_key_never_in_errors_logs_or_tracebacks(
    transport_for: Callable[..., AshbyTransport],
    caplog: pytest.LogCaptureFixture,
    answer: httpx.Response | Exception | Handler,
    server_echoes_key: bool,
) -> None:
    caplog.set_level(logging.DEBUG, logger="ashby_agent")
    transport = transport_for(Server(answer), retry=RetryPolicy(max_attempts=2))
    with pytest.raises(AshbyAgentError) as caught:
        await transport.post("candidate.list", {"secretBodyValue": "do-not-log"})
    error = caught.value
    assert_no_secret(everything_about(error))
    assert_no_secret(caplog.text, *(repr(record.args) for record in caplog.records))
    assert "do-not-log" not in caplog.text
    assert "candidate.list" in caplog.text
    if not server_echoes_key:
        # Even a traceback with local variables shows no key of ours (a server that echoes the key puts
        # it in the received bytes, which a locals dump shows as received; the error text is redacted).
        assert_no_secret(str(caught.getrepr(showlocals=True, style="long", chain=True)))


async def test_short_keys_do_not_garble_messages(client_for: Callable[[Server], httpx.AsyncClient]) -> None:
    server = Server(fail("invalid_input", "A key and a value are required."))
    transport = AshbyTransport("a", base_url=URL, http_client=client_for(server))
    with pytest.raises(AshbyValidationError, match="A key and a value are required"):
        await transport.post("a.b", {})


async def test_debug_log_names_endpoint_status_attempt_and_delay(
    transport_for: Callable[..., AshbyTransport], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ashby_agent.transports")
    server = Server(httpx.Response(503, headers={"x-ashby-request-id": "01RID"}), ok())
    await transport_for(server).post("job.list", {"status": ["Open"]})
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "POST job.list -> 503 (attempt 1, request id 01RID)",
        "POST job.list: retrying in 0.500 s (attempt 2/4)",
        "POST job.list -> 200 (attempt 2)",
    ]
    assert all(record.name == "ashby_agent.transports" for record in caplog.records)
