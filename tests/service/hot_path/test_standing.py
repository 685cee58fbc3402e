"""The in-process standing cache: an entry is used for at most its staleness bound, :meth:`forget` drops
everything at once, and a read that began before a ``forget`` is not kept (it may predate the change)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from ashby_agent.service.security.standing import STALENESS_SECONDS, Standing


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _row() -> Row[Any]:
    from sqlalchemy import create_engine, text

    with create_engine("sqlite://").connect() as connection:
        row = connection.execute(text("SELECT 'c1' AS id, 3 AS credential_version")).first()
    assert row is not None
    return row


def test_the_bound_is_stated_and_small() -> None:
    assert 0 < STALENESS_SECONDS <= 2


def test_an_entry_is_used_until_its_bound_then_read_again() -> None:
    clock = _Clock()
    standing = Standing(staleness=1.0, clock=clock)
    assert standing.client("cl", "org") is None
    standing.remember_client("cl", "org", True, standing.now())
    row = _row()
    standing.remember_connector("org", None, "c1", row, standing.now())
    clock.now += 1.0
    assert standing.client("cl", "org") is True
    assert standing.connector("org", None, "c1") is row
    assert standing.connector("org", "ws", "c1") is None  # another scope is another entry
    clock.now += 0.01
    assert standing.client("cl", "org") is None
    assert standing.connector("org", None, "c1") is None


def test_staleness_counts_from_when_the_read_began() -> None:
    clock = _Clock()
    standing = Standing(staleness=1.0, clock=clock)
    began = standing.now()
    clock.now += 0.9  # a slow read
    standing.remember_client("cl", "org", False, began)
    clock.now += 0.2
    assert standing.client("cl", "org") is None


def test_forget_drops_everything_and_reads_begun_before_it() -> None:
    clock = _Clock()
    standing = Standing(clock=clock)
    standing.remember_client("cl", "org", True, standing.now())
    began = standing.now()
    clock.now += 0.001
    standing.forget()  # e.g. a connector was deleted through this process while a read was running
    assert standing.client("cl", "org") is None
    standing.remember_client("cl2", "org", True, began)
    standing.remember_connector("org", None, "c1", _row(), began)
    assert standing.client("cl2", "org") is None
    assert standing.connector("org", None, "c1") is None
    clock.now += 0.001
    standing.remember_client("cl2", "org", True, standing.now())  # a read begun after it is kept
    assert standing.client("cl2", "org") is True


def test_forget_connector_drops_one_entry() -> None:
    standing = Standing()
    row = _row()
    standing.remember_connector("org", None, "c1", row, standing.now())
    standing.remember_connector("org", None, "c2", row, standing.now())
    standing.forget_connector("org", None, "c1")
    assert standing.connector("org", None, "c1") is None
    assert standing.connector("org", None, "c2") is row
