"""Candidate writes under ``candidatesWrite``: create and update, tags, notes, projects, resume and
files, anonymizing, the fraud status and e-mail messages.

Each answers the Candidate as the write left it (``createNote`` the Note, ``addEmailMessage`` the
message). A write that changes nothing (a tag the candidate has, an update without fields) writes
nothing, so ``updatedAt`` and sync deltas move only on a change. Ashby allows two candidates with the
same e-mail address. Candidates announce no webhook events of their own; the candidate summary each
of their applications embeds follows their name, e-mail and phone (without an event, as in merges).
"""

from __future__ import annotations

import uuid
from typing import Any

from ..merges import candidate_summary
from ..params import InvalidInput, Param, is_http_url
from ..store import Record, iso_ms, public
from .endpoint import ApiError, Ctx, Endpoint, Handler, Params, dumps, ok
from .field_values import EMAIL
from .files import attach, uploaded
from .lookups import api_user, author, existing
from .note_html import sanitize

WRITE = "candidatesWrite"
TABLE = "candidate"
EMAIL_TABLE = "emailMessage"
PROFILE_URL = "https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/"
ANONYMIZED_NAME = "Anonymized Candidate"
SOCIAL_TYPES = ("LinkedIn", "GitHub", "Twitter", "Medium", "StackOverflow", "YouTube", "CodePen", "Website")
FRAUD_STATUSES = ("Fraudulent", "NotFraudulent", "Unsure")
NOTE_TYPES = ("text/plain", "text/html")
#: Candidate fields an anonymized candidate loses (omitted-when-empty ones are removed).
PII_REMOVED = (
    "primaryEmailAddress", "primaryPhoneNumber", "position", "company", "school", "resumeFileHandle",
    "location",
)  # fmt: skip
_CANDIDATE_ID = Param("candidateId", "uuid", required=True)
_LOCATION_PARTS = (("City", "city"), ("Region", "region"), ("Country", "country"))


def _answer(ctx: Ctx, candidate_id: str) -> bytes:
    return ok(ctx.store.table(TABLE).json(candidate_id))


def _now(ctx: Ctx) -> str:
    return iso_ms(ctx.store.now_ms())


# -- field values -----------------------------------------------------------------------------------
def _text(p: Params, name: str) -> str:
    value = str(p[name]).strip()
    if not value:
        raise InvalidInput(f'"{name}" must not be blank', name)
    return value


def _email(value: str, name: str) -> str:
    if not EMAIL.match(value.strip()):
        raise InvalidInput(f'"{name}" must be an e-mail address, such as jane@example.com', name)
    return value.strip()


def _url(value: str, name: str) -> str:
    if not is_http_url(value.strip()):
        raise InvalidInput(f'"{name}" must be an absolute http or https URL', name)
    return value.strip()


def _location(value: dict[str, Any]) -> Record | None:
    """A candidate ``location`` from ``{city, region, country}`` (None when all are empty)."""
    parts: dict[str, str] = {}
    for _kind, key in _LOCATION_PARTS:
        part = value.get(key)
        if part is not None and not isinstance(part, str):
            raise InvalidInput(f'"location.{key}" must be a string', f"location.{key}")
        if part and part.strip():
            parts[key] = part.strip()
    if not parts:
        return None
    return {
        "id": str(uuid.uuid4()),
        "locationSummary": ", ".join(parts[key] for _kind, key in _LOCATION_PARTS if key in parts),
        "locationComponents": [
            {"type": kind, "name": parts[key]} for kind, key in reversed(_LOCATION_PARTS) if key in parts
        ],
    }


def _with_primary(contacts: list[Record], value: str, kind: str) -> list[Record]:
    """``contacts`` with ``value`` as the primary one (added when new), the primary first."""
    same = [c for c in contacts if str(c.get("value", "")).lower() == value.lower()]
    chosen = {**same[0], "isPrimary": True} if same else {"value": value, "type": kind, "isPrimary": True}
    rest = [{**c, "isPrimary": False} for c in contacts if c not in same]
    return [chosen, *rest]


def _with_other(contacts: list[Record], value: str) -> list[Record]:
    """``contacts`` plus ``value`` as a non-primary address (primary if it is the only one)."""
    if any(str(c.get("value", "")).lower() == value.lower() for c in contacts):
        return contacts
    return [*contacts, {"value": value, "type": "Other", "isPrimary": not contacts}]


def _contact_fields(emails: list[Record], phones: list[Record]) -> tuple[Record, list[str]]:
    """(fields in a Candidate's key order, keys to drop): the e-mail and phone lists, each after its
    primary entry, which is omitted when there is none."""
    fields: Record = {}
    drop: list[str] = []
    for primary_key, key, contacts in (
        ("primaryEmailAddress", "emailAddresses", emails),
        ("primaryPhoneNumber", "phoneNumbers", phones),
    ):
        primary = next((c for c in contacts if c.get("isPrimary")), None)
        if primary is None:
            drop.append(primary_key)
        else:
            fields[primary_key] = primary
        fields[key] = contacts
    return fields, drop


def _with_link(links: list[Record], kind: str, url: str) -> list[Record]:
    return [*(link for link in links if link.get("type") != kind), {"type": kind, "url": url}]


def _social_links(items: list[Record]) -> list[Record]:
    links: list[Record] = []
    for i, item in enumerate(items):
        where = f"socialLinks[{i}]"
        if item.get("type") not in SOCIAL_TYPES:
            raise InvalidInput(f'"{where}.type" must be one of {", ".join(SOCIAL_TYPES)}', f"{where}.type")
        if not isinstance(item.get("url"), str):
            raise InvalidInput(f'"{where}.url" must be a string', f"{where}.url")
        links.append({"type": item["type"], "url": _url(item["url"], f"{where}.url")})
    return links


def _refresh_summaries(ctx: Ctx, candidate: Record) -> None:
    """Give the candidate's applications its current summary (name, primary e-mail and phone)."""
    summary = candidate_summary(candidate)
    for application_id in candidate.get("applicationIds") or []:
        application = ctx.store.get("application", application_id)
        if application is not None and application.get("candidate") != summary:
            ctx.store.update("application", application_id, {"candidate": summary}, announce=False)


def _write(ctx: Ctx, candidate: Record, fields: Record, drop: list[str] | tuple[str, ...] = ()) -> bytes:
    """Store what differs (nothing, if nothing does) and answer the candidate."""
    changed = {key: value for key, value in fields.items() if candidate.get(key) != value}
    dropped = [key for key in drop if key in candidate]
    if changed or dropped:
        after = ctx.store.update(TABLE, candidate["id"], changed, drop=dropped)
        if candidate_summary(after) != candidate_summary(candidate):
            _refresh_summaries(ctx, after)
    return _answer(ctx, candidate["id"])


# -- create / update --------------------------------------------------------------------------------
def _create(ctx: Ctx, p: Params) -> bytes:
    """A new candidate: the first e-mail given is the primary one, the alternates follow."""
    emails: list[Record] = []
    if "email" in p:
        emails = _with_primary(emails, _email(p["email"], "email"), "Personal")
    for i, alternate in enumerate(p.get("alternateEmailAddresses", [])):
        emails = _with_other(emails, _email(alternate, f"alternateEmailAddresses[{i}]"))
    phones = (
        [{"value": _text(p, "phoneNumber"), "type": "Personal", "isPrimary": True}]
        if "phoneNumber" in p
        else []
    )
    links = [
        {"type": kind, "url": _url(p[name], name)}
        for name, kind in (("linkedInUrl", "LinkedIn"), ("githubUrl", "GitHub"), ("website", "Website"))
        if name in p
    ]
    name = _text(p, "name")
    location = _location(p["location"]) if "location" in p else None
    contacts, _omitted = _contact_fields(emails, phones)
    with ctx.store.lock:
        source = public(existing(ctx, "source", p["sourceId"])) if "sourceId" in p else None
        credited = public(existing(ctx, "user", p["creditedToUserId"])) if "creditedToUserId" in p else None
        candidate_id, now = str(uuid.uuid4()), _now(ctx)
        record: Record = {
            "id": candidate_id,
            "createdAt": p.get("createdAt") or now,
            "updatedAt": now,
            "name": name,
            **contacts,
            "socialLinks": links,
            "tags": [],
            "applicationIds": [],
            "fileHandles": [],
            "customFields": [],
            "profileUrl": PROFILE_URL + candidate_id,
            "source": source,
            "creditedToUser": credited,
            "timezone": None,
        }
        if location is not None:
            record["location"] = location
        record["fraudStatus"] = None
        ctx.store.create(TABLE, record)
        return _answer(ctx, candidate_id)


def _update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        fields: Record = {}
        drop: list[str] = []
        if "name" in p:
            fields["name"] = _text(p, "name")
        emails = list(candidate.get("emailAddresses") or [])
        phones = list(candidate.get("phoneNumbers") or [])
        if "email" in p:
            emails = _with_primary(emails, _email(p["email"], "email"), "Personal")
        if "alternateEmail" in p:
            emails = _with_other(emails, _email(p["alternateEmail"], "alternateEmail"))
        if "phoneNumber" in p:
            phones = _with_primary(phones, _text(p, "phoneNumber"), "Personal")
        if {"email", "alternateEmail", "phoneNumber"} & p.keys():
            contacts, drop = _contact_fields(emails, phones)
            fields.update(contacts)
        links = list(candidate.get("socialLinks") or [])
        if "socialLinks" in p:  # replaces every link; the single-link params are then ignored
            links = _social_links(p["socialLinks"])
        else:
            for name, kind in (
                ("linkedInUrl", "LinkedIn"),
                ("githubUrl", "GitHub"),
                ("websiteUrl", "Website"),
            ):
                if name in p:
                    links = _with_link(links, kind, _url(p[name], name))
        fields["socialLinks"] = links
        if "sourceId" in p:
            fields["source"] = public(existing(ctx, "source", p["sourceId"]))
        if "creditedToUserId" in p:
            fields["creditedToUser"] = public(existing(ctx, "user", p["creditedToUserId"]))
        if "location" in p:
            location = _location(p["location"])
            old = candidate.get("location") or {}
            if location is None:
                drop.append("location")
            elif (old.get("locationSummary"), old.get("locationComponents")) != (
                location["locationSummary"],
                location["locationComponents"],
            ):
                fields["location"] = location
        if "createdAt" in p:
            fields["createdAt"] = p["createdAt"]
        return _write(ctx, candidate, fields, drop)


# -- tags, projects, fraud status -------------------------------------------------------------------
def _tag(ctx: Ctx, p: Params, *, add: bool) -> bytes:
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        tag = public(existing(ctx, "candidateTag", p["tagId"]))
        tags = [t for t in candidate.get("tags") or [] if add or t.get("id") != tag["id"]]
        if add and all(t.get("id") != tag["id"] for t in tags):
            tags.append(tag)
        return _write(ctx, candidate, {"tags": tags})


def _add_tag(ctx: Ctx, p: Params) -> bytes:
    return _tag(ctx, p, add=True)


def _remove_tag(ctx: Ctx, p: Params) -> bytes:
    return _tag(ctx, p, add=False)


def _rows_of(ctx: Ctx, table: str, field: str, candidate_id: str) -> list[str]:
    """Ids of the ``table`` rows whose ``field`` names the candidate (through the table's index)."""
    rows = ctx.store.table(table)
    return [key[2] for key in rows.index(field, lambda r: (r.get(field),)).get(candidate_id, [])]


def _project_links(ctx: Ctx, candidate_id: str, project_id: str) -> list[str]:
    links = ctx.store.table("candidateProject").rows
    found = _rows_of(ctx, "candidateProject", "_candidateId", candidate_id)
    return [row_id for row_id in found if links[row_id].get("_projectId") == project_id]


def _project(ctx: Ctx, p: Params, *, add: bool) -> bytes:
    """Join or leave a project; the candidate's ``updatedAt`` records the change."""
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        project_id = existing(ctx, "project", p["projectId"])["id"]
        links = _project_links(ctx, candidate["id"], project_id)
        if add and not links:
            link = {"_candidateId": candidate["id"], "_projectId": project_id}
            ctx.store.create("candidateProject", link, stamped=False)
        elif not add:
            for row_id in links:
                ctx.store.delete("candidateProject", row_id)
        if add != bool(links):  # joined, or left a project it was in
            ctx.store.update(TABLE, candidate["id"], {})
        return _answer(ctx, candidate["id"])


def _add_project(ctx: Ctx, p: Params) -> bytes:
    return _project(ctx, p, add=True)


def _remove_project(ctx: Ctx, p: Params) -> bytes:
    return _project(ctx, p, add=False)


def _set_fraud_status(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        return _write(ctx, existing(ctx, TABLE, p["candidateId"]), {"fraudStatus": p["fraudStatus"]})


# -- notes, files -----------------------------------------------------------------------------------
def _note_content(value: Any) -> str:
    """A note given as a string (plain text) or ``{type, value}``; HTML keeps Ashby's subset."""
    if isinstance(value, dict):
        kind, text = value.get("type"), value.get("value")
        if kind not in NOTE_TYPES:
            raise InvalidInput(f'"note.type" must be one of {", ".join(NOTE_TYPES)}', "note.type")
        if not isinstance(text, str):
            raise InvalidInput('"note.value" must be a string', "note.value")
    elif isinstance(value, str):
        kind, text = "text/plain", value
    else:
        raise InvalidInput('"note" must be a string or an object {type, value}', "note")
    if not text.strip():
        raise InvalidInput('"note" must not be blank', "note")
    return sanitize(text) if kind == "text/html" else text


def _create_note(ctx: Ctx, p: Params) -> bytes:
    content = _note_content(p["note"])
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        note: Record = {
            "id": str(uuid.uuid4()),
            "createdAt": p.get("createdAt") or _now(ctx),
            "isPrivate": p.get("isPrivate", False),
            "content": content,
            "author": author(api_user(ctx)),
            "_candidateId": candidate["id"],
        }
        return ok(dumps(public(ctx.store.create("note", note, stamped=False))))


def _upload_resume(ctx: Ctx, p: Params) -> bytes:
    """The resume becomes ``resumeFileHandle`` and joins ``fileHandles`` (the sandbox parses nothing:
    Ashby's parsing only fills empty fields, from a file the sandbox never receives)."""
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        handle = attach(ctx, uploaded(ctx, p["resumeHandle"], "CandidateResume", "resumeHandle"))
        files = [*(candidate.get("fileHandles") or []), handle]
        return _write(ctx, candidate, {"resumeFileHandle": handle, "fileHandles": files})


def _upload_file(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        handle = attach(ctx, uploaded(ctx, p["fileHandle"], "CandidateFiles", "fileHandle"))
        return _write(ctx, candidate, {"fileHandles": [*(candidate.get("fileHandles") or []), handle]})


# -- anonymize --------------------------------------------------------------------------------------
def _anonymize(ctx: Ctx, p: Params) -> bytes:
    """Irreversibly strip what identifies the candidate: contact details, links, profile, files,
    custom fields, notes, client info and e-mail messages; in the applications, the summary and the
    submitter's IP address and browser. Every application must be Archived or Hired first."""
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        applications = [
            (application_id, ctx.store.get("application", application_id))
            for application_id in candidate.get("applicationIds") or []
        ]
        active = [
            i for i, a in applications if a is not None and a.get("status") not in ("Archived", "Hired")
        ]
        if active:
            raise ApiError(
                "candidate_has_active_applications",
                f"Candidate {candidate['id']} has applications that are neither archived nor hired "
                f"({', '.join(active)}); archive or hire them first (application.changeStage).",
                meta={"applicationIds": active},
            )
        if candidate.get("_anonymized"):
            return _answer(ctx, candidate["id"])
        for file_handle in [*(candidate.get("fileHandles") or []), candidate.get("resumeFileHandle") or {}]:
            if ctx.store.get("fileHandle", str(file_handle.get("handle"))) is not None:
                ctx.store.delete("fileHandle", str(file_handle.get("handle")))
        for table, field in (
            ("note", "_candidateId"),
            ("clientInfo", "candidateId"),
            (EMAIL_TABLE, "candidateId"),
        ):
            for row_id in _rows_of(ctx, table, field, candidate["id"]):
                ctx.store.delete(table, row_id)
        fields: Record = {
            "name": ANONYMIZED_NAME,
            "emailAddresses": [],
            "phoneNumbers": [],
            "socialLinks": [],
            "fileHandles": [],
            "customFields": [],
            "timezone": None,
            "_anonymized": True,
        }
        after = ctx.store.update(TABLE, candidate["id"], fields, drop=PII_REMOVED)
        summary = candidate_summary(after)
        private = {"candidate": summary, "submitterClientIp": None, "submitterUserAgent": None}
        for application_id, application in applications:
            if application is not None:
                drop = ("resumeFileHandle", "_applicationFormSubmissions")
                ctx.store.update("application", application_id, private, announce=False, drop=drop)
        return _answer(ctx, candidate["id"])


# -- e-mail messages --------------------------------------------------------------------------------
def _add_email_message(ctx: Ctx, p: Params) -> bytes:
    """Attach an e-mail from another system; ``emailProviderEmailId`` is unique per API key."""
    with ctx.store.lock:
        candidate = existing(ctx, TABLE, p["candidateId"])
        user = existing(ctx, "user", p["userId"]) if "userId" in p else api_user(ctx)
        messages = ctx.store.table(EMAIL_TABLE).rows
        for message_id, message in messages.items():
            if message.get("_keyTitle") == ctx.key.title and (
                message.get("emailProviderEmailId") == p["emailProviderEmailId"]
            ):
                raise ApiError(
                    "email_message_already_exists",
                    f"This API key already added the message {p['emailProviderEmailId']!r} ({message_id}); "
                    "each emailProviderEmailId is added once.",
                    meta={"emailMessageId": message_id},
                )
        sender = str(p["from"]).lower()
        message = {
            "id": str(uuid.uuid4()),
            "candidateId": candidate["id"],
            "emailProviderEmailId": p["emailProviderEmailId"],
            "subject": p["subject"],
            "from": p["from"],
            "to": p["to"],
            "body": p["body"],
            "sentAt": p.get("sentAt") or _now(ctx),
            "cc": p.get("cc"),
            "messageUrl": p.get("messageUrl"),
            "messageIdHeader": p.get("messageIdHeader"),
            "threadId": p.get("threadId") or p["emailProviderEmailId"],
            "isPrivate": p.get("isPrivate", False),
            "userIsSender": bool(user.get("email")) and str(user.get("email")).lower() in sender,
            "_keyTitle": ctx.key.title,
            "_userId": user.get("id"),
        }
        return ok(dumps(public(ctx.store.create(EMAIL_TABLE, message, stamped=False))))


def _endpoint(name: str, params: tuple[Param, ...], handler: Handler, *, strict: bool = False) -> Endpoint:
    return Endpoint(f"candidate.{name}", WRITE, params, handler, strict_schema=strict)


_LOCATION = Param("location", "object")
_CREATED_AT = Param("createdAt", "iso")
_SOURCE, _CREDITED = Param("sourceId", "uuid"), Param("creditedToUserId", "uuid")
_TAG = (_CANDIDATE_ID, Param("tagId", "uuid", required=True))
_PROJECT = (_CANDIDATE_ID, Param("projectId", "uuid", required=True))

ENDPOINTS: list[Endpoint] = [
    _endpoint(
        "create",
        (
            Param("name", "str", required=True),
            Param("email", "str"),
            Param("phoneNumber", "str"),
            Param("linkedInUrl", "str"),
            Param("githubUrl", "str"),
            Param("website", "str"),
            Param("alternateEmailAddresses", "str_list"),
            _SOURCE,
            _CREDITED,
            _LOCATION,
            _CREATED_AT,
        ),
        _create,
    ),
    _endpoint(
        "update",
        (
            _CANDIDATE_ID,
            Param("name", "str"),
            Param("email", "str"),
            Param("phoneNumber", "str"),
            Param("linkedInUrl", "str"),
            Param("githubUrl", "str"),
            Param("websiteUrl", "str"),
            Param("alternateEmail", "str"),
            Param("socialLinks", "object_list"),
            _SOURCE,
            _CREDITED,
            _LOCATION,
            _CREATED_AT,
            Param("sendNotifications", "bool"),
        ),
        _update,
    ),
    _endpoint("addTag", _TAG, _add_tag),
    _endpoint("removeTag", _TAG, _remove_tag, strict=True),
    _endpoint(
        "createNote",
        (
            _CANDIDATE_ID,
            Param("note", "any", required=True),
            Param("sendNotifications", "bool"),
            Param("isPrivate", "bool"),
            _CREATED_AT,
        ),
        _create_note,
    ),
    _endpoint("addProject", _PROJECT, _add_project),
    _endpoint("removeProject", _PROJECT, _remove_project, strict=True),
    _endpoint("uploadResume", (_CANDIDATE_ID, Param("resumeHandle", "str", required=True)), _upload_resume),
    _endpoint("uploadFile", (_CANDIDATE_ID, Param("fileHandle", "str", required=True)), _upload_file),
    _endpoint("anonymize", (_CANDIDATE_ID,), _anonymize),
    _endpoint(
        "setFraudStatus",
        (_CANDIDATE_ID, Param("fraudStatus", "enum", required=True, choices=FRAUD_STATUSES)),
        _set_fraud_status,
    ),
    _endpoint(
        "addEmailMessage",
        (
            _CANDIDATE_ID,
            Param("emailProviderEmailId", "str", required=True),
            Param("subject", "str", required=True),
            Param("from", "str", required=True),
            Param("to", "str", required=True),
            Param("body", "str", required=True),
            Param("userId", "uuid"),
            Param("sentAt", "iso"),
            Param("cc", "str"),
            Param("messageUrl", "str"),
            Param("messageIdHeader", "str"),
            Param("threadId", "str"),
            Param("isPrivate", "bool"),
        ),
        _add_email_message,
        strict=True,
    ),
]

__all__ = ["EMAIL_TABLE", "ENDPOINTS"]
