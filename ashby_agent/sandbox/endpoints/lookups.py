"""What a write names by id: the record, or Ashby's ``<entity>_not_found``; and the forms writes embed
records in (a User as ``creditedToUser``, a Note's ``author``, a Source, a tag, a stage...).

Writes also act as someone: Ashby credits notes, scorecards and stage moves made through the API to
"the API key user". Sandbox keys belong to no user, so that user is the organisation's first enabled
admin (user-table order), else its first enabled user.
"""

from __future__ import annotations

from ..store import Record, public
from .endpoint import ApiError, Ctx, not_found

#: Table -> (not-found code, what the message calls it).
NOT_FOUND = {
    "candidate": ("candidate_not_found", "Candidate"),
    "application": ("application_not_found", "Application"),
    "job": ("job_not_found", "Job"),
    "user": ("user_not_found", "User"),
    "source": ("source_not_found", "Source"),
    "candidateTag": ("candidate_tag_not_found", "Candidate tag"),
    "project": ("project_not_found", "Project"),
    "interviewPlan": ("interview_plan_not_found", "Interview plan"),
    "interviewStage": ("interview_stage_not_found", "Interview stage"),
    "archiveReason": ("archive_reason_not_found", "Archive reason"),
    "communicationTemplate": ("communication_template_not_found", "Communication template"),
    "hiringTeamRole": ("hiring_team_role_not_found", "Hiring team role"),
    "feedbackFormDefinition": ("feedback_form_definition_not_found", "Feedback form definition"),
    "interviewEvent": ("interview_event_not_found", "Interview event"),
}
AUTHOR_KEYS = ("id", "firstName", "lastName", "email")


def existing(ctx: Ctx, table: str, row_id: str) -> Record:
    """The stored record (not a copy: read it, never change it), or the table's not-found error."""
    record = ctx.store.table(table).rows.get(row_id)
    if record is None:
        code, what = NOT_FOUND[table]
        raise not_found(code, what)
    return record


def api_user(ctx: Ctx) -> Record:
    """The user the calling key acts as (see the module docstring)."""
    users = ctx.store.table("user")
    enabled = [users.rows[key[2]] for key in users.keys if users.rows[key[2]].get("isEnabled", True)]
    admins = [user for user in enabled if user.get("globalRole") == "Organization Admin"]
    if not enabled:
        raise ApiError(
            "user_not_found",
            "The sandbox has no enabled user for the API key to act as; add one "
            "(control.create('user', ...)) or pass userId.",
        )
    return (admins or enabled)[0]


def author(user: Record) -> Record:
    """A Note's ``author``: the user's id, names and e-mail only."""
    return {key: user.get(key) for key in AUTHOR_KEYS}


def archive_reason(reason: Record) -> Record:
    """An application's ``archiveReason``: the reason plus its (empty) ``customFields``."""
    return {**public(reason), "customFields": []}


def hiring_team_member(user: Record, role: Record) -> Record:
    """A HiringTeamMember: the user's names and e-mail with the role's title."""
    return {
        "userId": user.get("id"),
        "firstName": user.get("firstName"),
        "lastName": user.get("lastName"),
        "email": user.get("email"),
        "role": role.get("title"),
    }


__all__ = ["NOT_FOUND", "api_user", "archive_reason", "author", "existing", "hiring_team_member"]
