"""Ashby's answer envelope and the hosted service's execute answer, translated both ways in one place.

Inside ashby-agent an operation's answer has one shape everywhere: Ashby's envelope (``results`` and
the paging keys ``moreDataAvailable`` / ``nextCursor`` / ``syncToken``). Only the hosted service's wire
API differs (the Airbyte agent connector API): ``result`` (a list for ``list``, an object for ``get``,
``{"data", "meta"}`` for ``api_search``) and ``connector_metadata`` (``cursor`` / ``has_more`` /
``sync_token``). The service turns an envelope into that answer with :func:`execute_answer`; the hosted
transport turns it back with :func:`ashby_envelope`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ashby_agent.errors import MalformedResponseError
from ashby_agent.pagination import page_meta
from ashby_agent.undecoded import Records, materialize

__all__ = ["ashby_envelope", "execute_answer", "listed_records", "listed_results", "single_result"]


def listed_results(envelope: Mapping[str, Any], endpoint: str, source: str = "Ashby") -> list[Any]:
    """The records of a list answer; an answer without a list is an error, never an empty page."""
    results = envelope.get("results")
    if not isinstance(results, list):
        raise MalformedResponseError(f"{source}'s answer to {endpoint} has no results list")
    return results


def listed_records(envelope: dict[str, Any], endpoint: str, source: str = "Ashby") -> list[Any] | Records:
    """:func:`listed_results`, leaving records that came as bytes (and are a list) as they came."""
    results = envelope.get("results")
    if isinstance(results, Records) and results.is_list:
        return results
    return listed_results(materialize(envelope), endpoint, source)


def single_result(envelope: Mapping[str, Any], endpoint: str, source: str = "Ashby") -> dict[str, Any]:
    """The record of a ``get`` answer."""
    results = envelope.get("results")
    if not isinstance(results, dict):
        raise MalformedResponseError(f"{source}'s answer to {endpoint} has no results object")
    return results


def execute_answer(action: str, envelope: Mapping[str, Any], results: Any) -> tuple[Any, dict[str, Any]]:
    """``(result, connector_metadata)`` of the wire API for ``envelope``, with ``results`` as the
    (possibly projected) records to send."""
    metadata = page_meta(envelope).model_dump()
    if action == "api_search":
        return {"data": results, "meta": metadata}, metadata
    return results, metadata


def ashby_envelope(action: str, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The Ashby envelope a hosted execute ``answer`` stands for (missing parts read as absent)."""
    result = answer.get("result")
    if action == "api_search" and isinstance(result, dict):
        result = result.get("data")
    metadata = answer.get("connector_metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    return {
        "success": True,
        "results": result,
        "moreDataAvailable": metadata.get("has_more") is True,
        "nextCursor": metadata.get("cursor"),
        "syncToken": metadata.get("sync_token"),
    }
