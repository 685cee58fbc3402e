"""Personal data kept out of what the model reads: a redaction policy applied to every tool answer.

A policy names categories (``emails``, ``phones``, ``social_links``, ``addresses``) and custom fields
by title (``custom:Salary expectation``). Every text under a key of a named category is replaced by
``[redacted]`` wherever it appears: records of a read, search hits, aggregate group keys
(``primaryEmailAddress.value``) and SQL columns (``primary_email_address``) alike. Objects and lists keep
their shape, and keys that only say what a value is (``type``, ``isPrimary``) stay, so that typed
records still parse. A custom field
whose title is named keeps its title but loses its value. Keys are compared without case or
underscores, so the wire form, snake_case and dotted paths all match.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["CATEGORIES", "REDACTED", "REDACT_ENV", "Redaction"]

REDACT_ENV: Final = "ASHBY_AGENT_REDACT"
REDACTED: Final = "[redacted]"
_CUSTOM: Final = "custom:"

#: Category -> the record keys that hold it (in Ashby's spelling).
CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = {
    "emails": (
        "email",
        "emailAddress",
        "emailAddresses",
        "primaryEmailAddress",
        "alternateEmail",
        "alternateEmailAddresses",
    ),
    "phones": ("phoneNumber", "phoneNumbers", "primaryPhoneNumber"),
    "social_links": ("socialLinks", "linkedInUrl", "githubUrl", "website", "websiteUrl"),
    "addresses": ("address", "postalAddress", "location"),
}
_CUSTOM_FIELD_LISTS: Final = frozenset({"customfields"})


def _norm(key: str) -> str:
    return key.replace("_", "").lower()


@dataclass(frozen=True, slots=True)
class Redaction:
    """A parsed policy; an empty one changes nothing."""

    keys: frozenset[str] = frozenset()
    custom_fields: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, spec: Iterable[str] | str | None = None) -> Redaction:
        """From a list or a comma-separated string (``None``: ``ASHBY_AGENT_REDACT``); an unknown
        category is refused with the valid ones."""
        if spec is None:
            spec = os.environ.get(REDACT_ENV, "")
        items = spec.split(",") if isinstance(spec, str) else list(spec)
        keys: set[str] = set()
        custom: set[str] = set()
        for raw in items:
            if not isinstance(raw, str):
                raise ValueError(f"redact entries must be strings, got {type(raw).__name__}")
            item = raw.strip()
            if not item:
                continue
            if item.lower().startswith(_CUSTOM) and item[len(_CUSTOM) :].strip():
                custom.add(item[len(_CUSTOM) :].strip().lower())
            elif item in CATEGORIES:
                keys.update(_norm(key) for key in CATEGORIES[item])
            else:
                valid = ", ".join([*CATEGORIES, "custom:<field title>"])
                raise ValueError(f"Unknown redaction {item!r}; valid: {valid}.")
        return cls(frozenset(keys), frozenset(custom))

    def __bool__(self) -> bool:
        return bool(self.keys or self.custom_fields)

    def apply(self, value: Any) -> Any:
        """``value`` (JSON data) with the policy's values replaced."""
        if not self:
            return value
        return self._walk(value)

    def _hidden(self, key: str) -> bool:
        return any(_norm(part) in self.keys for part in key.split("."))

    def _walk(self, value: Any) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if self._hidden(str(key)):
                    out[key] = _blank(item)
                elif _norm(str(key)) in _CUSTOM_FIELD_LISTS and isinstance(item, list):
                    out[key] = [self._custom(field) for field in item]
                else:
                    out[key] = self._walk(item)
            return out
        if isinstance(value, list):
            return [self._walk(item) for item in value]
        return value

    def _custom(self, field: Any) -> Any:
        if not isinstance(field, dict):
            return self._walk(field)
        title = field.get("title")
        walked = self._walk(field)
        if isinstance(title, str) and title.strip().lower() in self.custom_fields:
            return {
                key: REDACTED if key not in ("id", "title", "isPrivate", "is_private") else item
                for key, item in walked.items()
            }
        return walked


#: Keys inside a redacted value that say what it is rather than hold it (kept, so records keep their
#: shape and their models still parse them).
_KEPT: Final = frozenset({"type", "isprimary", "id"})


def _blank(value: Any) -> Any:
    """``value`` with every text it holds replaced, its structure (objects, lists) kept."""
    if isinstance(value, str):
        return REDACTED
    if isinstance(value, dict):
        return {key: item if _norm(str(key)) in _KEPT else _blank(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank(item) for item in value]
    return value
