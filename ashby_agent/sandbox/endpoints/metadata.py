"""Hiring-process metadata reads: sources, reasons, tags, custom fields, forms, pools."""

from __future__ import annotations

from collections.abc import Callable

from ..params import INCLUDE_ARCHIVED, PAGED, SYNCED, Param
from .endpoint import Ctx, Endpoint, Params, not_found, ok
from .shapes import hide_archived, info, paged_list, plain, table_rows

PERMISSION = "hiringProcessMetadataRead"


def _tracking_links(ctx: Ctx, p: Params) -> list[bytes]:
    if p.get("includeDisabled"):
        return table_rows(ctx, "sourceTrackingLink")
    return table_rows(ctx, "sourceTrackingLink", lambda r: not r.get("isArchived") and r.get("enabled", True))


def _referral_form(ctx: Ctx, _p: Params) -> bytes:
    """The organisation's default referral form: the first non-archived one."""
    with ctx.store.lock:
        table = ctx.store.table("referralForm")
        for key in table.keys:
            if not table.rows[key[2]].get("isArchived"):
                return ok(table.json(key[2]))
        raise not_found("referral_form_not_found", "Referral form")


def _archived_rows(table: str) -> Callable[[Ctx, Params], list[bytes]]:
    """Rows of a small metadata table, archived ones only with ``includeArchived``."""

    def rows(ctx: Ctx, p: Params) -> list[bytes]:
        return table_rows(ctx, table, None if p.get("includeArchived") else lambda r: not r.get("isArchived"))

    return rows


ENDPOINTS: list[Endpoint] = [
    plain("source.list", PERMISSION, (INCLUDE_ARCHIVED,), _archived_rows("source"), more_false=True),
    plain("archiveReason.list", PERMISSION, (INCLUDE_ARCHIVED,), _archived_rows("archiveReason")),
    plain("closeReason.list", PERMISSION, (INCLUDE_ARCHIVED,), _archived_rows("closeReason")),
    paged_list(
        "candidateTag.list",
        PERMISSION,
        "candidateTag",
        (*SYNCED, INCLUDE_ARCHIVED),
        sync=True,
        accept=hide_archived(),
    ),
    paged_list(
        "customField.list",
        PERMISSION,
        "customField",
        (*SYNCED, INCLUDE_ARCHIVED),
        sync=True,
        accept=hide_archived(),
    ),
    info("customField.info", PERMISSION, "customField", "customFieldId", "custom_field_not_found"),
    paged_list(
        "feedbackFormDefinition.list",
        PERMISSION,
        "feedbackFormDefinition",
        (*SYNCED, INCLUDE_ARCHIVED),
        sync=True,
        accept=hide_archived(),
    ),
    info(
        "feedbackFormDefinition.info",
        PERMISSION,
        "feedbackFormDefinition",
        "feedbackFormDefinitionId",
        "feedback_form_definition_not_found",
    ),
    paged_list(
        "interviewerPool.list",
        PERMISSION,
        "interviewerPool",
        (*SYNCED, Param("includeArchivedPools", "bool"), Param("includeArchivedTrainingStages", "bool")),
        sync=True,
        accept=hide_archived("includeArchivedPools"),
    ),
    info(
        "interviewerPool.info",
        PERMISSION,
        "interviewerPool",
        "interviewerPoolId",
        "interviewer_pool_not_found",
    ),
    paged_list("communicationTemplate.list", PERMISSION, "communicationTemplate", PAGED, sync=False),
    plain("sourceTrackingLink.list", PERMISSION, (Param("includeDisabled", "bool"),), _tracking_links),
    Endpoint("referralForm.info", PERMISSION, (), _referral_form),
]

__all__ = ["ENDPOINTS"]
