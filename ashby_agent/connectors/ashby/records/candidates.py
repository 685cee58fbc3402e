"""Candidates and what hangs off them: notes, client info, fraud checks."""

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import ContactInfo, CustomFieldValue, FileHandle, SocialLink
from .metadata import CandidateTag, Source
from .organization import User

__all__ = [
    "Candidate",
    "CandidateLocation",
    "ClientInfo",
    "EmailMessage",
    "FraudCheck",
    "LocationComponent",
    "Note",
]


class LocationComponent(AshbyRecord):
    """One level of a candidate's location (country, region or city)."""

    type: str | None = Field(None, description="Known values: Country, Region, City.")
    name: str | None = Field(None, description="Name of the place.")


class CandidateLocation(AshbyRecord):
    """Where a candidate lives."""

    id: str | None = Field(None, description="Location id (UUID).")
    location_summary: str | None = Field(None, description="Readable summary, e.g. 'Berlin, Germany'.")
    location_components: list[LocationComponent] = Field(
        default_factory=list, description="Country, region and city parts."
    )


class Candidate(AshbyRecord):
    """A candidate (``candidate.list``, ``candidate.info``, ``candidate.search`` and candidate writes)."""

    id: str = Field(description="Candidate id (UUID).")
    created_at: Timestamp = Field(description="Creation time.")
    updated_at: Timestamp = Field(description="Last update time.")
    name: str = Field(description="Full name.")
    primary_email_address: ContactInfo | None = Field(None, description="Primary email; omitted if none.")
    email_addresses: list[ContactInfo] = Field(description="All email addresses.")
    primary_phone_number: ContactInfo | None = Field(None, description="Primary phone; omitted if none.")
    phone_numbers: list[ContactInfo] = Field(description="All phone numbers.")
    social_links: list[SocialLink] = Field(description="Links to profiles elsewhere.")
    tags: list[CandidateTag] = Field(description="Tags applied to the candidate.")
    position: str | None = Field(None, description="Current position (from profile or resume).")
    company: str | None = Field(None, description="Current company.")
    school: str | None = Field(None, description="School.")
    application_ids: list[str] = Field(description="Ids of the candidate's applications (UUIDs).")
    resume_file_handle: FileHandle | None = Field(None, description="The resume; omitted if none.")
    file_handles: list[FileHandle] = Field(description="Other files attached to the candidate.")
    custom_fields: list[CustomFieldValue] = Field(description="Custom field values.")
    profile_url: str = Field(description="URL of the candidate's profile in Ashby.")
    source: Source | None = Field(None, description="Where the candidate came from, or null.")
    credited_to_user: User | None = Field(None, description="User credited for the candidate, or null.")
    timezone: str | None = Field(None, description="IANA time zone, or null.")
    location: CandidateLocation | None = Field(
        None, description="Where the candidate lives; omitted if unknown."
    )
    fraud_status: str | None = Field(
        None,
        description="Known values: Fraudulent, NotFraudulent, Unsure, Unreviewed, PassedFraudCheck; "
        "null if never assessed.",
    )


class Note(AshbyRecord):
    """A note on a candidate (``candidate.listNotes``, ``candidate.createNote``)."""

    id: str = Field(description="Note id (UUID).")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    is_private: bool | None = Field(None, description="Whether only the author can see it.")
    content: str | None = Field(
        None, description="Note text; may hold simple HTML (b i u a ul ol li code pre)."
    )
    author: User | None = Field(None, description="Author (id, first_name, last_name, email).")


class ClientInfo(AshbyRecord):
    """Browser details recorded when a candidate acted (``candidate.listClientInfo``)."""

    id: str = Field(description="Client info id (UUID).")
    ip_address: str | None = Field(None, description="IP address of the client.")
    user_agent: str | None = Field(None, description="User agent of the client.")
    related_entity_type: str | None = Field(
        None, description="Kind of record the action created, e.g. Application."
    )
    related_entity_id: str | None = Field(None, description="Id of that record (UUID).")
    candidate_id: str | None = Field(None, description="Candidate id (UUID).")
    created_at: Timestamp | None = Field(None, description="When it was recorded.")


class FraudCheck(AshbyRecord):
    """An automated fraud check on a candidate (``candidate.listFraudChecks``; feature-gated)."""

    id: str = Field(description="Fraud check id (UUID).")
    candidate_id: str | None = Field(None, description="Candidate id (UUID).")
    status: str | None = Field(None, description="Known values: Pending, Passed, Flagged.")
    check_type: str | None = Field(None, description="Kind of check performed.")
    created_at: Timestamp | None = Field(None, description="When the check ran.")


class EmailMessage(AshbyRecord):
    """An email logged on a candidate's profile by an integration (``candidate.addEmailMessage``)."""

    id: str = Field(description="Email message id (UUID).")
    candidate_id: str | None = Field(None, description="The candidate's id (UUID).")
    email_provider_email_id: str | None = Field(None, description="The message's id at the mail provider.")
    subject: str | None = Field(None, description="Subject line.")
    from_: str | None = Field(None, alias="from", description="Sender address.")
    to: str | None = Field(None, description="Recipient addresses.")
    cc: str | None = Field(None, description="Copied addresses.")
    body: str | None = Field(None, description="The message text.")
    sent_at: Timestamp | None = Field(None, description="When it was sent.")
    thread_id: str | None = Field(None, description="Id of the mail thread.")
    is_private: bool | None = Field(None, description="Only visible to its sender.")
