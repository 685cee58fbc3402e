"""The store's table indexes stay what a fresh build would give after any sequence of writes (in
process): writes update them in place instead of dropping them."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.sandbox.store import Clock, Record, Store
from tests.sandbox.conftest import NOW_MS
from tests.sandbox.strategies import IN_PROCESS

GROUPS = st.sampled_from(["a", "b", "c", None])
#: One write: create (group, tags, createdAt day), update (row, group, tags, day), delete (row).
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("create"), GROUPS, st.lists(GROUPS, max_size=3), st.integers(0, 5)),
        st.tuples(
            st.just("update"), st.integers(0, 30), GROUPS, st.lists(GROUPS, max_size=3), st.integers(0, 5)
        ),
        st.tuples(st.just("delete"), st.integers(0, 30)),
    ),
    max_size=30,
)


def _group(record: Record) -> tuple[Any, ...]:
    return (record.get("group"),)


def _tags(record: Record) -> tuple[Any, ...]:
    return tuple(record.get("tags") or ())


def _fresh(store: Store, name: str, values: Any) -> dict[Any, list[Any]]:
    table = store.table("note")
    built: dict[Any, list[Any]] = {}
    for key in table.keys:
        for value in values(table.rows[key[2]]):
            built.setdefault(value, []).append(key)
    return built


@IN_PROCESS
@given(WRITES)
def test_indexes_follow_every_write(writes: list[tuple[Any, ...]]) -> None:
    store = Store(
        {"note": [{"id": "n0", "createdAt": "2026-01-01T00:00:00.000Z", "group": "a"}]}, Clock(NOW_MS)
    )
    table = store.table("note")
    table.index("group", _group)
    table.index("tags", _tags)
    for write in writes:
        ids = sorted(table.rows)
        if write[0] == "create":
            _kind, group, tags, day = write
            store.create(
                "note", {"group": group, "tags": tags, "createdAt": f"2026-01-0{day + 1}T00:00:00.000Z"}
            )
        elif ids and write[0] == "update":
            _kind, at, group, tags, day = write
            fields = {"group": group, "tags": tags, "createdAt": f"2026-01-0{day + 1}T00:00:00.000Z"}
            store.update("note", ids[at % len(ids)], fields)
        elif ids:
            store.delete("note", ids[write[1] % len(ids)])
        assert table.index("group", _group) == _fresh(store, "group", _group)
        assert table.index("tags", _tags) == _fresh(store, "tags", _tags)
