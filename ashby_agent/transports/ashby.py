"""Straight to Ashby: one pooled HTTP client, Basic auth, and retries through the shared send loop.

Every Ashby endpoint is ``POST /<noun>.<verb>`` with a JSON body, answering an envelope with a boolean
``success``. :class:`AshbyTransport` returns the envelope when ``success`` is true and raises the
:mod:`ashby_agent.errors` exception that :mod:`~ashby_agent.transports.error_map` maps the answer to
otherwise, outside any ``except`` block, so neither an httpx exception nor its request (with the
``Authorization`` header) is chained into a traceback.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Final

import httpx
import orjson

from ashby_agent._version import __version__
from ashby_agent.errors import AshbyAgentError, InvalidRequestError
from ashby_agent.retry import RetryPolicy, parse_retry_after
from ashby_agent.transports.base import Mode, Transport
from ashby_agent.transports.error_map import (
    MAYBE_SENT_ERRORS,
    UNSENT_ERRORS,
    Redactor,
    connection_error,
    error_from_response,
)
from ashby_agent.transports.retrying import Retrier, Retryable
from ashby_agent.transports.tls import shared_ssl_context
from ashby_agent.transports.urls import parsed_url
from ashby_agent.undecoded import decode_envelope

if TYPE_CHECKING:
    from pydantic import SecretStr

    from ashby_agent.connectors.ashby.operation import Operation

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_LIMITS",
    "DEFAULT_TIMEOUT",
    "AshbyHTTPClient",
    "AshbyTransport",
    "ashby_http_client",
]

DEFAULT_BASE_URL: Final = "https://api.ashbyhq.com"
#: Reads of large pages can be slow; a connect that takes longer than 5 s is a network problem.
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=32, max_keepalive_connections=16, keepalive_expiry=30.0)
BASE_URL_ENV: Final = "ASHBY_API_URL"

_LOG = logging.getLogger("ashby_agent.transports")

#: Sent unless ``user_agent=`` is given.
_DEFAULT_USER_AGENT: Final = f"ashby-agent/{__version__}"


class _NoCookies(httpx.Cookies):
    """An empty jar that keeps nothing: reading ``Set-Cookie`` costs nothing and nothing is sent."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set_cookie_header(self, request: httpx.Request) -> None:
        return None


_NO_COOKIES: Final = _NoCookies()


class AshbyHTTPClient(httpx.AsyncClient):
    """The client :func:`ashby_http_client` builds: no cookies (Ashby's API needs none, and the service
    shares one client between many keys), and no defaults of its own that a request would need merged
    in, so :class:`AshbyTransport` hands it whole requests (:meth:`httpx.AsyncClient.send`)."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        return None


def ashby_http_client(
    *,
    limits: httpx.Limits = DEFAULT_LIMITS,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    transport: httpx.AsyncBaseTransport | None = None,
    event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
) -> httpx.AsyncClient:
    """The HTTP client for Ashby (:class:`AshbyHTTPClient`): the process's TLS context and, unless
    ``transport`` is given, the package's HTTP/1.1 keep-alive
    (:class:`~ashby_agent.transports.http11.KeepAliveTransport`).
    """
    if transport is None:  # httptools loads with the first client, not with the connector
        from ashby_agent.transports.http11 import KeepAliveTransport

        transport = KeepAliveTransport(shared_ssl_context(), limits)
    return AshbyHTTPClient(
        timeout=timeout,
        limits=limits,
        transport=transport,
        verify=shared_ssl_context(),
        event_hooks=event_hooks,
    )


def _resolve_base_url(base_url: str | None) -> str:
    url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InvalidRequestError(
            f"Ashby base URL {url!r} must start with http:// or https:// (argument or {BASE_URL_ENV})."
        )
    return url


class AshbyTransport(Transport):
    """Sends ``POST /<endpoint>`` calls to Ashby and returns the success envelope.

    One pooled :class:`httpx.AsyncClient` per transport; pass ``http_client=`` to share one (it is then
    yours to close, and its own timeout applies unless ``timeout=`` is given), or ``http_transport=`` to
    run the client this transport creates over another httpx transport (e.g. ``httpx.ASGITransport`` over
    the sandbox app). ``sleep``, ``rng``, ``clock`` and ``wall_clock`` (for ``Retry-After`` dates) let
    tests drive retries without monkeypatching.
    """

    mode: ClassVar[Mode] = "local"

    def __init__(
        self,
        api_key: SecretStr | str,
        *,
        base_url: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        user_agent: str | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        # The key is kept only inside the headers and the redactor, whose reprs hide it.
        key = api_key if isinstance(api_key, str) else api_key.get_secret_value()
        self.base_url = _resolve_base_url(base_url)
        self._retrier = Retrier(retry, sleep=sleep, clock=clock, rng=rng)
        token = base64.b64encode(f"{key}:".encode()).decode("ascii")
        # httpx.Headers masks Authorization in its repr, so the key stays out of reprs and locals dumps.
        self._headers = httpx.Headers(
            {
                "Authorization": f"Basic {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": user_agent or _DEFAULT_USER_AGENT,
            }
        )
        self._redact = Redactor(token, key)
        self._owns_client = http_client is None
        self._client = http_client
        self._http_transport = http_transport
        self._timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        # A shared client keeps its own timeout unless the caller asked for one explicitly.
        self._request_timeout: httpx.Timeout | Any = (
            httpx.USE_CLIENT_DEFAULT if http_client is not None and timeout is None else self._timeout
        )
        self._prefix = self.base_url + "/"
        self._host = httpx.URL(self.base_url).host or self.base_url
        self._closed = False
        #: For an AshbyHTTPClient: that client, and its requests' merged headers and extensions.
        self._whole: tuple[httpx.AsyncClient, httpx.Headers, dict[str, Any]] | None = None
        #: Reads a ``Retry-After`` given as an HTTP date.
        self._wall_clock = wall_clock

    @property
    def retry(self) -> RetryPolicy:
        return self._retrier.policy

    def __repr__(self) -> str:
        return f"AshbyTransport(base_url={self.base_url!r}, api_key=SecretStr('**********'))"

    async def aclose(self) -> None:
        """Close the HTTP client if this transport created it; a client passed in is left open."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None and self._owns_client:
            await client.aclose()

    def _get_client(self) -> httpx.AsyncClient:
        if self._closed:
            raise InvalidRequestError("This AshbyTransport is closed; create a new one.")
        client = self._client
        if client is None:
            client = self._client = ashby_http_client(timeout=self._timeout, transport=self._http_transport)
        elif client.is_closed:
            raise InvalidRequestError("The http_client given to AshbyTransport is closed; pass an open one.")
        return client

    def _whole_requests(self, client: httpx.AsyncClient) -> tuple[httpx.Headers, dict[str, Any]] | None:
        """The headers and extensions of a request :meth:`httpx.AsyncClient.send` can take as it is (for
        an :class:`AshbyHTTPClient`: what ``client.post`` would merge in, merged once), else ``None``."""
        if type(client) is not AshbyHTTPClient:
            return None
        if self._whole is None or self._whole[0] is not client:
            headers = client.headers.copy()
            headers.update(self._headers)
            timeout = client.timeout if self._request_timeout is httpx.USE_CLIENT_DEFAULT else self._timeout
            self._whole = (client, headers, {"timeout": timeout.as_dict()})
        return self._whole[1], self._whole[2]

    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /<op.endpoint>``; writes are retried only where Ashby surely did not act."""
        return await self.post(op.endpoint, body, idempotent=op.read_only)

    async def send_listing(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`send` with the page's records left as the bytes Ashby sent."""
        return await self.post(op.endpoint, body, idempotent=op.read_only, decode=decode_envelope)

    async def post(
        self,
        endpoint: str,
        body: Mapping[str, Any] | None = None,
        *,
        idempotent: bool = True,
        decode: Callable[[bytes], Any] = orjson.loads,
    ) -> dict[str, Any]:
        """Call ``POST /<endpoint>`` (e.g. ``"candidate.list"``); return the envelope (``success: true``).

        Retries 429 (honouring ``Retry-After``), 5xx, timeouts and dropped connections per the
        :class:`RetryPolicy`. With ``idempotent=False`` (writes) only failures where Ashby surely did not
        act are retried: 429 and connections that never opened. Raises an
        :class:`~ashby_agent.errors.AshbyAgentError` subclass otherwise. ``decode`` reads the body (it
        raises :class:`orjson.JSONDecodeError` for one that is not JSON); the hosted service passes one
        that leaves the records undecoded.
        """
        client = self._get_client()
        if type(body) is not dict:  # orjson encodes dicts, not arbitrary Mappings
            body = {} if body is None else dict(body)
        try:
            content = orjson.dumps(body)
        except TypeError as exc:  # orjson.JSONEncodeError subclasses TypeError
            raise InvalidRequestError(f"The body for {endpoint} is not JSON-serialisable: {exc}.") from None
        url = self._prefix + endpoint.lstrip("/")
        whole = self._whole_requests(client)

        async def attempt(number: int) -> dict[str, Any]:
            try:
                if whole is not None:  # a client of ours: the request as it is sent, built once here
                    headers, extensions = whole
                    request = httpx.Request(
                        "POST", parsed_url(url), content=content, headers=headers, extensions=extensions
                    )
                    response = await client.send(request)
                else:
                    response = await client.post(
                        url, content=content, headers=self._headers, timeout=self._request_timeout
                    )
            except httpx.TransportError as exc:
                error: AshbyAgentError = connection_error(exc, endpoint, self._host, self._redact)
                _LOG.debug("POST %s failed: %s (attempt %d)", endpoint, type(exc).__name__, number)
                if isinstance(exc, UNSENT_ERRORS) or (idempotent and isinstance(exc, MAYBE_SENT_ERRORS)):
                    raise Retryable(error) from None
                raise error from None
            status = response.status_code
            raw = response.content
            try:
                # Not with the collector paused: the decoded records would then all meet its next pass
                # at once (measured slower for typed reads).
                data = decode(raw)
            except orjson.JSONDecodeError:
                data = None
            if type(data) is dict and data.get("success") is True and 200 <= status < 300:
                _LOG.debug("POST %s -> %d (attempt %d)", endpoint, status, number)
                return data
            headers = response.headers
            _LOG.debug(
                "POST %s -> %d (attempt %d, request id %s)",
                endpoint,
                status,
                number,
                headers.get("x-ashby-request-id"),
            )
            error = error_from_response(status, data, headers, endpoint, raw=raw, redact=self._redact)
            if status == 429 or (idempotent and status >= 500):
                raise Retryable(error, parse_retry_after(headers.get("retry-after"), now=self._wall_clock()))
            raise error

        return await self._retrier.run(attempt, f"POST {endpoint}")
