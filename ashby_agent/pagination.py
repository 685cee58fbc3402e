"""Page objects: what a list action returns, and how Ashby's paging keys are read.

Ashby's paging keys (``moreDataAvailable``, ``nextCursor``, ``syncToken``) are read once here, in
:func:`page_meta`; callers see :class:`ListResult` with ``data`` (typed records) and ``meta``
(``cursor``, ``has_more``, ``sync_token``).
"""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import orjson

from ashby_agent.errors import MalformedResponseError
from ashby_agent.undecoded import Records

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = ["ListResult", "PageMeta", "cyclic_gc_paused", "iterate_pages", "page_meta"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Where a listing stands (built on every list call: a plain frozen dataclass, not a pydantic model)."""

    #: Pass as ``cursor`` to get the next page; None on the last page.
    cursor: str | None = None
    #: True when another page exists.
    has_more: bool = False
    #: On the last page of sync-capable lists: pass as ``syncToken`` later to get only changes.
    sync_token: str | None = None

    def model_dump(self, *, mode: Literal["python", "json"] = "python") -> dict[str, Any]:
        """``{"cursor", "has_more", "sync_token"}``, like Pydantic's ``model_dump`` (same in both modes)."""
        return {"cursor": self.cursor, "has_more": self.has_more, "sync_token": self.sync_token}


def page_meta(envelope: Mapping[str, Any]) -> PageMeta:
    """Read Ashby's paging keys (``moreDataAvailable``, ``nextCursor``, ``syncToken``): declared once here."""
    more = envelope.get("moreDataAvailable") is True
    cursor = envelope.get("nextCursor")
    token = envelope.get("syncToken")
    return PageMeta(
        cursor=cursor if more and isinstance(cursor, str) else None,
        has_more=more,
        sync_token=token if isinstance(token, str) else None,
    )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Validating, dumping or decoding a page allocates ~13 objects per nested record and creates no
    reference cycles: the cyclic collector would only rescan them (and, counting its young collections,
    reach its full ones sooner), so it waits, and is left as it was found."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class ListResult(Generic[R]):
    """One page of records (``data``) and where the listing stands (``meta``).

    Records are validated into their typed models on first access to ``data`` (then cached): pydantic
    spends ~1 µs per nested object, ~1 ms for a page of 100 candidates, which a caller who only pages
    through, counts or forwards the page should not pay. Records that arrived as Ashby's bytes
    (:class:`~ashby_agent.undecoded.Records`) are validated from them, never decoded into dicts first.
    ``model_dump``/``model_dump_json`` mirror Pydantic's and give ``{"data": [...], "meta": {...}}``.
    """

    __slots__ = ("_adapter", "_data", "_raw", "meta")

    def __init__(self, data: Sequence[R] = (), meta: PageMeta | None = None) -> None:
        self._data: list[R] | None = list(data)
        self._raw: list[Any] | Records | None = None
        self._adapter: TypeAdapter[list[R]] | None = None
        self.meta = meta or PageMeta()

    @classmethod
    def lazy(cls, raw: list[Any] | Records, adapter: TypeAdapter[list[R]], meta: PageMeta) -> ListResult[R]:
        """A page whose ``raw`` wire records (a JSON list, decoded or not) are validated with
        ``adapter`` when first read."""
        page: ListResult[R] = cls(meta=meta)
        page._data, page._raw, page._adapter = None, raw, adapter
        return page

    @property
    def data(self) -> list[R]:
        """The typed records of this page."""
        if self._data is not None:
            return self._data
        with cyclic_gc_paused():
            return self._validate()

    def _validate(self) -> list[R]:
        """Validate the wire records (once; the caller has paused the collector)."""
        if self._data is None:
            raw, adapter = self._raw, self._adapter
            assert adapter is not None and raw is not None
            from pydantic import ValidationError

            try:
                if isinstance(raw, Records):
                    self._data = adapter.validate_json(raw.raw)
                else:
                    self._data = adapter.validate_python(raw)
            except ValidationError as exc:
                error = exc.errors(include_url=False, include_input=False)[0]
                where = ".".join(str(part) for part in error["loc"])
                raise MalformedResponseError(
                    f"A record on this page does not match its model ({exc.error_count()} problems, "
                    f"first: {where}: {error['msg']}). Please report it with the entity name."
                ) from None
            self._raw = None
        return self._data

    def wire_records(self) -> list[Any]:
        """The records in Ashby's wire form (camelCase keys, omitted stays omitted).

        Not yet read as models, they are returned as Ashby sent them, unvalidated: forwarding a page
        (the hosted service does) then costs nothing; read ones are dumped back to the same form.
        """
        raw = self._raw
        if self._data is None and raw is not None:
            if isinstance(raw, Records):
                decoded: list[Any] = orjson.loads(raw.raw)
                self._raw = decoded
                return decoded
            return raw
        from pydantic import BaseModel

        return [
            record.model_dump(mode="json", by_alias=True, exclude_unset=True)
            if isinstance(record, BaseModel)
            else record
            for record in self.data
        ]

    def __len__(self) -> int:
        return len(self._data) if self._data is not None else len(self._raw or ())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ListResult):
            return NotImplemented
        return self.data == other.data and self.meta == other.meta

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ListResult(records={len(self)}, meta={self.meta!r})"

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        by_alias: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
    ) -> dict[str, Any]:
        """``{"data": [records...], "meta": {...}}``, like Pydantic's ``model_dump``."""
        adapter = self._adapter
        if adapter is not None:  # the page's own adapter dumps the whole list in one call
            # Validating (if not done yet), dumping and wrapping all happen with the collector paused:
            # no tracked allocation of ours then meets a collection while the page's records are young,
            # so a page that is dumped and dropped is never rescanned.
            with cyclic_gc_paused():
                dumped = adapter.dump_python(
                    self._validate(),
                    mode=mode,
                    by_alias=by_alias,
                    exclude_none=exclude_none,
                    exclude_unset=exclude_unset,
                )
                return {"data": dumped, "meta": self.meta.model_dump(mode=mode)}
        from pydantic import BaseModel

        records = [
            record.model_dump(
                mode=mode, by_alias=by_alias, exclude_none=exclude_none, exclude_unset=exclude_unset
            )
            if isinstance(record, BaseModel)
            else record
            for record in self.data
        ]
        return {"data": records, "meta": self.meta.model_dump(mode=mode)}

    def model_dump_json(
        self, *, by_alias: bool = False, exclude_none: bool = False, indent: int | None = None
    ) -> str:
        """The page as a JSON string."""
        adapter = self._adapter
        if adapter is not None and indent is None:
            with cyclic_gc_paused():
                data = adapter.dump_json(self._validate(), by_alias=by_alias, exclude_none=exclude_none)
                meta = json.dumps(self.meta.model_dump(mode="json"))
                return "".join(('{"data":', data.decode(), ',"meta":', meta, "}"))
        dumped = self.model_dump(mode="json", by_alias=by_alias, exclude_none=exclude_none)
        return json.dumps(dumped, indent=indent, ensure_ascii=False)


async def iterate_pages(
    fetch: Callable[[str | None], Awaitable[ListResult[R]]],
) -> AsyncIterator[R]:
    """Yield every record of a listing, fetching pages with ``fetch(cursor)`` until none is left."""
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        for record in page.data:
            yield record
        if not page.meta.has_more or not page.meta.cursor:
            return
        cursor = page.meta.cursor
