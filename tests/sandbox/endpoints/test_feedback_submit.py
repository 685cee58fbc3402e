"""``applicationFeedback.submit`` over real HTTP: the value format of every field type, required
fields, the interview event rules, and the scorecard read back through ``applicationFeedback.list``
(and its sync delta)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import Api
from tests.sandbox.contract_spec import FEEDBACK, USER, conform
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.write_dataset import IDS, UNKNOWN

ACTIVE = IDS["active_app"]
REQUIRED = {"overall": {"score": 3}, "fit": "Yes", "notes": "Solid."}
#: A valid value of every field of the form, by path.
VALID = {
    **REQUIRED,
    "again": True,
    "start": "2026-03-01",
    "skills": ["Python", "Go"],
    "years": 7,
    "referee": "ref@example.com",
    "salary": {"value": 120000, "currencyCode": "EUR"},
    "band": {"type": "number-range", "minValue": 1, "maxValue": 10},
    "comp": {"type": "compensation-range", "minValue": 90000, "maxValue": 110000, "currencyCode": "USD",
             "interval": "1 YEAR"},
    "summary": {"type": "PlainText", "value": "Good."},
    "portfolio": "https://example.com/work",
    "ref": {"value": UNKNOWN},
    "phone": "+1 555 0100",
    "title": "Senior",
}  # fmt: skip
#: Values each field refuses, by path.
INVALID = [
    ("overall", {"score": 5}), ("overall", 3), ("overall", {"score": "3"}),
    ("fit", "Maybe"), ("notes", 12), ("again", "yes"), ("start", "2026-02-30"), ("start", "01/03/2026"),
    ("skills", ["Python", "Cobol"]), ("skills", "Python"), ("years", 7.5), ("years", True),
    ("referee", "nobody"), ("salary", {"value": 1, "currencyCode": "euro"}), ("salary", 100),
    ("band", {"type": "number-range", "minValue": 10, "maxValue": 1}),
    ("band", {"minValue": 1, "maxValue": 2}),
    ("comp", {"type": "compensation-range", "minValue": 1, "maxValue": 2, "currencyCode": "USD",
              "interval": "yearly"}),
    ("summary", "Good."), ("portfolio", "example.com"), ("ref", "not-a-uuid"), ("phone", 5550100),
]  # fmt: skip


def _form(values: dict[str, Any]) -> dict[str, Any]:
    return {"fieldSubmissions": [{"path": path, "value": value} for path, value in values.items()]}


SUBMISSIONS = "feedbackForm.fieldSubmissions"
FILLED = _form(REQUIRED)["fieldSubmissions"]


def _submit(api: Api, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"feedbackForm": _form(values), "formDefinitionId": IDS["form"], "applicationId": ACTIVE, **extra}
    payload: dict[str, Any] = api("applicationFeedback.submit", **body)
    return payload


def test_a_submission_answers_the_form_instance_and_is_listed(wapi: Api) -> None:
    delta = Delta(wapi, "applicationFeedback.list")
    instance = results(_submit(wapi, VALID))["submittedFormInstance"]
    assert set(instance) == {"id", "formDefinition", "submittedValues"}
    assert instance["submittedValues"] == VALID
    listed, _ = wapi.walk("applicationFeedback.list", applicationId=ACTIVE)
    (feedback,) = listed
    assert conform(feedback, FEEDBACK) == []
    assert feedback["id"] == instance["id"]
    assert feedback["submittedValues"] == VALID
    assert feedback["feedbackFormDefinitionId"] == IDS["form"]
    assert feedback["submittedByUser"]["id"] == IDS["admin"]  # the API key's user by default
    assert conform(feedback["submittedByUser"], USER) == []
    assert "interviewEventId" not in feedback
    assert delta.ids() == [instance["id"]]


def test_only_the_required_fields_are_needed_and_null_leaves_an_optional_one_empty(wapi: Api) -> None:
    values = results(_submit(wapi, {**REQUIRED, "again": None}, userId=IDS["user1"]))["submittedFormInstance"]
    assert values["submittedValues"] == {**REQUIRED, "again": None}
    listed, _ = wapi.walk("applicationFeedback.list", applicationId=ACTIVE)
    assert listed[0]["submittedByUser"]["id"] == IDS["user1"]


@pytest.mark.parametrize(("path", "value"), INVALID, ids=[f"{p}={v!r}" for p, v in INVALID])
def test_a_value_outside_its_field_types_format_is_invalid_input_naming_it(
    wapi: Api, path: str, value: Any
) -> None:
    values = {**VALID, path: value}
    index = list(values).index(path)
    message = error(_submit(wapi, values), "invalid_input", f"feedbackForm.fieldSubmissions[{index}].value")
    assert "field takes" in message
    assert wapi.walk("applicationFeedback.list", applicationId=ACTIVE)[0] == []


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({"feedbackForm": _form({"fit": "Yes", "notes": "x"})}, "invalid_input", SUBMISSIONS),
        ({"feedbackForm": _form({**REQUIRED, "mood": "good"})}, "invalid_input",
         "feedbackForm.fieldSubmissions[3].path"),
        ({"feedbackForm": {"fieldSubmissions": [*FILLED, {"path": "fit", "value": "No"}]}},
         "invalid_input", "feedbackForm.fieldSubmissions[3].path"),
        ({"feedbackForm": _form({**REQUIRED, "overall": None})}, "invalid_input",
         "feedbackForm.fieldSubmissions[0].value"),
        ({"feedbackForm": {"fieldSubmissions": [{"path": "overall"}]}}, "invalid_input",
         "feedbackForm.fieldSubmissions[0].value"),
        ({"feedbackForm": {}}, "invalid_input", "feedbackForm.fieldSubmissions"),
        ({"feedbackForm": "great"}, "invalid_input", "feedbackForm"),
        ({"formDefinitionId": UNKNOWN}, "feedback_form_definition_not_found", None),
        ({"applicationId": UNKNOWN}, "application_not_found", None),
        ({"userId": UNKNOWN}, "user_not_found", None),
        ({"interviewEventId": IDS["event"]}, "invalid_input", "userId"),
        ({"interviewEventId": IDS["event"], "userId": IDS["admin"]}, "invalid_input", "userId"),
        ({"interviewEventId": UNKNOWN, "userId": IDS["user1"]}, "interview_event_not_found", None),
        ({"interviewEventId": IDS["event"], "userId": IDS["user1"], "applicationId": IDS["lead_app"]},
         "interview_event_not_found", None),
    ],
)  # fmt: skip
def test_submit_refusals(wapi: Api, body: dict[str, Any], code: str, parameter: str | None) -> None:
    full = {"feedbackForm": _form(REQUIRED), "formDefinitionId": IDS["form"], "applicationId": ACTIVE, **body}
    error(wapi("applicationFeedback.submit", **full), code, parameter)
    assert wapi.walk("applicationFeedback.list")[0] == []


def test_feedback_for_an_interview_event_marks_it_submitted(wapi: Api) -> None:
    (schedule,) = wapi.walk("interviewSchedule.list", applicationId=ACTIVE)[0]
    listed, token = wapi.walk("interviewEvent.list", interviewScheduleId=schedule["id"])
    assert [e["hasSubmittedFeedback"] for e in listed] == [False]
    results(_submit(wapi, REQUIRED, userId=IDS["user1"], interviewEventId=IDS["event"]))
    (feedback,) = wapi.walk("applicationFeedback.list", applicationId=ACTIVE)[0]
    assert feedback["interviewEventId"] == IDS["event"]
    assert feedback["interviewId"] == listed[0]["interviewId"]
    assert feedback["submittedByUser"]["id"] == IDS["user1"]
    changed, _ = wapi.walk("interviewEvent.list", interviewScheduleId=schedule["id"], syncToken=token)
    assert [(e["id"], e["hasSubmittedFeedback"]) for e in changed] == [(IDS["event"], True)]
