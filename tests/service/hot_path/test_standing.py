"""The in-process standing cache: an entry is used for at most its staleness bound, :meth:`forget` drops
everything at once, and a read that began before a ``forget`` is not kept (it may predate the change).
An entry in use is renewed in the background before it expires, and concurrent misses of a connector
share one read, within the same bound."""

from __future__ import annotations

import asyncio
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


class _Reads:
    """A read the test releases by hand, counting how often it was started."""

    def __init__(self, value: Any = True) -> None:
        self.started = 0
        self.value = value
        self.release = asyncio.Event()

    async def __call__(self) -> Any:
        self.started += 1
        await self.release.wait()
        return self.value


async def test_concurrent_misses_of_a_connector_share_one_read() -> None:
    standing = Standing(clock=_Clock())
    read = _Reads(_row())
    waiting = [asyncio.create_task(standing.connector_through("org", None, "c1", read)) for _ in range(20)]
    await asyncio.sleep(0)
    read.release.set()
    assert await asyncio.gather(*waiting) == [read.value] * 20
    assert read.started == 1
    assert standing.connector("org", None, "c1") is read.value


async def test_an_entry_near_its_bound_is_served_and_read_again_meanwhile() -> None:
    clock = _Clock()
    standing = Standing(staleness=1.0, clock=clock)
    assert standing.client_renewing("cl", "org", _Reads()) is None  # a miss: the caller reads
    standing.remember_client("cl", "org", True, standing.now())
    read = _Reads(value=False)  # revoked meanwhile
    clock.now += 0.7
    assert standing.client_renewing("cl", "org", read) is True
    await asyncio.sleep(0)
    assert read.started == 0
    clock.now += 0.1
    assert standing.client_renewing("cl", "org", read) is True  # still within the bound
    assert standing.client_renewing("cl", "org", read) is True
    await asyncio.sleep(0)
    assert read.started == 1  # one read in the background, however many requests
    read.release.set()
    await asyncio.sleep(0)
    assert standing.client_renewing("cl", "org", read) is False
    clock.now += 0.95  # the background read's answer counts from when it began (at +0.8 s)
    assert standing.client("cl", "org") is False
    clock.now += 0.1
    assert standing.client("cl", "org") is None


async def test_a_read_begun_before_forget_or_beyond_the_bound_is_not_joined() -> None:
    clock = _Clock()
    standing = Standing(staleness=1.0, clock=clock)
    old, new = _row(), _row()
    before = _Reads(old)
    first = asyncio.create_task(standing.connector_through("org", None, "c1", before))
    await asyncio.sleep(0)
    standing.forget()  # e.g. the connector was changed through this process
    after = _Reads(new)
    second = asyncio.create_task(standing.connector_through("org", None, "c1", after))
    await asyncio.sleep(0)
    clock.now += 1.5  # a read that has been running longer than the bound
    late = _Reads(new)
    third = asyncio.create_task(standing.connector_through("org", None, "c1", late))
    for _ in range(2):  # the caller starts the read's task, which then starts the read
        await asyncio.sleep(0)
    assert (before.started, after.started, late.started) == (1, 1, 1)
    for read in (before, after, late):
        read.release.set()
    results = await asyncio.gather(first, second, third)
    assert [result is old for result in results] == [True, False, False]
    assert standing.connector("org", None, "c1") is new  # the read begun before forget() was not kept


async def test_a_failed_read_reaches_every_waiter_and_is_not_remembered() -> None:
    standing = Standing(clock=_Clock())
    started = 0

    async def missing() -> Row[Any]:
        nonlocal started
        started += 1
        await asyncio.sleep(0)
        raise LookupError("no such connector")

    waiting = [asyncio.create_task(standing.connector_through("org", None, "c1", missing)) for _ in range(3)]
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert [type(result) for result in results] == [LookupError] * 3
    assert started == 1
    assert standing.connector("org", None, "c1") is None


async def test_a_cancelled_waiter_leaves_the_read_to_the_others() -> None:
    standing = Standing(clock=_Clock())
    read = _Reads(_row())
    gone = asyncio.create_task(standing.connector_through("org", None, "c1", read))
    stays = asyncio.create_task(standing.connector_through("org", None, "c1", read))
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.sleep(0)
    read.release.set()
    assert await stays is read.value
    assert gone.cancelled()
    assert read.started == 1
