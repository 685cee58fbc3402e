"""Candidate writes over real HTTP: each change read back through the read endpoints and seen in the
``candidate.list`` sync delta, each refusal with its Ashby error code, nothing written by a refusal."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api
from tests.sandbox.contract_spec import CANDIDATE, NOTE, NOTE_KEYS, conform, generic_violations
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.write_dataset import IDS, UNKNOWN

LONELY = IDS["lonely"]


def _candidate(api: Api, candidate_id: str) -> dict[str, Any]:
    record: dict[str, Any] = results(api("candidate.info", id=candidate_id))
    return record


def _valid(record: dict[str, Any]) -> None:
    assert conform(record, CANDIDATE) == []
    assert generic_violations(record) == []


# -- create -----------------------------------------------------------------------------------------
def test_create_with_a_name_only_answers_a_complete_candidate_seen_by_info_list_and_sync(wapi: Api) -> None:
    delta = Delta(wapi, "candidate.list")
    created = results(wapi("candidate.create", name="  Ada Lovelace "))
    _valid(created)
    assert created["name"] == "Ada Lovelace"
    assert created["emailAddresses"] == created["phoneNumbers"] == created["socialLinks"] == []
    assert "primaryEmailAddress" not in created and "location" not in created  # omitted, not null
    assert created["source"] is created["creditedToUser"] is created["fraudStatus"] is None
    assert created["profileUrl"].endswith("/candidates/" + created["id"])
    assert created["createdAt"] == created["updatedAt"]
    assert _candidate(wapi, created["id"]) == created
    assert delta.ids() == [created["id"]]


def test_create_with_every_field(wapi: Api) -> None:
    created = results(
        wapi(
            "candidate.create",
            name="Grace Hopper",
            email="grace@example.com",
            phoneNumber="+1 555 0100",
            linkedInUrl="https://linkedin.com/in/grace",
            githubUrl="https://github.com/grace",
            website="https://grace.dev",
            alternateEmailAddresses=["g.hopper@navy.example.com", "grace@example.com"],
            sourceId=IDS["source"],
            creditedToUserId=IDS["user1"],
            location={"city": "Arlington", "region": "Virginia", "country": "United States"},
            createdAt="2024-02-04T21:38:12Z",
        )
    )
    _valid(created)
    assert created["primaryEmailAddress"] == {
        "value": "grace@example.com",
        "type": "Personal",
        "isPrimary": True,
    }
    assert [e["value"] for e in created["emailAddresses"]] == [
        "grace@example.com",
        "g.hopper@navy.example.com",
    ]
    assert [e["isPrimary"] for e in created["emailAddresses"]] == [True, False]
    assert created["primaryPhoneNumber"]["value"] == "+1 555 0100"
    assert {link["type"] for link in created["socialLinks"]} == {"LinkedIn", "GitHub", "Website"}
    assert created["source"]["id"] == IDS["source"]
    assert created["creditedToUser"]["id"] == IDS["user1"]
    assert created["location"]["locationSummary"] == "Arlington, Virginia, United States"
    assert [c["type"] for c in created["location"]["locationComponents"]] == ["Country", "Region", "City"]
    assert created["createdAt"] == "2024-02-04T21:38:12.000Z"


def test_a_second_candidate_with_the_same_email_is_allowed(wapi: Api) -> None:
    first = results(wapi("candidate.create", name="One", email="same@example.com"))
    second = results(wapi("candidate.create", name="Two", email="same@example.com"))
    assert first["id"] != second["id"]
    found = results(wapi("candidate.search", email="same@example.com"))
    assert {c["id"] for c in found} == {first["id"], second["id"]}


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "name"),
        ({"name": "   "}, "invalid_input", "name"),
        ({"name": 7}, "invalid_input", "name"),
        ({"name": "X", "email": "not-an-email"}, "invalid_input", "email"),
        (
            {"name": "X", "alternateEmailAddresses": ["a@b.co", "nope"]},
            "invalid_input",
            "alternateEmailAddresses[1]",
        ),
        ({"name": "X", "linkedInUrl": "linkedin.com/in/x"}, "invalid_input", "linkedInUrl"),
        ({"name": "X", "location": {"city": 5}}, "invalid_input", "location.city"),
        ({"name": "X", "location": "Paris"}, "invalid_input", "location"),
        ({"name": "X", "createdAt": "last week"}, "invalid_input", "createdAt"),
        ({"name": "X", "createdAt": "1969-12-31T23:59:59Z"}, "invalid_input", "createdAt"),
        ({"name": "X", "sourceId": "not-a-uuid"}, "invalid_input", "sourceId"),
        ({"name": "X", "sourceId": UNKNOWN}, "source_not_found", None),
        ({"name": "X", "creditedToUserId": UNKNOWN}, "user_not_found", None),
    ],
)
def test_create_refusals_write_nothing(
    wapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = Delta(wapi, "candidate.list")
    error(wapi("candidate.create", **body), code, parameter)
    assert delta.ids() == []


# -- update -----------------------------------------------------------------------------------------
def test_update_changes_the_fields_and_the_summary_in_the_applications(wapi: Api, wsb: SandboxHandle) -> None:
    candidate_id, application_id = IDS["active_app_candidate"], IDS["active_app"]
    candidates, applications = Delta(wapi, "candidate.list"), Delta(wapi, "application.list")
    before = _candidate(wapi, candidate_id)
    wsb.control.advance_clock(5)
    updated = results(
        wapi(
            "candidate.update",
            candidateId=candidate_id,
            name="Renamed Person",
            email="new@example.com",
            phoneNumber="+44 20 0000",
            alternateEmail="alt@example.com",
            websiteUrl="https://renamed.dev",
            sendNotifications=False,
        )
    )
    _valid(updated)
    assert updated["name"] == "Renamed Person"
    assert updated["primaryEmailAddress"]["value"] == "new@example.com"
    values = [(e["value"], e["isPrimary"]) for e in updated["emailAddresses"]]
    assert values == [
        ("new@example.com", True),
        (before["primaryEmailAddress"]["value"], False),
        ("alt@example.com", False),
    ]
    assert updated["primaryPhoneNumber"]["value"] == "+44 20 0000"
    assert updated["socialLinks"] == [{"type": "Website", "url": "https://renamed.dev"}]
    assert updated["updatedAt"] > before["updatedAt"]
    assert _candidate(wapi, candidate_id) == updated
    assert candidates.ids() == [candidate_id]
    summary = results(wapi("application.info", applicationId=application_id))["candidate"]
    assert summary == {
        "id": candidate_id,
        "name": "Renamed Person",
        "primaryEmailAddress": updated["primaryEmailAddress"],
        "primaryPhoneNumber": updated["primaryPhoneNumber"],
    }
    assert applications.ids() == [application_id]


def test_social_links_replace_every_link_and_win_over_the_single_link_params(wapi: Api) -> None:
    links = [{"type": "GitHub", "url": "https://github.com/x"}, {"type": "Twitter", "url": "https://x.com/x"}]
    updated = results(
        wapi(
            "candidate.update", candidateId=LONELY, socialLinks=links, linkedInUrl="https://linkedin.com/in/x"
        )
    )
    assert updated["socialLinks"] == links
    again = results(wapi("candidate.update", candidateId=LONELY, linkedInUrl="https://linkedin.com/in/y"))
    assert again["socialLinks"] == [*links, {"type": "LinkedIn", "url": "https://linkedin.com/in/y"}]


def test_an_update_that_changes_nothing_writes_nothing(wapi: Api, wsb: SandboxHandle) -> None:
    before = _candidate(wapi, LONELY)
    delta = Delta(wapi, "candidate.list")
    wsb.control.advance_clock(5)
    assert results(wapi("candidate.update", candidateId=LONELY, sendNotifications=True)) == before
    assert results(wapi("candidate.update", candidateId=LONELY, name=before["name"])) == before
    assert delta.ids() == []


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "candidateId"),
        ({"candidateId": UNKNOWN, "name": "X"}, "candidate_not_found", None),
        ({"candidateId": LONELY, "socialLinks": [{"type": "MySpace", "url": "https://m.example"}]},
         "invalid_input", "socialLinks[0].type"),
        ({"candidateId": LONELY, "socialLinks": [{"type": "GitHub"}]}, "invalid_input", "socialLinks[0].url"),
        ({"candidateId": LONELY, "socialLinks": "https://github.com/x"}, "invalid_input", "socialLinks"),
        ({"candidateId": LONELY, "websiteUrl": "ftp://x.example"}, "invalid_input", "websiteUrl"),
        ({"candidateId": LONELY, "email": "x@"}, "invalid_input", "email"),
        ({"candidateId": LONELY, "creditedToUserId": UNKNOWN}, "user_not_found", None),
    ],
)  # fmt: skip
def test_update_refusals(wapi: Api, body: dict[str, Any], code: str, parameter: str | None) -> None:
    before = _candidate(wapi, LONELY)
    error(wapi("candidate.update", **body), code, parameter)
    assert _candidate(wapi, LONELY) == before


# -- tags, projects, fraud status -------------------------------------------------------------------
def test_tags_are_added_once_and_removed(wapi: Api) -> None:
    delta = Delta(wapi, "candidate.list")
    tagged = results(wapi("candidate.addTag", candidateId=LONELY, tagId=IDS["tag"]))
    assert tagged["tags"] == [{"id": IDS["tag"], "title": "Python", "isArchived": False}]
    assert _candidate(wapi, LONELY)["tags"] == tagged["tags"]
    assert delta.ids() == [LONELY]
    again = Delta(wapi, "candidate.list")
    assert results(wapi("candidate.addTag", candidateId=LONELY, tagId=IDS["tag"])) == tagged
    assert again.ids() == []  # already tagged: nothing written
    untagged = results(wapi("candidate.removeTag", candidateId=LONELY, tagId=IDS["tag"]))
    assert untagged["tags"] == []
    assert again.ids() == [LONELY]
    assert results(wapi("candidate.removeTag", candidateId=LONELY, tagId=IDS["tag"]))["tags"] == []


def test_tag_refusals(wapi: Api) -> None:
    error(wapi("candidate.addTag", candidateId=LONELY, tagId=UNKNOWN), "candidate_tag_not_found")
    error(wapi("candidate.removeTag", candidateId=UNKNOWN, tagId=IDS["tag"]), "candidate_not_found")
    error(wapi("candidate.addTag", candidateId=LONELY), "invalid_input", "tagId")
    assert _candidate(wapi, LONELY)["tags"] == []


def test_strict_mode_refuses_extra_keys_where_the_schema_forbids_them(fresh: Any, client_for: Any) -> None:
    from tests.sandbox.write_dataset import write_dataset

    with fresh(dataset=write_dataset(), strict_schemas=True) as sb:
        api = client_for(sb)
        body = {"candidateId": LONELY, "tagId": IDS["tag"], "why": "x"}
        error(api("candidate.removeTag", **body), "invalid_input", "why")
        error(
            api("candidate.removeProject", candidateId=LONELY, projectId=IDS["project"], why=1),
            "invalid_input",
            "why",
        )
        assert results(api("candidate.addTag", **body))["tags"][0]["id"] == IDS["tag"]  # addTag allows them


def test_projects_are_joined_once_and_left(wapi: Api, wsb: SandboxHandle) -> None:
    delta = Delta(wapi, "candidate.list")
    before = _candidate(wapi, LONELY)
    wsb.control.advance_clock(5)
    joined = results(wapi("candidate.addProject", candidateId=LONELY, projectId=IDS["project"]))
    _valid(joined)
    projects, _ = wapi.walk("candidate.listProjects", candidateId=LONELY)
    assert [p["id"] for p in projects] == [IDS["project"]]
    assert delta.ids() == [LONELY]
    assert joined["updatedAt"] > before["updatedAt"]
    again = Delta(wapi, "candidate.list")
    results(wapi("candidate.addProject", candidateId=LONELY, projectId=IDS["project"]))
    assert again.ids() == []
    results(wapi("candidate.removeProject", candidateId=LONELY, projectId=IDS["project"]))
    assert wapi.walk("candidate.listProjects", candidateId=LONELY)[0] == []
    assert again.ids() == [LONELY]
    error(wapi("candidate.addProject", candidateId=LONELY, projectId=UNKNOWN), "project_not_found")


def test_fraud_status(wapi: Api) -> None:
    delta = Delta(wapi, "candidate.list")
    assert (
        results(wapi("candidate.setFraudStatus", candidateId=LONELY, fraudStatus="Unsure"))["fraudStatus"]
        == "Unsure"
    )
    assert _candidate(wapi, LONELY)["fraudStatus"] == "Unsure"
    assert delta.ids() == [LONELY]
    error(
        wapi("candidate.setFraudStatus", candidateId=LONELY, fraudStatus="Unreviewed"),
        "invalid_input",
        "fraudStatus",
    )
    error(wapi("candidate.setFraudStatus", candidateId=LONELY), "invalid_input", "fraudStatus")


# -- notes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("note", "content"),
    [
        ("Strong <candidate>", "Strong <candidate>"),  # plain text is kept as written
        ({"type": "text/plain", "value": "plain"}, "plain"),
        (
            {"type": "text/html",
             "value": '<p>Great <b>Python</b>, <a href="https://x.org" onclick="y">code</a></p>'
                      "<script>alert(1)</script><ul><li>one<li>two</ul><h1>Title</h1>"},
            'Great <b>Python</b>, <a href="https://x.org">code</a><ul><li>one</li><li>two</li></ul>Title',
        ),
    ],
)  # fmt: skip
def test_create_note_answers_the_note_listed_by_list_notes(wapi: Api, note: Any, content: str) -> None:
    created = results(wapi("candidate.createNote", candidateId=LONELY, note=note))
    assert set(created) == NOTE_KEYS
    assert conform(created, NOTE) == []
    assert created["content"] == content
    assert created["isPrivate"] is False
    assert created["author"] == {
        "id": IDS["admin"], "firstName": "User0", "lastName": "Tester", "email": "user0@example.com",
    }  # fmt: skip
    notes, _ = wapi.walk("candidate.listNotes", candidateId=LONELY)
    assert notes == [created]


def test_a_note_may_be_private_and_dated(wapi: Api) -> None:
    note = {"type": "text/plain", "value": "between us"}
    created = results(
        wapi(
            "candidate.createNote",
            candidateId=LONELY,
            note=note,
            isPrivate=True,
            createdAt="2025-01-02T03:04:05.678+01:00",
        )
    )
    assert created["isPrivate"] is True
    assert created["createdAt"] == "2025-01-02T02:04:05.678Z"


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({"candidateId": LONELY}, "invalid_input", "note"),
        ({"candidateId": LONELY, "note": "  "}, "invalid_input", "note"),
        ({"candidateId": LONELY, "note": 42}, "invalid_input", "note"),
        (
            {"candidateId": LONELY, "note": {"type": "text/markdown", "value": "x"}},
            "invalid_input",
            "note.type",
        ),
        ({"candidateId": LONELY, "note": {"type": "text/html"}}, "invalid_input", "note.value"),
        ({"candidateId": UNKNOWN, "note": "x"}, "candidate_not_found", None),
    ],
)
def test_create_note_refusals(wapi: Api, body: dict[str, Any], code: str, parameter: str | None) -> None:
    error(wapi("candidate.createNote", **body), code, parameter)
    if body["candidateId"] == LONELY:
        assert wapi.walk("candidate.listNotes", candidateId=LONELY)[0] == []


# -- resume and files -------------------------------------------------------------------------------
def _handle(api: Api, context: str, filename: str = "resume.pdf") -> str:
    upload = results(
        api("file.createFileUploadHandle", fileUploadContext=context, filename=filename,
            contentType="application/pdf", contentLength=1024)
    )  # fmt: skip
    return str(upload["handle"])


def test_upload_resume_attaches_a_readable_file(wapi: Api) -> None:
    delta = Delta(wapi, "candidate.list")
    candidate = results(
        wapi(
            "candidate.uploadResume",
            candidateId=LONELY,
            resumeHandle=_handle(wapi, "CandidateResume", "CV 2026.pdf"),
        )
    )
    _valid(candidate)
    resume = candidate["resumeFileHandle"]
    assert resume["name"] == "CV 2026.pdf"
    assert candidate["fileHandles"] == [resume]
    url = results(wapi("file.info", fileHandle=resume["handle"]))["url"]
    assert url.endswith("/CV%202026.pdf")
    assert delta.ids() == [LONELY]
    second = results(
        wapi("candidate.uploadResume", candidateId=LONELY, resumeHandle=_handle(wapi, "CandidateResume"))
    )
    assert second["resumeFileHandle"] != resume
    assert second["fileHandles"] == [resume, second["resumeFileHandle"]]  # the older resume stays a file


def test_upload_file_adds_a_file(wapi: Api) -> None:
    candidate = results(
        wapi(
            "candidate.uploadFile",
            candidateId=LONELY,
            fileHandle=_handle(wapi, "CandidateFiles", "portfolio.pdf"),
        )
    )
    assert [f["name"] for f in candidate["fileHandles"]] == ["portfolio.pdf"]
    assert "resumeFileHandle" not in candidate


def test_upload_handles_are_checked(wapi: Api, wsb: SandboxHandle) -> None:
    files_handle = _handle(wapi, "CandidateFiles")
    message = error(
        wapi("candidate.uploadResume", candidateId=LONELY, resumeHandle=files_handle),
        "invalid_input",
        "resumeHandle",
    )
    assert "CandidateResume" in message
    error(
        wapi("candidate.uploadFile", candidateId=LONELY, fileHandle="forged"), "invalid_input", "fileHandle"
    )
    wsb.control.advance_clock(601)  # the presigned upload lives ten minutes
    message = error(
        wapi("candidate.uploadFile", candidateId=LONELY, fileHandle=files_handle),
        "invalid_input",
        "fileHandle",
    )
    assert "10 minutes" in message
    assert _candidate(wapi, LONELY)["fileHandles"] == []


# -- anonymize --------------------------------------------------------------------------------------
def test_anonymize_needs_every_application_archived_or_hired(wapi: Api) -> None:
    candidate_id = IDS["active_app_candidate"]
    before = _candidate(wapi, candidate_id)
    payload = wapi("candidate.anonymize", candidateId=candidate_id)
    error(payload, "candidate_has_active_applications")
    assert payload["errorInfo"]["meta"] == {"applicationIds": [IDS["active_app"]]}
    assert _candidate(wapi, candidate_id) == before


def test_anonymize_strips_what_identifies_the_candidate(wapi: Api) -> None:
    candidate_id, application_id = IDS["active_app_candidate"], IDS["active_app"]
    archived = wapi(
        "application.changeStage",
        applicationId=application_id,
        interviewStageId=IDS["stage_Archived"],
        archiveReasonId=IDS["reason"],
    )
    assert results(archived)["status"] == "Archived"
    results(
        wapi(
            "candidate.update",
            candidateId=candidate_id,
            phoneNumber="+1 555",
            linkedInUrl="https://linkedin.com/in/z",
        )
    )
    results(wapi("candidate.createNote", candidateId=candidate_id, note="Knows Jane"))
    resume = results(
        wapi(
            "candidate.uploadResume", candidateId=candidate_id, resumeHandle=_handle(wapi, "CandidateResume")
        )
    )["resumeFileHandle"]
    delta = Delta(wapi, "candidate.list")
    anonymized = results(wapi("candidate.anonymize", candidateId=candidate_id))
    _valid(anonymized)
    assert anonymized["name"] == "Anonymized Candidate"
    assert anonymized["emailAddresses"] == anonymized["phoneNumbers"] == anonymized["socialLinks"] == []
    assert anonymized["fileHandles"] == anonymized["customFields"] == []
    for key in ("primaryEmailAddress", "primaryPhoneNumber", "resumeFileHandle", "location"):
        assert key not in anonymized
    assert anonymized["applicationIds"] == [application_id]
    assert _candidate(wapi, candidate_id) == anonymized
    assert delta.ids() == [candidate_id]
    assert wapi.walk("candidate.listNotes", candidateId=candidate_id)[0] == []
    error(wapi("file.info", fileHandle=resume["handle"]), "file_not_found")
    application = results(wapi("application.info", applicationId=application_id))
    assert application["candidate"] == {"id": candidate_id, "name": "Anonymized Candidate"}
    assert application["submitterClientIp"] is None
    assert results(wapi("candidate.anonymize", candidateId=candidate_id)) == anonymized  # again: nothing left


# -- e-mail messages --------------------------------------------------------------------------------
def test_add_email_message_once_per_provider_id(wapi: Api, wsb: SandboxHandle) -> None:
    body = {
        "candidateId": LONELY, "emailProviderEmailId": "msg-1", "subject": "Hello",
        "from": "user0@example.com", "to": "cand100@example.com", "body": "<p>Hi</p>",
        "sentAt": "2026-01-01T10:00:00Z",
    }  # fmt: skip
    message = results(wapi("candidate.addEmailMessage", **body))
    assert message == {
        "id": message["id"], "candidateId": LONELY, "emailProviderEmailId": "msg-1", "subject": "Hello",
        "from": "user0@example.com", "to": "cand100@example.com", "body": "<p>Hi</p>",
        "sentAt": "2026-01-01T10:00:00.000Z", "cc": None, "messageUrl": None, "messageIdHeader": None,
        "threadId": "msg-1", "isPrivate": False, "userIsSender": True,
    }  # fmt: skip
    assert [m["id"] for m in wsb.control.records("emailMessage")] == [message["id"]]
    payload = wapi("candidate.addEmailMessage", **body)
    error(payload, "email_message_already_exists")
    assert payload["errorInfo"]["meta"] == {"emailMessageId": message["id"]}
    other = results(
        wapi("candidate.addEmailMessage", **{**body, "emailProviderEmailId": "msg-2", "userId": IDS["user1"]})
    )
    assert other["userIsSender"] is False
    error(
        wapi("candidate.addEmailMessage", **{**body, "emailProviderEmailId": "m3", "subject": None}),
        "invalid_input",
        "subject",
    )


# -- permissions ------------------------------------------------------------------------------------
CANDIDATE_WRITES = [
    ("candidate.create", {"name": "X"}),
    ("candidate.update", {"candidateId": LONELY, "name": "X"}),
    ("candidate.addTag", {"candidateId": LONELY, "tagId": IDS["tag"]}),
    ("candidate.removeTag", {"candidateId": LONELY, "tagId": IDS["tag"]}),
    ("candidate.createNote", {"candidateId": LONELY, "note": "x"}),
    ("candidate.addProject", {"candidateId": LONELY, "projectId": IDS["project"]}),
    ("candidate.removeProject", {"candidateId": LONELY, "projectId": IDS["project"]}),
    ("candidate.uploadResume", {"candidateId": LONELY, "resumeHandle": "h"}),
    ("candidate.uploadFile", {"candidateId": LONELY, "fileHandle": "h"}),
    ("candidate.anonymize", {"candidateId": LONELY}),
    ("candidate.setFraudStatus", {"candidateId": LONELY, "fraudStatus": "Unsure"}),
    ("candidate.addEmailMessage", {"candidateId": LONELY}),
]


@pytest.mark.parametrize(("endpoint", "body"), CANDIDATE_WRITES, ids=[e for e, _b in CANDIDATE_WRITES])
def test_a_key_without_candidates_write_gets_the_permission_error(
    wsb: SandboxHandle, client_for: Any, endpoint: str, body: dict[str, Any]
) -> None:
    before = wsb.control.records("candidate")
    response = client_for(wsb, "read-key").raw(endpoint, body)
    assert response.status_code == 403
    payload = response.json()
    error(payload, "missing_endpoint_permission")
    assert payload["errorInfo"]["meta"] == {"missingPermission": "candidatesWrite"}
    assert wsb.control.records("candidate") == before


def test_a_write_only_key_writes_but_does_not_read(wsb: SandboxHandle, client_for: Any) -> None:
    writer = client_for(wsb, "write-key")
    created = results(writer("candidate.create", name="Written"))
    assert wsb.control.get("candidate", created["id"])["name"] == "Written"
    assert writer.raw("candidate.info", {"id": created["id"]}).status_code == 403
