"""The serving process's access line is uvicorn's, character for character, from a cheaper formatter."""

from __future__ import annotations

import logging
import sys

import pytest
from uvicorn.logging import AccessFormatter

from ashby_agent.service.access_log import ACCESS_FORMAT, LeanAccessFormatter, log_config

TEMPLATE = '%s - "%s %s HTTP/%s" %d'


def record(*args: object, level: int = logging.INFO, msg: str = TEMPLATE) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.access", level, __file__, 1, msg, args, None)


@pytest.mark.parametrize("status", [200, 201, 204, 304, 401, 404, 422, 429, 500, 502, 599, 999])
@pytest.mark.parametrize("colours", [False, True])
def test_the_line_is_uvicorns(status: int, colours: bool) -> None:
    path = "/api/v1/integrations/connectors/c1/execute?cursor=a%20b"
    for level in (logging.INFO, logging.WARNING):
        entry = record("127.0.0.1:51000", "POST", path, "1.1", status, level=level)
        ours = LeanAccessFormatter(ACCESS_FORMAT, use_colors=colours).format(entry)
        theirs = AccessFormatter(ACCESS_FORMAT, use_colors=colours).format(entry)
        assert ours == theirs


def test_other_records_and_formats_go_through_uvicorns_formatter() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        failing = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            TEMPLATE,
            ("", "GET", "/", "1.1", 500),
            sys.exc_info(),
        )
    assert "ValueError: boom" in LeanAccessFormatter(ACCESS_FORMAT).format(failing)
    custom = "%(client_addr)s %(status_code)s"
    entry = record("10.0.0.1:1", "GET", "/", "1.1", 200)
    assert LeanAccessFormatter(custom).format(entry) == "10.0.0.1:1 200 OK"


def test_the_configuration_is_uvicorns_but_the_access_formatter() -> None:
    from uvicorn.config import LOGGING_CONFIG

    config = log_config()
    assert config["formatters"]["access"].pop("()") == "ashby_agent.service.access_log.LeanAccessFormatter"
    expected = {**LOGGING_CONFIG["formatters"]["access"]}
    expected.pop("()")
    assert config["formatters"]["access"] == expected
    assert {k: v for k, v in config.items() if k != "formatters"} == {
        k: v for k, v in LOGGING_CONFIG.items() if k != "formatters"
    }
    assert LOGGING_CONFIG["formatters"]["access"]["()"] == "uvicorn.logging.AccessFormatter"  # not changed
