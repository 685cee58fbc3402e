"""Errors of the sandbox's control surface (``SandboxControl`` and its ``/_sandbox`` HTTP mirror).

Ashby's own answers are envelopes (``endpoints.endpoint.ApiError``); these are the sandbox's: a value
the control surface cannot take (400) or a table or record that does not exist (404). Their message is
one sentence written here, never a Python exception's text, so the HTTP mirror can show it as is.
They subclass ``ValueError`` / ``KeyError`` so in-process callers can catch the builtin they expect.
"""

from __future__ import annotations

from typing import Any

_SHOWN_CHARS = 40


class ControlError(Exception):
    """A control call that cannot be done as asked; ``message`` says why and what would work."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return self.message


class InvalidValue(ControlError, ValueError):
    """A value outside what the control surface accepts (HTTP 400)."""


class NotFound(ControlError, KeyError):
    """No such table or record (HTTP 404)."""

    status = 404


def describe(value: Any) -> str:
    """A short, safe rendering of a rejected value: never a huge or deeply nested repr."""
    if value is None or isinstance(value, bool | float):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10**30 else "a huge integer"
    if isinstance(value, str):
        shown = repr(value[:_SHOWN_CHARS])
        return shown + "…" if len(value) > _SHOWN_CHARS else shown
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def number(name: str, value: Any, low: float, high: float, what: str = "a number") -> float:
    """``value`` if it is a finite number (not a boolean) in ``[low, high]``, else ``InvalidValue``."""
    # NaN fails both comparisons and infinities fail one, so finite bounds also reject them.
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidValue(
            f'"{name}" must be {what} from {_bound(low)} to {_bound(high)}; got {describe(value)}.'
        )
    return value


def _bound(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else repr(value)


def integer(name: str, value: Any, low: int, high: int) -> int:
    """``value`` if it is an integer (not a boolean) in ``[low, high]``, else ``InvalidValue``."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidValue(f'"{name}" must be an integer from {low} to {high}; got {describe(value)}.')
    return value


__all__ = ["ControlError", "InvalidValue", "NotFound", "describe", "integer", "number"]
