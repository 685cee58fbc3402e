"""File reads: ``file.info``, a URL for a file handle, under ``candidatesRead``."""

from __future__ import annotations

from ..params import Param
from .endpoint import Ctx, Endpoint, Params, dumps, not_found, ok


def _file_info(ctx: Ctx, p: Params) -> bytes:
    """A signed, short-lived URL for a file handle (the generator's ``fileHandle`` table)."""
    with ctx.store.lock:
        record = ctx.store.table("fileHandle").rows.get(p["fileHandle"])
        if record is None:
            raise not_found("file_not_found", "File")
        return ok(dumps({"url": record.get("url")}))


ENDPOINTS: list[Endpoint] = [
    Endpoint("file.info", "candidatesRead", (Param("fileHandle", "str", required=True),), _file_info),
]

__all__ = ["ENDPOINTS"]
