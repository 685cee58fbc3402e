"""Hiring-process metadata: sources, reasons, tags, custom fields, forms, pools, templates, links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import INCLUDE_ARCHIVED, Entity, EntityGroup, Operation, id_param
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.metadata import (
        ArchiveReason,
        CandidateTag,
        CloseReason,
        CommunicationTemplate,
        CustomField,
        FeedbackFormDefinition,
        InterviewerPool,
        ReferralForm,
        Source,
        SourceTrackingLink,
    )

__all__ = ["METADATA_READ", "MetadataEntities"]

#: The permission Ashby requires to read its hiring-process metadata module.
METADATA_READ = "hiringProcessMetadataRead"


class MetadataEntities(EntityGroup):
    """The entities of Ashby's metadata module."""

    sources: Entity[Source, Source] = Entity(
        "Where candidates come from (job board, referral, sourcing...).",
        Operation("list", "source.list", METADATA_READ, "All sources.", (INCLUDE_ARCHIVED,)),
    )

    archive_reasons: Entity[ArchiveReason, ArchiveReason] = Entity(
        "Reasons applications are archived (rejections).",
        Operation("list", "archiveReason.list", METADATA_READ, "All archive reasons.", (INCLUDE_ARCHIVED,)),
    )

    close_reasons: Entity[CloseReason, CloseReason] = Entity(
        "Reasons jobs and openings are closed.",
        Operation("list", "closeReason.list", METADATA_READ, "All close reasons.", (INCLUDE_ARCHIVED,)),
    )

    candidate_tags: Entity[CandidateTag, CandidateTag] = Entity(
        "Tags that can be put on candidates.",
        Operation(
            "list",
            "candidateTag.list",
            METADATA_READ,
            "List candidate tags.",
            (INCLUDE_ARCHIVED,),
            paginated=True,
            sync=True,
        ),
    )

    custom_fields: Entity[CustomField, CustomField] = Entity(
        "Custom field definitions (for candidates, applications, jobs, offers...).",
        Operation(
            "list",
            "customField.list",
            METADATA_READ,
            "List custom field definitions.",
            (INCLUDE_ARCHIVED,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "customField.info",
            METADATA_READ,
            "One custom field definition.",
            (id_param("customFieldId", "custom field", aliases=("id",)),),
        ),
    )

    feedback_form_definitions: Entity[FeedbackFormDefinition, FeedbackFormDefinition] = Entity(
        "Scorecard forms interviewers fill in.",
        Operation(
            "list",
            "feedbackFormDefinition.list",
            METADATA_READ,
            "List feedback forms.",
            (INCLUDE_ARCHIVED,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "feedbackFormDefinition.info",
            METADATA_READ,
            "One feedback form.",
            (id_param("feedbackFormDefinitionId", "feedback form definition", aliases=("id",)),),
        ),
    )

    interviewer_pools: Entity[InterviewerPool, InterviewerPool] = Entity(
        "Pools of qualified interviewers and trainees.",
        Operation(
            "list",
            "interviewerPool.list",
            METADATA_READ,
            "List interviewer pools.",
            (
                Param("includeArchivedPools", ParamType.BOOLEAN, "Include archived pools."),
                Param(
                    "includeArchivedTrainingStages", ParamType.BOOLEAN, "Include archived training stages."
                ),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "interviewerPool.info",
            METADATA_READ,
            "One interviewer pool.",
            (id_param("interviewerPoolId", "interviewer pool", aliases=("id",)),),
        ),
    )

    communication_templates: Entity[CommunicationTemplate, CommunicationTemplate] = Entity(
        "Email templates for candidate communication.",
        Operation(
            "list",
            "communicationTemplate.list",
            METADATA_READ,
            "List communication templates.",
            paginated=True,
        ),
    )

    source_tracking_links: Entity[SourceTrackingLink, SourceTrackingLink] = Entity(
        "Tracking links that attribute applications to sources.",
        Operation(
            "list",
            "sourceTrackingLink.list",
            METADATA_READ,
            "List source tracking links.",
            (Param("includeDisabled", ParamType.BOOLEAN, "Include disabled links."),),
        ),
    )

    referral_forms: Entity[ReferralForm, ReferralForm] = Entity(
        "The organization's referral form.",
        Operation("get", "referralForm.info", METADATA_READ, "The default referral form."),
    )
