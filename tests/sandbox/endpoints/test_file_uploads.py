"""``file.createFileUploadHandle`` over real HTTP: the upload slot's shape and validation (what the
handle is then good for is in ``test_candidate_writes``)."""

from __future__ import annotations

import base64
import json
from typing import Any

import orjson
import pytest
from hypothesis import given

from ashby_agent.sandbox import SandboxHandle
from ashby_agent.sandbox.endpoints.files import MAX_CONTENT_LENGTH
from tests.sandbox.conftest import Api
from tests.sandbox.endpoints.conftest import error, results
from tests.sandbox.strategies import HTTP, WIDE_NUMBERS

BODY = {"fileUploadContext": "CandidateResume", "filename": "resume.pdf", "contentType": "application/pdf",
        "contentLength": 102400}  # fmt: skip


def test_a_handle_comes_with_a_presigned_url_and_its_form_fields(wapi: Api, wsb: SandboxHandle) -> None:
    upload = results(wapi("file.createFileUploadHandle", **BODY))
    assert set(upload) == {"handle", "url", "fields"}
    assert upload["url"].startswith("https://")
    assert all(isinstance(v, str) for v in upload["fields"].values())
    assert upload["fields"]["Content-Type"] == "application/pdf"
    assert upload["fields"]["key"].endswith("/resume.pdf")
    policy = orjson.loads(base64.b64decode(upload["fields"]["policy"]))
    assert policy["contentLength"] == 102400
    slots = wsb.control.records("fileUpload")
    assert [s["handle"] for s in slots] == [upload["handle"]]
    assert slots[0]["_context"] == "CandidateResume"
    other = results(wapi("file.createFileUploadHandle", **BODY))
    assert other["handle"] != upload["handle"]


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"fileUploadContext": "OfferLetter"}, "fileUploadContext"),
        ({"fileUploadContext": None}, "fileUploadContext"),
        ({"filename": "  "}, "filename"),
        ({"filename": "a/b.pdf"}, "filename"),
        ({"contentType": "pdf"}, "contentType"),
        ({"contentType": "application/ pdf"}, "contentType"),
        ({"contentLength": 0}, "contentLength"),
        ({"contentLength": MAX_CONTENT_LENGTH + 1}, "contentLength"),
        ({"contentLength": "big"}, "contentLength"),
        ({"contentLength": None}, "contentLength"),
    ],
)
def test_upload_handle_refusals(
    wapi: Api, wsb: SandboxHandle, change: dict[str, Any], parameter: str
) -> None:
    error(wapi("file.createFileUploadHandle", **{**BODY, **change}), "invalid_input", parameter)
    assert wsb.control.records("fileUpload") == []


def test_any_content_length_is_answered_in_an_envelope(wapi: Api) -> None:
    @HTTP
    @given(WIDE_NUMBERS)
    def check(value: Any) -> None:
        body = json.dumps({**BODY, "contentLength": value})
        response = wapi.raw("file.createFileUploadHandle", body, headers={"content-type": "application/json"})
        assert response.status_code == 200, response.text
        payload = response.json()
        if not payload["success"]:
            info = payload["errorInfo"]
            assert info["code"] == "invalid_input"
            assert (
                info.get("meta") == {"parameter": "contentLength"}
                or info["message"] == "Request payload is malformed"
            )

    check()
