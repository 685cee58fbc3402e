"""``/openapi.json``, rendered from the same :class:`~ashby_agent.service.api.routing.Endpoint` declarations
and wire models the app routes with, so the document describes what the service does.

It states the rules the handlers enforce, not only the types: path ids are the service's UUIDs, query
strings hold no control characters (:meth:`~ashby_agent.service.api.routing.Call.query`), and a body
narrower than its model (execute's, derived from the catalog) is published as the endpoint declares it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ashby_agent.service.api.routing import API_PREFIX, Endpoint
from ashby_agent.wire import ID_PATTERN, ErrorBody

__all__ = ["openapi_document"]

_PATH_PARAM = re.compile(r"{(\w+)}")
_REF = "#/components/schemas/{model}"
_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, credentials that fit no auth scheme, organization required, a "
    "header with control characters).",
    401: "Missing, invalid or expired token; revoked client.",
    403: "Token valid but not allowed (wrong organization, token kind or workspace).",
    404: "No such workspace/connector visible to this token (or Ashby found no such record).",
    409: "Conflict (name taken).",
    413: "Request body too large.",
    422: "Schema validation failed; errors name every field and the valid choices.",
    429: "Rate limited; retry after Retry-After seconds.",
    502: "Ashby failed or rejected the stored credentials; Ashby's error code in errors[0].error_code.",
}


#: Query strings and header values: no control characters (see ``Call.query``).
_QUERY_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"


def _without_control_characters(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema with the rule every query string follows: no control characters."""
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        return {**schema, "pattern": _QUERY_PATTERN}
    if "anyOf" in schema:
        return {**schema, "anyOf": [_without_control_characters(branch) for branch in schema["anyOf"]]}
    return schema


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _without_control_characters(prop),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(endpoint: Endpoint, refs: Mapping[Any, dict[str, Any]]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "uuid", "pattern": ID_PATTERN},
        }
        for name in _PATH_PARAM.findall(endpoint.path)
    ]
    if endpoint.query is not None:
        parameters += _query_parameters(endpoint.query)
    parameters.append(
        {
            "name": "X-Organization-Id",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": _QUERY_PATTERN},
            "description": "Target organization; must match the token's (required at token time for "
            "multi-organization clients).",
        }
    )
    success: dict[str, Any] = {"description": "Success."}
    if endpoint.response is not None:
        success["content"] = {"application/json": {"schema": refs[(endpoint.response, "serialization")]}}
    error_schema = {"application/json": {"schema": refs[(ErrorBody, "serialization")]}}
    responses: dict[str, Any] = {str(endpoint.status): success}
    # Every endpoint reads X-Organization-Id, so every one may answer 400 (a header with control characters).
    for status in sorted({*endpoint.errors, 400}):
        response: dict[str, Any] = {
            "description": _DESCRIPTIONS.get(status, "Error."),
            "content": error_schema,
        }
        if status == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
        responses[str(status)] = response
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "parameters": parameters,
        "responses": responses,
        "security": [] if endpoint.access == "public" else [{"bearer": []}],
    }
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(endpoint.body, "validation")]}},
        }
    return operation


def openapi_document(endpoints: Sequence[Endpoint], version: str) -> dict[str, Any]:
    keys: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorBody, "serialization")]
    for endpoint in endpoints:
        if endpoint.body is not None and endpoint.body_schema is None:
            keys.append((endpoint.body, "validation"))
        if endpoint.response is not None:
            keys.append((endpoint.response, "serialization"))
    refs, definitions = models_json_schema(list(dict.fromkeys(keys)), ref_template=_REF)
    schemas: dict[str, Any] = definitions.get("$defs", {})
    refs = dict(refs)
    for endpoint in endpoints:
        if endpoint.body is not None and endpoint.body_schema is not None:
            schemas[endpoint.body.__name__] = endpoint.body_schema()
            refs[(endpoint.body, "validation")] = {"$ref": _REF.format(model=endpoint.body.__name__)}
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(API_PREFIX + endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ashby-agent hosted API",
            "version": version,
            "description": "Organizations, workspaces and Ashby connectors; execute catalog operations. "
            "Every error is {message, errors: [{field, message, error_code}]}.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
