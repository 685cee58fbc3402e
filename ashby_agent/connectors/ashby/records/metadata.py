"""Hiring-process metadata: sources, reasons, tags, custom fields, forms, pools, templates."""

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import FormDefinition, SelectableValue
from .organization import User

__all__ = [
    "ArchiveReason",
    "CandidateTag",
    "CloseReason",
    "CommunicationTemplate",
    "CustomField",
    "FeedbackFormDefinition",
    "InterviewerPool",
    "ReferralForm",
    "Source",
    "SourceTrackingLink",
    "SourceType",
    "SurveyFormDefinition",
]


class SourceType(AshbyRecord):
    """The category of a candidate source, e.g. Inbound, Sourced, Referral, Internal."""

    id: str = Field(description="Source type id (UUID).")
    title: str | None = Field(None, description="Source type title.")
    is_archived: bool | None = Field(None, description="Whether the source type is archived.")


class Source(AshbyRecord):
    """Where a candidate came from (``source.list``; embedded in candidates and applications)."""

    id: str = Field(description="Source id (UUID).")
    title: str | None = Field(None, description="Source title, e.g. 'LinkedIn'.")
    is_archived: bool | None = Field(None, description="Whether the source is archived.")
    source_type: SourceType | None = Field(None, description="Category of the source.")


class ArchiveReason(AshbyRecord):
    """Why an application was archived (``archiveReason.list``)."""

    id: str = Field(description="Archive reason id (UUID).")
    text: str | None = Field(None, description="The reason, e.g. 'Not a fit'.")
    reason_type: str | None = Field(
        None, description="Who decided; known values: RejectedByCandidate, RejectedByOrg, Other."
    )
    is_archived: bool | None = Field(None, description="Whether the reason itself is archived.")


class CloseReason(AshbyRecord):
    """Why a job or opening was closed (``closeReason.list``)."""

    id: str = Field(description="Close reason id (UUID).")
    reason_text: str | None = Field(None, description="The reason.")
    is_archived: bool | None = Field(None, description="Whether the reason is archived.")


class CandidateTag(AshbyRecord):
    """A tag applied to candidates (``candidateTag.list``; candidates' ``tags[]``)."""

    id: str = Field(description="Tag id (UUID).")
    title: str | None = Field(None, description="Tag title.")
    is_archived: bool | None = Field(None, description="Whether the tag is archived.")


class CustomField(AshbyRecord):
    """A custom field definition (``customField.list``, ``customField.info``)."""

    id: str = Field(description="Custom field id (UUID).")
    title: str | None = Field(None, description="Field title.")
    object_type: str | None = Field(
        None,
        description="Object the field belongs to; known values: Application, Candidate, Employee, Job, "
        "Offer, Opening, Talent_Project, Opening_Version, Offer_Version.",
    )
    field_type: str | None = Field(
        None,
        description="Value type; known values: Boolean, CompensationRange, Currency, Date, LongText, "
        "MultiValueSelect, Number, NumberRange, String, ValueSelect, Url, UUID.",
    )
    is_archived: bool | None = Field(None, description="Whether the field is archived.")
    is_required: bool | None = Field(None, description="Whether a value is required.")
    is_private: bool | None = Field(None, description="Whether values are private.")
    selectable_values: list[SelectableValue] = Field(
        default_factory=list, description="Options of a (Multi)ValueSelect field."
    )
    is_date_only_field: bool | None = Field(None, description="For Date fields: date without time.")
    is_editable_only_via_public_api: bool | None = Field(
        None, description="Whether only the API may change values."
    )
    referenced_object_type: str | None = Field(None, description="Object type a UUID field refers to.")


class FeedbackFormDefinition(AshbyRecord):
    """A scorecard form (``feedbackFormDefinition.list``, ``feedbackFormDefinition.info``)."""

    id: str = Field(description="Form id (UUID).")
    organization_id: str | None = Field(None, description="Organization id (UUID).")
    title: str | None = Field(None, description="Form title.")
    is_archived: bool | None = Field(None, description="Whether the form is archived.")
    is_default_form: bool | None = Field(None, description="Whether this is the default scorecard.")
    form_definition: FormDefinition | None = Field(None, description="Sections and fields of the form.")
    interview_id: str | None = Field(None, description="Interview the form belongs to (UUID), when specific.")


class InterviewerPool(AshbyRecord):
    """A pool of qualified interviewers (``interviewerPool.list``, ``interviewerPool.info``)."""

    id: str = Field(description="Pool id (UUID).")
    title: str | None = Field(None, description="Pool title.")
    is_archived: bool | None = Field(None, description="Whether the pool is archived.")
    qualified_members: list[User] = Field(default_factory=list, description="Users qualified to interview.")
    trainees: list[User] = Field(default_factory=list, description="Users in training.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")


class CommunicationTemplate(AshbyRecord):
    """An email template (``communicationTemplate.list``)."""

    id: str = Field(description="Template id (UUID).")
    title: str | None = Field(None, description="Template title.")
    is_archived: bool | None = Field(None, description="Whether the template is archived.")


class SourceTrackingLink(AshbyRecord):
    """A tracked application link credited to a source (``sourceTrackingLink.list``)."""

    id: str = Field(description="Link id (UUID).")
    source_id: str | None = Field(None, description="Source credited for applications (UUID).")
    code: str | None = Field(None, description="Tracking code in the link.")
    link: str | None = Field(None, description="The tracking URL.")
    is_archived: bool | None = Field(None, description="Whether the link is disabled.")


class ReferralForm(AshbyRecord):
    """The organization's default referral form (``referralForm.info``)."""

    id: str = Field(description="Form id (UUID).")
    title: str | None = Field(None, description="Form title.")
    is_archived: bool | None = Field(None, description="Whether the form is archived.")
    form_definition: FormDefinition | None = Field(None, description="Sections and fields of the form.")


class SurveyFormDefinition(AshbyRecord):
    """A candidate survey form (``surveyFormDefinition.list``; job postings' ``surveyFormDefinitions[]``)."""

    id: str | None = Field(None, description="Survey form id (UUID).")
    title: str | None = Field(None, description="Survey title.")
    is_archived: bool | None = Field(None, description="Whether the survey is archived.")
    survey_type: str | None = Field(None, description="Kind of survey, e.g. Diversity, CandidateExperience.")
    form_definition: FormDefinition | None = Field(None, description="Sections and fields of the survey.")
