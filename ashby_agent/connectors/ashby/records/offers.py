"""Offers, offer versions and offer processes."""

from datetime import date

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import CustomFieldValue, FileHandle, FormDefinition
from .organization import User

__all__ = ["Offer", "OfferForm", "OfferProcess", "OfferSummary", "OfferVersion", "Salary"]


class Salary(AshbyRecord):
    """An amount of money with its currency."""

    currency_code: str | None = Field(None, description="ISO 4217 currency code, e.g. 'USD'.")
    value: int | float | None = Field(None, description="The amount.")


class OfferVersion(AshbyRecord):
    """One version of an offer's terms (``Offer.latest_version``, ``Offer.versions``)."""

    id: str = Field(description="Offer version id (UUID).")
    start_date: date | None = Field(None, description="Proposed start date (YYYY-MM-DD).")
    salary: Salary | None = Field(None, description="Proposed salary.")
    created_at: Timestamp | None = Field(None, description="Creation time of the version.")
    opening_id: str | None = Field(None, description="Opening id (UUID) the offer fills.")
    custom_fields: list[CustomFieldValue] = Field(default_factory=list, description="Offer form values.")
    file_handles: list[FileHandle] = Field(default_factory=list, description="Offer letters and other files.")
    author: User | None = Field(None, description="User who created the version.")
    approval_status: str | None = Field(
        None, description="Known values: Approved, WaitingOnApprovals, Declined; null before approval."
    )


class OfferSummary(AshbyRecord):
    """An offer with its latest version (``offer.list``)."""

    id: str = Field(description="Offer id (UUID).")
    application_id: str | None = Field(None, description="Application id (UUID).")
    acceptance_status: str | None = Field(
        None,
        description="Known values: Accepted, Declined, Pending, Created, Cancelled, WaitingOnResponse.",
    )
    offer_status: str | None = Field(
        None,
        description="Known values: WaitingOnApprovalStart, WaitingOnOfferApproval, "
        "WaitingOnApprovalDefinition, WaitingOnCandidateResponse, CandidateRejected, CandidateAccepted, "
        "OfferCancelled.",
    )
    decided_at: Timestamp | None = Field(None, description="When the candidate decided, or null.")
    latest_version: OfferVersion = Field(description="The current version of the offer.")


class Offer(OfferSummary):
    """An offer with all versions and its form (``offer.info`` and offer writes)."""

    versions: list[OfferVersion] = Field(default_factory=list, description="All versions, oldest first.")
    form_definition: FormDefinition | None = Field(
        None, description="The offer form; omitted with excludeFormDefinition: true."
    )


class OfferProcess(AshbyRecord):
    """The offer process of an application (``offerProcess.start``)."""

    id: str = Field(description="Offer process id (UUID).")
    application_id: str | None = Field(None, description="Application id (UUID).")
    status: str | None = Field(None, description="WaitingOnOfferCreation or one of the offer status values.")


class OfferForm(AshbyRecord):
    """An offer form to fill (``offer.start``): pass its id as ``offerFormId`` to ``offer.create``."""

    id: str = Field(description="Offer form id (UUID), the offerFormId of offer.create.")
    form_definition: FormDefinition = Field(description="The fields to submit in offerForm.fieldSubmissions.")
