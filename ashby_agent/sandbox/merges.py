"""Candidate merges: what belongs to the merged-away candidate moves to the surviving one.

Ashby reports a merge only through the ``candidateMerge`` webhook; its lists show the result: the
applications (and notes, projects, client info, fraud checks) under the surviving candidate, the old
candidate gone. The writes here are not announced one by one; the caller sends the one event.
"""

from __future__ import annotations

from .errors import InvalidValue, describe
from .store import Record, Store

#: (table, field) pairs that name a candidate by id, besides an application's ``candidate.id``.
CANDIDATE_REFERENCES = (
    ("note", "_candidateId"),
    ("candidateProject", "_candidateId"),
    ("clientInfo", "candidateId"),
    ("fraudCheck", "candidateId"),
)
#: The keys of the candidate summary an application embeds.
SUMMARY_KEYS = ("id", "name", "primaryEmailAddress", "primaryPhoneNumber")


def candidate_summary(candidate: Record) -> Record:
    """The ``candidate`` an application embeds: id, name and the primary e-mail and phone if any."""
    return {key: candidate[key] for key in SUMMARY_KEYS if key in candidate}


def merge_candidates(store: Store, deleted_id: str, merged_id: str) -> Record:
    """Move ``deleted_id``'s records to ``merged_id``, delete ``deleted_id``; the survivor after it."""
    for value in (deleted_id, merged_id):
        if not isinstance(value, str) or not value:
            raise InvalidValue(f"A candidate id must be a non-empty string; got {describe(value)}.")
    with store.lock:
        deleted = store.require("candidate", deleted_id)
        merged = store.require("candidate", merged_id)
        if deleted_id == merged_id:
            raise InvalidValue(f"A candidate cannot be merged into itself ({describe(deleted_id)}).")
        summary = candidate_summary(merged)
        moved: list[str] = []
        for row_id, application in list(store.table("application").rows.items()):
            candidate = application.get("candidate")
            if isinstance(candidate, dict) and candidate.get("id") == deleted_id:
                store.update("application", row_id, {"candidate": summary}, announce=False)
                moved.append(row_id)
        for table, field in CANDIDATE_REFERENCES:
            for row_id, row in list(store.table(table).rows.items()):
                if row.get(field) == deleted_id:
                    store.update(table, row_id, {field: merged_id}, announce=False)
        application_ids = list(merged.get("applicationIds") or [])
        for application_id in [*(deleted.get("applicationIds") or []), *moved]:
            if application_id not in application_ids:
                application_ids.append(application_id)
        survivor = store.update("candidate", merged_id, {"applicationIds": application_ids}, announce=False)
        store.delete("candidate", deleted_id, announce=False)
        return survivor


__all__ = ["CANDIDATE_REFERENCES", "SUMMARY_KEYS", "candidate_summary", "merge_candidates"]
