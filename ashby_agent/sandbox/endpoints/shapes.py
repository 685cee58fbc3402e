"""The handler shapes every Ashby read endpoint is built from, and the filters they take.

Ashby's read endpoints come in four shapes: cursor-paginated lists (with or without ``syncToken``),
``*.info`` lookups by id, and plain lists/searches. Declaring each endpoint as one of these keeps the
envelope keys, the pagination and the error codes identical across the families; the endpoint modules
only say which table, which filters and which permission.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..params import Param, page_limit
from ..store import Record, SortKey, StoreError, Table, created_after_key, fingerprint, iso_ms
from .endpoint import ApiError, Ctx, Endpoint, Params, not_found, ok, ok_rows

Accept = Callable[[Record], bool]


def created_of(record: Record) -> str:
    """The creation instant used by ``createdAfter`` (openings carry it on their latest version)."""
    created = record.get("createdAt")
    if isinstance(created, str):
        return created
    submitted = record.get("submittedAt")
    if isinstance(submitted, str):
        return submitted
    version = record.get("latestVersion")
    if isinstance(version, dict) and isinstance(version.get("createdAt"), str):
        return str(version["createdAt"])
    return ""


def _all_of(tests: list[Accept]) -> Accept | None:
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda record: all(test(record) for test in tests)


# -- the handler shapes -----------------------------------------------------------------------------
def paged_list(
    name: str,
    permission: str,
    table_name: str,
    params: tuple[Param, ...],
    *,
    sync: bool,
    accept: Callable[[Ctx, Params], Accept | None] | None = None,
    keys: Callable[[Ctx, Table, Params], list[SortKey] | None] | None = None,
    render: Callable[[Ctx, Table, Params], Callable[[str], bytes]] | None = None,
    parent: tuple[str, str, str] | None = None,
    strict_schema: bool = False,
) -> Endpoint:
    """A cursor-paginated list; with ``sync`` it also accepts and returns ``syncToken``.

    ``parent`` = (table, param, not-found code) for child lists such as ``candidate.listNotes``.
    """

    def handler(ctx: Ctx, p: Params) -> bytes:
        limit = page_limit(p)
        store = ctx.store
        with store.lock:
            if parent is not None:
                require_parent(ctx, parent[0], p[parent[1]], parent[2])
            table = store.table(table_name)
            fp = fingerprint(p)
            try:
                if "cursor" in p:
                    state = store.decode_cursor(p["cursor"], name, fp)
                else:
                    since = None
                    if sync and "syncToken" in p:
                        since = store.decode_sync_token(p["syncToken"], name)
                        pages = math.ceil(store.delta_size(table, since) / limit)
                        if pages > store.sync_page_budget:
                            raise StoreError(
                                "incremental_sync_too_large",
                                f"The incremental sync would return {pages} pages (more than "
                                f"{store.sync_page_budget}); discard the syncToken and run a full sync.",
                            )
                    state = store.start_state(name, fp, since)
            except StoreError as exc:
                raise ApiError(exc.code, exc.message) from exc
            tests: list[Accept] = []
            if state.since_seq is not None:
                ctx = replace(ctx, delta=True)
            custom = accept(ctx, p) if accept else None
            if custom is not None:
                tests.append(custom)
            subset = keys(ctx, table, p) if keys else None
            lower = None
            if "createdAfter" in p:
                lower = created_after_key(p["createdAfter"])
                if state.since_seq is not None or not table.sorted_by_created:
                    after_iso = iso_ms(p["createdAfter"])
                    tests.append(lambda record: created_of(record) > after_iso)
                    lower = None
            page = store.walk(table, state, limit, accept=_all_of(tests), keys=subset, lower=lower)
            one = render(ctx, table, p) if render else table.json
            rows = b",".join([one(row_id) for row_id in page.ids])
            if page.next_state is not None:
                cursor = store.encode_cursor(page.next_state)
                tail = b'],"moreDataAvailable":true,"nextCursor":"' + cursor.encode() + b'"}'
            elif sync:
                token = store.encode_sync_token(name, page.sync_seq)
                tail = b'],"moreDataAvailable":false,"syncToken":"' + token.encode() + b'"}'
            else:
                tail = b'],"moreDataAvailable":false}'
        return b'{"success":true,"results":[' + rows + tail

    return Endpoint(name, permission, params, handler, strict_schema)


def info(
    name: str,
    permission: str,
    table_name: str,
    id_param: str,
    not_found_code: str,
    *,
    extra: tuple[Param, ...] = (),
    render: Callable[[Ctx, Table, str, Params], bytes] | None = None,
) -> Endpoint:
    """A ``*.info`` lookup: non-UUID → ``invalid_input``, unknown → ``<entity>_not_found``."""
    what = not_found_code.removesuffix("_not_found").replace("_", " ").capitalize()

    def handler(ctx: Ctx, p: Params) -> bytes:
        with ctx.store.lock:
            table = ctx.store.table(table_name)
            row_id = p[id_param]
            if row_id not in table.rows:
                raise not_found(not_found_code, what)
            return ok(render(ctx, table, row_id, p) if render else table.json(row_id))

    return Endpoint(name, permission, (Param(id_param, "uuid", required=True), *extra), handler)


def plain(
    name: str,
    permission: str,
    params: tuple[Param, ...],
    rows: Callable[[Ctx, Params], Iterable[bytes]],
    *,
    more_false: bool = False,
    strict_schema: bool = False,
) -> Endpoint:
    """An unpaginated list or search: ``{success, results}`` only."""

    def handler(ctx: Ctx, p: Params) -> bytes:
        with ctx.store.lock:
            return ok_rows(list(rows(ctx, p)), more_false=more_false)

    return Endpoint(name, permission, params, handler, strict_schema)


def table_rows(
    ctx: Ctx, table_name: str, accept: Accept | None = None, limit: int | None = None
) -> list[bytes]:
    """Cached bytes of a table's records in key order, filtered, optionally capped (searches: 100)."""
    table = ctx.store.table(table_name)
    out: list[bytes] = []
    for key in table.keys:
        if accept is None or accept(table.rows[key[2]]):
            out.append(table.json(key[2]))
            if limit is not None and len(out) >= limit:
                break
    return out


def hide_archived(
    flag: str = "includeArchived", field_name: str = "isArchived"
) -> Callable[[Ctx, Params], Accept | None]:
    """The default-hiding rule of most metadata lists; a delta still reports archiving."""

    def build(ctx: Ctx, p: Params) -> Accept | None:
        if p.get(flag) or ctx.delta:
            return None
        return lambda record: not record.get(field_name)

    return build


def by_field(field_name: str, param: str) -> Callable[[Ctx, Table, Params], list[SortKey] | None]:
    """Narrow a walk to the records whose ``field_name`` equals the ``param`` value (via an index)."""

    def keys(_ctx: Ctx, table: Table, p: Params) -> list[SortKey] | None:
        if param not in p:
            return None
        index = table.index(field_name, lambda record: (record.get(field_name),))
        return index.get(p[param], [])

    return keys


def require_parent(ctx: Ctx, table_name: str, row_id: str, code: str) -> Record:
    """The parent record a child list hangs off (``candidateId`` of listNotes, ...), or not-found."""
    record = ctx.store.table(table_name).rows.get(row_id)
    if record is None:
        raise not_found(code, code.removesuffix("_not_found").replace("_", " ").capitalize())
    return record


__all__ = [
    "Accept",
    "by_field",
    "created_of",
    "hide_archived",
    "info",
    "paged_list",
    "plain",
    "require_parent",
    "table_rows",
]
