"""This process's view of the rate-limit windows: requests are admitted without a round trip only
while the known total plus this process's uncounted requests is below half the limit; from there on
each is counted first, and the limit is exact within the process."""

from __future__ import annotations

from ashby_agent.service.security.admission import Admission


def test_at_once_below_half_the_limit_then_counted_first() -> None:
    admission = Admission(limit=10, window_seconds=60)
    starts = [admission.admit_at_once("c", 1000.0) for _ in range(6)]
    assert starts == [960] * 5 + [None]  # 5 uncounted = half the limit
    admission.counted({("c", 960): (5, 5)})  # the batch wrote them and read back 5
    assert admission.admit_at_once("c", 1000.0) is None
    # Counted first: the database total includes this request (and the others' requests).
    assert [admission.checked("c", 1000.0, total) for total in range(6, 12)] == [None] * 5 + [20]


def test_uncounted_requests_of_this_process_count_against_the_limit() -> None:
    admission = Admission(limit=4, window_seconds=60)
    assert admission.admit_at_once("c", 0.0) == 0
    assert admission.admit_at_once("c", 0.0) == 0
    assert admission.admit_at_once("c", 0.0) is None
    # The database has seen 2 (another process's) + this one; 2 of ours are still uncounted.
    assert admission.checked("c", 0.0, 3) is not None


def test_other_processes_counts_arrive_with_each_batch() -> None:
    admission = Admission(limit=10, window_seconds=60)
    assert admission.admit_at_once("c", 0.0) == 0
    admission.counted({("c", 0): (1, 7)})  # 6 came from elsewhere
    assert admission.admit_at_once("c", 0.0) is None


def test_a_new_window_starts_from_zero_and_old_batches_do_not_touch_it() -> None:
    admission = Admission(limit=2, window_seconds=60)
    assert admission.admit_at_once("c", 0.0) == 0  # limit // 2 == 1: one at once at most
    assert admission.admit_at_once("c", 0.0) is None
    assert admission.checked("c", 0.0, 2) == 60  # 2 counted + 1 of ours uncounted > 2
    assert admission.admit_at_once("c", 61.0) == 60
    admission.counted({("c", 0): (1, 3)})  # the old window's batch
    assert admission.admit_at_once("c", 61.0) is None  # the one pending at 60 still counts


def test_a_limit_of_one_is_always_counted_first() -> None:
    admission = Admission(limit=1, window_seconds=60)
    assert admission.admit_at_once("c", 0.0) is None
    assert admission.checked("c", 0.0, 1) is None
    assert admission.checked("c", 0.0, 2) == 60
