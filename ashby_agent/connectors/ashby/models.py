"""Typed records for Ashby's objects and the connector's auth config.

Every record derives from ``AshbyRecord``: snake_case attributes over camelCase wire keys, ISO
timestamps as aware ``datetime``, ``YYYY-MM-DD`` dates as ``date``, enum-valued fields as ``str`` (their
known values are in the field descriptions; Ashby adds values), unknown new keys kept as extras.
``model_dump(mode="json")`` gives snake_case keys; ``by_alias=True`` gives Ashby's wire form.

    from ashby_agent.connectors.ashby.models import AshbyAuthConfig, Candidate

Importing this module is cheap: it defines ``AshbyAuthConfig`` only; each record class is imported from
its ``records`` module on first access (``models.Candidate`` loads ``records.candidates`` and what it
uses), so record classes are built only when first needed.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

if TYPE_CHECKING:
    from .records.applications import (
        Application,
        ApplicationArchiveReason,
        ApplicationCandidate,
        ApplicationFeedback,
        ApplicationHistory,
        ApplicationJob,
        ApplicationReferral,
        CriteriaEvaluation,
    )
    from .records.base import AshbyRecord, Timestamp
    from .records.candidates import (
        Candidate,
        CandidateLocation,
        ClientInfo,
        FraudCheck,
        LocationComponent,
        Note,
    )
    from .records.common import (
        Address,
        ContactInfo,
        CustomFieldValue,
        FileHandle,
        FormDefinition,
        FormField,
        FormFieldEntry,
        FormSection,
        HiringTeamMember,
        PostalAddress,
        SelectableValue,
        SocialLink,
        User,
    )
    from .records.interviews import (
        Interview,
        InterviewEvent,
        InterviewEventInterviewer,
        InterviewPlan,
        InterviewSchedule,
        InterviewStage,
        InterviewStageGroup,
    )
    from .records.jobs import (
        CompensationComponent,
        CompensationTier,
        DescriptionPart,
        Job,
        JobBoard,
        JobCompensation,
        JobInterviewPlan,
        JobInterviewPlanActivity,
        JobInterviewPlanInterview,
        JobInterviewPlanStage,
        JobPosting,
        JobPostingCompensation,
        JobPostingDescriptionParts,
        JobPostingLocationIds,
        JobPostingSummary,
        JobTemplate,
        Opening,
        OpeningVersion,
    )
    from .records.metadata import (
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
        SourceType,
        SurveyFormDefinition,
    )
    from .records.misc import ApiKey, Approval, ApprovalStep, Approver, FileInfo, Project, Webhook
    from .records.offers import Offer, OfferProcess, OfferSummary, OfferVersion, Salary
    from .records.organization import (
        Brand,
        Department,
        HiringTeamRole,
        InterviewerPause,
        InterviewerSettings,
        Location,
    )

__all__ = [
    "Address",
    "ApiKey",
    "Application",
    "ApplicationArchiveReason",
    "ApplicationCandidate",
    "ApplicationFeedback",
    "ApplicationHistory",
    "ApplicationJob",
    "ApplicationReferral",
    "Approval",
    "ApprovalStep",
    "Approver",
    "ArchiveReason",
    "AshbyAuthConfig",
    "AshbyRecord",
    "Brand",
    "Candidate",
    "CandidateLocation",
    "CandidateTag",
    "ClientInfo",
    "CloseReason",
    "CommunicationTemplate",
    "CompensationComponent",
    "CompensationTier",
    "ContactInfo",
    "CriteriaEvaluation",
    "CustomField",
    "CustomFieldValue",
    "Department",
    "DescriptionPart",
    "FeedbackFormDefinition",
    "FileHandle",
    "FileInfo",
    "FormDefinition",
    "FormField",
    "FormFieldEntry",
    "FormSection",
    "FraudCheck",
    "HiringTeamMember",
    "HiringTeamRole",
    "Interview",
    "InterviewEvent",
    "InterviewEventInterviewer",
    "InterviewPlan",
    "InterviewSchedule",
    "InterviewStage",
    "InterviewStageGroup",
    "InterviewerPause",
    "InterviewerPool",
    "InterviewerSettings",
    "Job",
    "JobBoard",
    "JobCompensation",
    "JobInterviewPlan",
    "JobInterviewPlanActivity",
    "JobInterviewPlanInterview",
    "JobInterviewPlanStage",
    "JobPosting",
    "JobPostingCompensation",
    "JobPostingDescriptionParts",
    "JobPostingLocationIds",
    "JobPostingSummary",
    "JobTemplate",
    "Location",
    "LocationComponent",
    "Note",
    "Offer",
    "OfferProcess",
    "OfferSummary",
    "OfferVersion",
    "Opening",
    "OpeningVersion",
    "PostalAddress",
    "Project",
    "ReferralForm",
    "Salary",
    "SelectableValue",
    "SocialLink",
    "Source",
    "SourceTrackingLink",
    "SourceType",
    "SurveyFormDefinition",
    "Timestamp",
    "User",
    "Webhook",
]

#: records module -> the public names it defines (loaded on first access, see ``__getattr__``).
_RECORD_MODULES: dict[str, tuple[str, ...]] = {
    "applications": (
        "Application",
        "ApplicationArchiveReason",
        "ApplicationCandidate",
        "ApplicationFeedback",
        "ApplicationHistory",
        "ApplicationJob",
        "ApplicationReferral",
        "CriteriaEvaluation",
    ),
    "base": ("AshbyRecord", "Timestamp"),
    "candidates": ("Candidate", "CandidateLocation", "ClientInfo", "FraudCheck", "LocationComponent", "Note"),
    "common": (
        "Address",
        "ContactInfo",
        "CustomFieldValue",
        "FileHandle",
        "FormDefinition",
        "FormField",
        "FormFieldEntry",
        "FormSection",
        "HiringTeamMember",
        "PostalAddress",
        "SelectableValue",
        "SocialLink",
        "User",
    ),
    "interviews": (
        "Interview",
        "InterviewEvent",
        "InterviewEventInterviewer",
        "InterviewPlan",
        "InterviewSchedule",
        "InterviewStage",
        "InterviewStageGroup",
    ),
    "jobs": (
        "CompensationComponent",
        "CompensationTier",
        "DescriptionPart",
        "Job",
        "JobBoard",
        "JobCompensation",
        "JobInterviewPlan",
        "JobInterviewPlanActivity",
        "JobInterviewPlanInterview",
        "JobInterviewPlanStage",
        "JobPosting",
        "JobPostingCompensation",
        "JobPostingDescriptionParts",
        "JobPostingLocationIds",
        "JobPostingSummary",
        "JobTemplate",
        "Opening",
        "OpeningVersion",
    ),
    "metadata": (
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
    ),
    "misc": ("ApiKey", "Approval", "ApprovalStep", "Approver", "FileInfo", "Project", "Webhook"),
    "offers": ("Offer", "OfferProcess", "OfferSummary", "OfferVersion", "Salary"),
    "organization": (
        "Brand",
        "Department",
        "HiringTeamRole",
        "InterviewerPause",
        "InterviewerSettings",
        "Location",
    ),
}
_EXPORTS: dict[str, str] = {name: module for module, names in _RECORD_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"ashby_agent.connectors.ashby.records.{module}"), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class AshbyAuthConfig(BaseModel):
    """Credentials for Ashby's API: an API key sent as the HTTP Basic username.

    The key is a ``SecretStr``: ``repr``, ``str`` and ``model_dump_json`` show ``'**********'``; read it
    with ``config.api_key.get_secret_value()``. Surrounding whitespace is stripped; a blank key is
    rejected, and validation errors never echo the input.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True, defer_build=True)

    api_key: SecretStr = Field(description="Ashby API key (Admin → Integrations → API Keys).")

    @field_validator("api_key")
    @classmethod
    def _strip_and_require(cls, value: SecretStr) -> SecretStr:
        key = value.get_secret_value().strip()
        if not key:
            raise ValueError(
                "the Ashby API key is empty; pass the key created in Ashby under Admin → API Keys"
            )
        return SecretStr(key)
