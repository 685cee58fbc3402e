"""Hiring-process metadata: sources, reasons, tags, custom fields, forms, pools, templates, links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    INCLUDE_ARCHIVED,
    Entity,
    EntityGroup,
    Operation,
    id_param,
    ref_param,
)
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

__all__ = ["METADATA_READ", "METADATA_WRITE", "MetadataEntities"]

#: The permissions Ashby requires to read and to change its hiring-process metadata module.
METADATA_READ = "hiringProcessMetadataRead"
METADATA_WRITE = "hiringProcessMetadataWrite"
#: Custom field values are candidate data: Ashby wants the candidates module's write permission.
CANDIDATES_WRITE = "candidatesWrite"

_CUSTOM_FIELD = ref_param("customFieldId", "custom_fields", "custom field")
_FIELD_TYPES = (
    "Boolean", "CompensationRange", "Currency", "Date", "LongText", "MultiValueSelect", "Number",
    "NumberRange", "String", "ValueSelect", "Url", "UUID",
)  # fmt: skip
_OBJECT_TYPES = (
    "Application",
    "Candidate",
    "Job",
    "Employee",
    "Talent_Project",
    "Opening_Version",
    "Offer_Version",
)
_VALUE_OBJECT_TYPES = ("Application", "Candidate", "Job", "Opening")
_FIELD_VALUE = (
    "The value in the field type's format: true/false (Boolean), an integer (Number), a string (String, "
    "LongText, Email, Phone, Url, UUID, Date as YYYY-MM-DD, ValueSelect option value), a list of option "
    'values (MultiValueSelect) or an object (Currency {"value", "currencyCode"}, NumberRange {"type": '
    '"number-range", "minValue", "maxValue"}, CompensationRange {"type": "compensation-range", "minValue", '
    '"maxValue", "currencyCode", "interval"}).'
)


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
        Operation(
            "create",
            "candidateTag.create",
            METADATA_WRITE,
            "Create a candidate tag; a tag with the same title already is answered instead.",
            (Param("title", ParamType.STRING, "Tag title.", required=True),),
            access="write",
            idempotent=True,
        ),
        Operation(
            "archive",
            "candidateTag.archive",
            METADATA_WRITE,
            "Archive a candidate tag so it can no longer be chosen.",
            (Param("tagId", ParamType.UUID, "Id of the tag (candidate_tags list).", required=True),),
            access="write",
            destructive=True,
            idempotent=True,
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
        Operation(
            "create",
            "customField.create",
            METADATA_WRITE,
            "Define a custom field for one kind of record.",
            (
                Param(
                    "fieldType", ParamType.ENUM, "Type of the values.", required=True, choices=_FIELD_TYPES
                ),
                Param(
                    "objectType",
                    ParamType.ENUM,
                    "Kind of record the field belongs to.",
                    required=True,
                    choices=_OBJECT_TYPES,
                ),
                Param("title", ParamType.STRING, "Field title.", required=True),
                Param("description", ParamType.STRING, "What the field is for."),
                Param(
                    "selectableValues",
                    ParamType.OBJECT_LIST,
                    'Options of a (Multi)ValueSelect field, required for them: [{"label", "value"}].',
                ),
                Param("isDateOnlyField", ParamType.BOOLEAN, "For Date fields: a date without a time."),
                Param(
                    "isExposableToCandidate",
                    ParamType.BOOLEAN,
                    "May be shown to candidates, e.g. in email templates (default false).",
                ),
            ),
            access="write",
        ),
        Operation(
            "set_value",
            "customField.setValue",
            CANDIDATES_WRITE,
            "Set one custom field's value on an application, candidate, job or opening.",
            (
                Param("objectId", ParamType.UUID, "Id of the record the value is set on.", required=True),
                Param(
                    "objectType",
                    ParamType.ENUM,
                    "Kind of that record (the field's object type).",
                    required=True,
                    choices=_VALUE_OBJECT_TYPES,
                ),
                ref_param("fieldId", "custom_fields", "custom field"),
                Param("fieldValue", ParamType.JSON, _FIELD_VALUE, required=True),
            ),
            access="write",
            idempotent=True,
            returns="common:CustomFieldValue",
        ),
        Operation(
            "set_values",
            "customField.setValues",
            CANDIDATES_WRITE,
            "Set several custom field values on one record at once (all are checked before any is set).",
            (
                Param("objectId", ParamType.UUID, "Id of the record the values are set on.", required=True),
                Param(
                    "objectType",
                    ParamType.ENUM,
                    "Kind of that record (the fields' object type).",
                    required=True,
                    choices=_VALUE_OBJECT_TYPES,
                ),
                Param(
                    "values",
                    ParamType.OBJECT_LIST,
                    'The values: [{"fieldId", "fieldValue"}], at least one.',
                    required=True,
                ),
            ),
            access="write",
            idempotent=True,
            answers_list=True,
            returns="common:CustomFieldValue",
        ),
        Operation(
            "update_selectable_values",
            "customField.updateSelectableValues",
            METADATA_WRITE,
            "Merge options into a select field by value: new ones are added, given ones relabelled, "
            "options left out are archived.",
            (
                _CUSTOM_FIELD,
                Param(
                    "selectableValues",
                    ParamType.OBJECT_LIST,
                    'Every option the field keeps active: [{"label", "value", "isArchived"?}].',
                    required=True,
                ),
            ),
            access="write",
            idempotent=True,
            destructive=True,
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
