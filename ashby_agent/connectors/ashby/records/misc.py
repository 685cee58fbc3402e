"""Projects, files, webhooks, the API key and approvals (§5.10, §1.5, §4.10)."""

from pydantic import Field, SecretStr

from .base import AshbyRecord, Timestamp
from .common import CustomFieldValue

__all__ = ["ApiKey", "Approval", "ApprovalStep", "Approver", "FileInfo", "Project", "Webhook"]


class Project(AshbyRecord):
    """A talent project grouping candidates (``project.list``, ``project.info``, ``project.search``)."""

    id: str = Field(description="Project id (UUID).")
    title: str = Field(description="Project title.")
    description: str | None = Field(None, description="Project description.")
    is_archived: bool | None = Field(None, description="Whether the project is archived.")
    confidential: bool | None = Field(None, description="Whether the project is confidential.")
    author_id: str | None = Field(None, description="User id of the author (UUID).")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    custom_field_entries: list[CustomFieldValue] = Field(
        default_factory=list, description="Custom field values."
    )


class FileInfo(AshbyRecord):
    """A short-lived download URL for a file handle (``file.info``)."""

    url: str = Field(description="Signed, short-lived download URL.")


class Webhook(AshbyRecord):
    """A webhook subscription (``webhook.info``, ``webhook.create``, ``webhook.update``)."""

    id: str = Field(description="Webhook id (UUID).")
    enabled: bool | None = Field(None, description="Whether deliveries are sent.")
    request_url: str | None = Field(None, description="URL deliveries are POSTed to.")
    webhook_type: str | None = Field(
        None, description="Event type, e.g. applicationSubmit, candidateHire, offerCreate."
    )
    secret_token: SecretStr | None = Field(
        None, description="Signing secret (only in webhook.create results; never shown in repr or dumps)."
    )


class ApiKey(AshbyRecord):
    """The API key making the call (``apiKey.info``)."""

    title: str | None = Field(None, description="Title given to the key in Ashby.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    scopes: list[str] = Field(
        default_factory=list, description="Granted scopes, e.g. 'candidates:read', 'jobs:write'."
    )


class Approver(AshbyRecord):
    """A user asked to decide an approval step."""

    id: str = Field(description="Approver id (UUID).")
    user_id: str | None = Field(None, description="User id (UUID).")
    decision: str | None = Field(None, description="Known values: approve, reject, pending.")
    decided_at: Timestamp | None = Field(None, description="When the user decided, or null.")
    requested_at: Timestamp | None = Field(None, description="When the decision was requested.")


class ApprovalStep(AshbyRecord):
    """One step of an approval."""

    id: str = Field(description="Step id (UUID).")
    approvals_required: int | None = Field(None, description="Approvals needed to complete the step.")
    completed_at: Timestamp | None = Field(None, description="When the step completed, or null.")
    approvers: list[Approver] = Field(default_factory=list, description="Approvers of the step.")


class Approval(AshbyRecord):
    """An approval of an offer, job or opening (``approval.list``)."""

    id: str = Field(description="Approval id (UUID).")
    approval_definition_id: str | None = Field(None, description="Approval definition id (UUID).")
    entity_id: str | None = Field(None, description="Id of the approved record (UUID).")
    entity_type: str | None = Field(None, description="Known values: offer, job, opening.")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    submitted_at: Timestamp | None = Field(None, description="When it was submitted, or null.")
    completed_at: Timestamp | None = Field(None, description="When it completed, or null.")
    steps: list[ApprovalStep] = Field(default_factory=list, description="Steps in order.")
