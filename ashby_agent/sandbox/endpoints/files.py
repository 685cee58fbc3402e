"""Files: ``file.info`` (a URL for a file handle) and ``file.createFileUploadHandle`` (an upload slot).

An upload goes in two steps in Ashby: ``file.createFileUploadHandle`` answers a presigned storage URL,
the form ``fields`` to post with the file, and a ``handle``; after the upload, the handle is passed to
``candidate.uploadResume`` / ``candidate.uploadFile``. The sandbox keeps each slot in the ``fileUpload``
table for ten minutes of its clock and cannot see the storage side: a handle counts as uploaded as soon
as it exists. Attaching it makes a FileHandle ``{id, name, handle}`` whose ``file.info`` URL works.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from urllib.parse import quote

import orjson

from ..params import InvalidInput, Param
from ..store import Record
from .endpoint import Ctx, Endpoint, Params, dumps, not_found, ok

UPLOAD_TABLE = "fileUpload"
CONTEXTS = ("CandidateResume", "CandidateFiles", "ApplicationForm")
UPLOAD_TTL_MS = 10 * 60 * 1000
#: The largest ``contentLength`` the sandbox takes (Ashby's limit is unpublished).
MAX_CONTENT_LENGTH = 5 * 1024**3
STORAGE_URL = "https://ashby-sandbox-files.s3.amazonaws.com/"
WRITE = "candidatesWrite"


def _file_info(ctx: Ctx, p: Params) -> bytes:
    """A signed, short-lived URL for a file handle (the generator's ``fileHandle`` table)."""
    with ctx.store.lock:
        record = ctx.store.table("fileHandle").rows.get(p["fileHandle"])
        if record is None:
            raise not_found("file_not_found", "File")
        return ok(dumps({"url": record.get("url")}))


def _create_upload_handle(ctx: Ctx, p: Params) -> bytes:
    filename, content_type = p["filename"].strip(), p["contentType"].strip()
    if not filename or "/" in filename:
        raise InvalidInput(
            '"filename" must be a file name with its extension, such as resume.pdf', "filename"
        )
    if content_type.count("/") != 1 or any(ch.isspace() for ch in content_type):
        raise InvalidInput('"contentType" must be a MIME type, such as application/pdf', "contentType")
    if not 1 <= p["contentLength"] <= MAX_CONTENT_LENGTH:
        raise InvalidInput(
            f'"contentLength" must be the file size in bytes, from 1 to {MAX_CONTENT_LENGTH}', "contentLength"
        )
    handle = secrets.token_urlsafe(32)
    now = ctx.store.now_ms()
    key = f"uploads/{handle[:16]}/{filename}"
    policy = {"expiration": now + UPLOAD_TTL_MS, "key": key, "contentLength": p["contentLength"]}
    record = {
        "handle": handle,
        "_context": p["fileUploadContext"],
        "_filename": filename,
        "_contentType": content_type,
        "_contentLength": p["contentLength"],
        "_expiresMs": now + UPLOAD_TTL_MS,
    }
    with ctx.store.lock:
        ctx.store.create(UPLOAD_TABLE, record, stamped=False)
    fields = {
        "key": key,
        "Content-Type": content_type,
        "policy": base64.b64encode(orjson.dumps(policy)).decode(),
        "x-amz-signature": secrets.token_hex(32),
    }
    return ok(dumps({"handle": handle, "url": STORAGE_URL, "fields": fields}))


def uploaded(ctx: Ctx, handle: str, context: str, param: str) -> Record:
    """The upload slot ``handle`` names, if it was made for ``context`` and has not expired."""
    record = ctx.store.table(UPLOAD_TABLE).rows.get(handle)
    if record is None or record.get("_expiresMs", 0) < ctx.store.now_ms():
        raise InvalidInput(
            f'"{param}" must be a handle from file.createFileUploadHandle made in the last 10 minutes; '
            "create a new one and upload the file again",
            param,
        )
    if record.get("_context") != context:
        raise InvalidInput(
            f'"{param}" was made for fileUploadContext {record.get("_context")}; this endpoint takes a '
            f"handle made with fileUploadContext {context}",
            param,
        )
    return record


def attach(ctx: Ctx, upload: Record) -> Record:
    """A FileHandle ``{id, name, handle}`` for an uploaded file, readable through ``file.info``."""
    name = str(upload.get("_filename"))
    handle = secrets.token_hex(32)
    url = f"{STORAGE_URL}{handle}/{quote(name)}"
    ctx.store.create("fileHandle", {"handle": handle, "url": url}, stamped=False)
    return {"id": str(uuid.uuid4()), "name": name, "handle": handle}


ENDPOINTS: list[Endpoint] = [
    Endpoint("file.info", "candidatesRead", (Param("fileHandle", "str", required=True),), _file_info),
    Endpoint(
        "file.createFileUploadHandle",
        WRITE,
        (
            Param("fileUploadContext", "enum", required=True, choices=CONTEXTS),
            Param("filename", "str", required=True),
            Param("contentType", "str", required=True),
            Param("contentLength", "int", required=True),
        ),
        _create_upload_handle,
    ),
]

__all__ = ["CONTEXTS", "ENDPOINTS", "UPLOAD_TABLE", "attach", "uploaded"]
