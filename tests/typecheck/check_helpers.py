"""Checked by mypy in CI (see pyproject `files`): the typed helpers expose the record types.

Also imported by a test so it stays importable; the coroutine is never awaited there.
"""

from __future__ import annotations

from typing import Any, assert_type

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.models import (
    Application,
    Candidate,
    Job,
    JobPosting,
    JobPostingSummary,
    Offer,
    OfferSummary,
)
from ashby_agent.pagination import ListResult


async def helpers_are_typed(connector: AshbyConnector) -> None:
    page = await connector.candidates.list(limit=10)
    assert_type(page, ListResult[Candidate])
    assert_type(page.data, list[Candidate])
    assert_type(await connector.applications.get(application_id="x"), Application)
    assert_type(await connector.jobs.api_search(title="x"), ListResult[Job])
    assert_type(await connector.job_postings.list(), ListResult[JobPostingSummary])
    assert_type(await connector.job_postings.get(job_posting_id="x"), JobPosting)
    assert_type(await connector.offers.list(), ListResult[OfferSummary])
    assert_type(await connector.offers.get(offer_id="x"), Offer)
    async for candidate in connector.candidates.iterate():
        assert_type(candidate, Candidate)
    with connector.sync() as blocking:
        assert_type(blocking.candidates.list(), ListResult[Any])
