"""Approvals of offers, jobs and openings, with their steps and approvers."""

from pydantic import Field

from .base import AshbyRecord, Timestamp

__all__ = ["Approval", "ApprovalStep", "Approver"]


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
