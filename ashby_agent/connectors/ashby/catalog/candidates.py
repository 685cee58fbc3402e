"""Candidates and what hangs off them: notes, projects, client info, fraud checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    Entity,
    EntityGroup,
    Operation,
    id_param,
    ref_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.candidates import Candidate, ClientInfo, FraudCheck, Note
    from ashby_agent.connectors.ashby.records.projects import Project

__all__ = ["CANDIDATES_READ", "CANDIDATES_WRITE", "CandidateEntities", "written_at"]

#: The permissions Ashby requires to read and to change its candidates module.
CANDIDATES_READ = "candidatesRead"
CANDIDATES_WRITE = "candidatesWrite"

CANDIDATE = ref_param("candidateId", "candidates", "candidate")
_SOURCE = Param("sourceId", ParamType.UUID, "Id of the source (sources list) credited.")
_CREDITED = ref_param("creditedToUserId", "users", "user credited", required=False)
_LOCATION = Param("location", ParamType.OBJECT, 'Where the candidate lives: {"city", "region", "country"}.')
_NOTIFY = Param("sendNotifications", ParamType.BOOLEAN, "Notify subscribed users (default true).")


def written_at(what: str) -> Param:
    return Param("createdAt", ParamType.DATE_TIME, f"When the {what} happened, if not now (ISO date-time).")


_CONTACT = (
    Param("phoneNumber", ParamType.STRING, "Primary phone number."),
    Param("linkedInUrl", ParamType.STRING, "LinkedIn profile URL."),
    Param("githubUrl", ParamType.STRING, "GitHub profile URL."),
)


class CandidateEntities(EntityGroup):
    """The entities of Ashby's candidates module."""

    candidates: Entity[Candidate, Candidate] = Entity(
        "People in the hiring pipeline: contact info, tags, source, application ids.",
        Operation(
            "list",
            "candidate.list",
            CANDIDATES_READ,
            "List candidates, oldest first.",
            (CREATED_AFTER,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "candidate.info",
            CANDIDATES_READ,
            "One candidate by id (or by HRIS externalMappingId).",
            (
                Param("id", ParamType.UUID, "Candidate id.", aliases=("candidate_id", "candidateId")),
                Param("externalMappingId", ParamType.STRING, "The candidate's id in your HRIS."),
            ),
            one_of=("id", "externalMappingId"),
        ),
        Operation(
            "api_search",
            "candidate.search",
            CANDIDATES_READ,
            "Find candidates by email and/or name (AND-combined; at most 100, no paging).",
            (
                Param("email", ParamType.STRING, "Email address to match."),
                Param("name", ParamType.STRING, "Name to match."),
            ),
            one_of=("email", "name"),
        ),
        Operation(
            "create",
            "candidate.create",
            CANDIDATES_WRITE,
            "Create a candidate; one with the same email is reported instead (allow_duplicate to create).",
            (
                Param("name", ParamType.STRING, "Full name.", required=True),
                Param("email", ParamType.STRING, "Primary email address."),
                *_CONTACT,
                Param("website", ParamType.STRING, "Personal website URL."),
                Param("alternateEmailAddresses", ParamType.STRING_LIST, "Other email addresses."),
                _SOURCE,
                _CREDITED,
                _LOCATION,
                written_at("candidate's creation"),
            ),
            access="write",
            unique_by="email",
        ),
        Operation(
            "update",
            "candidate.update",
            CANDIDATES_WRITE,
            "Change a candidate's contact details, source or location (given fields only).",
            (
                CANDIDATE,
                Param("name", ParamType.STRING, "Full name."),
                Param("email", ParamType.STRING, "Primary email address."),
                *_CONTACT,
                Param("websiteUrl", ParamType.STRING, "Personal website URL."),
                Param("alternateEmail", ParamType.STRING, "An email address to add."),
                Param(
                    "socialLinks",
                    ParamType.OBJECT_LIST,
                    'Every social link, replacing the current ones: [{"type", "url"}].',
                ),
                _SOURCE,
                _CREDITED,
                _LOCATION,
                written_at("candidate's creation"),
                _NOTIFY,
            ),
            access="write",
            idempotent=True,
        ),
        Operation(
            "add_tag",
            "candidate.addTag",
            CANDIDATES_WRITE,
            "Tag a candidate (candidate_tags lists the tags).",
            (CANDIDATE, Param("tagId", ParamType.UUID, "Id of the tag.", required=True)),
            access="comment",
            idempotent=True,
        ),
        Operation(
            "remove_tag",
            "candidate.removeTag",
            CANDIDATES_WRITE,
            "Remove a tag from a candidate.",
            (CANDIDATE, Param("tagId", ParamType.UUID, "Id of the tag.", required=True)),
            access="comment",
            idempotent=True,
        ),
        Operation(
            "add_project",
            "candidate.addProject",
            CANDIDATES_WRITE,
            "Add a candidate to a sourcing project.",
            (CANDIDATE, ref_param("projectId", "projects", "project")),
            access="write",
            idempotent=True,
        ),
        Operation(
            "remove_project",
            "candidate.removeProject",
            CANDIDATES_WRITE,
            "Remove a candidate from a sourcing project.",
            (CANDIDATE, ref_param("projectId", "projects", "project")),
            access="write",
            idempotent=True,
        ),
        Operation(
            "upload_resume",
            "candidate.uploadResume",
            CANDIDATES_WRITE,
            "Attach a resume uploaded through files create_upload_handle (context CandidateResume).",
            (CANDIDATE, Param("resumeHandle", ParamType.STRING, "The upload's handle.", required=True)),
            access="write",
        ),
        Operation(
            "upload_file",
            "candidate.uploadFile",
            CANDIDATES_WRITE,
            "Attach a file uploaded through files create_upload_handle (context CandidateFiles).",
            (CANDIDATE, Param("fileHandle", ParamType.STRING, "The upload's handle.", required=True)),
            access="write",
        ),
        Operation(
            "set_fraud_status",
            "candidate.setFraudStatus",
            CANDIDATES_WRITE,
            "Record the outcome of a fraud review on a candidate.",
            (
                CANDIDATE,
                Param(
                    "fraudStatus",
                    ParamType.ENUM,
                    "The review's outcome.",
                    required=True,
                    choices=("Fraudulent", "NotFraudulent", "Unsure", "Unreviewed", "PassedFraudCheck"),
                ),
            ),
            access="write",
            idempotent=True,
        ),
        Operation(
            "add_email_message",
            "candidate.addEmailMessage",
            CANDIDATES_WRITE,
            "Log an email exchanged with a candidate on their profile (from a mail integration).",
            (
                CANDIDATE,
                Param(
                    "emailProviderEmailId",
                    ParamType.STRING,
                    "The message's id at the mail provider.",
                    required=True,
                ),
                Param("subject", ParamType.STRING, "Subject line.", required=True),
                Param("from", ParamType.STRING, "Sender address.", required=True),
                Param("to", ParamType.STRING, "Recipient addresses.", required=True),
                Param("body", ParamType.STRING, "The message text.", required=True),
                Param("cc", ParamType.STRING, "Copied addresses."),
                ref_param("userId", "users", "user who sent or received it", required=False),
                Param("sentAt", ParamType.DATE_TIME, "When it was sent (ISO date-time; default now)."),
                Param("threadId", ParamType.STRING, "Id of the mail thread."),
                Param("messageUrl", ParamType.STRING, "Link to the message at the provider."),
                Param("messageIdHeader", ParamType.STRING, "The message's Message-ID header."),
                Param("isPrivate", ParamType.BOOLEAN, "Only visible to its sender (default false)."),
            ),
            access="write",
            returns="candidates:EmailMessage",
        ),
        Operation(
            "anonymize",
            "candidate.anonymize",
            CANDIDATES_WRITE,
            "Erase a candidate's personal data for good (every application must be archived or hired).",
            (CANDIDATE,),
            access="write",
            destructive=True,
            idempotent=True,
        ),
    )

    candidate_notes: Entity[Note, Note] = Entity(
        "Notes written on a candidate's profile.",
        Operation(
            "list",
            "candidate.listNotes",
            CANDIDATES_READ,
            "Notes of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
        Operation(
            "create",
            "candidate.createNote",
            CANDIDATES_WRITE,
            "Write a note on a candidate's profile.",
            (
                CANDIDATE,
                Param(
                    "note",
                    ParamType.TEXT_OR_OBJECT,
                    'The note: text, or {"type": "text/html", "value": ...} (b, i, u, a, lists, code kept).',
                    required=True,
                ),
                Param("sendNotifications", ParamType.BOOLEAN, "Notify subscribed users (default false)."),
                Param("isPrivate", ParamType.BOOLEAN, "Only its author can read it (default false)."),
                written_at("note"),
            ),
            access="comment",
        ),
    )

    candidate_projects: Entity[Project, Project] = Entity(
        "Sourcing projects a candidate belongs to.",
        Operation(
            "list",
            "candidate.listProjects",
            CANDIDATES_READ,
            "Projects of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
    )

    candidate_client_info: Entity[ClientInfo, ClientInfo] = Entity(
        "Browser/IP info recorded when a candidate applied.",
        Operation(
            "list",
            "candidate.listClientInfo",
            CANDIDATES_READ,
            "Client info rows of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
            sync=True,
        ),
    )

    candidate_fraud_checks: Entity[FraudCheck, FraudCheck] = Entity(
        "Fraud checks run on a candidate (feature-gated).",
        Operation(
            "list",
            "candidate.listFraudChecks",
            CANDIDATES_READ,
            "Fraud checks of one candidate.",
            (id_param("candidateId", "candidate"),),
            paginated=True,
        ),
    )
