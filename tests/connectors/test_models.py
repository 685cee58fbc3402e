"""The typed Ashby records: parse the wire samples of ``tests/samples`` and round-trip them."""

import ast
import copy
import importlib
import json
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from ashby_agent.connectors.ashby import models
from ashby_agent.connectors.ashby.models import (
    ApiKey,
    Application,
    ApplicationFeedback,
    ApplicationHistory,
    AshbyAuthConfig,
    AshbyRecord,
    Candidate,
    CustomFieldValue,
    Department,
    InterviewSchedule,
    Job,
    JobPosting,
    JobPostingSummary,
    Offer,
    OfferSummary,
    Webhook,
)
from tests.samples import MODULES, sample, samples

KEY = "ashby-test-key-5b1f0c2e9d"

# Expected values the samples hold.
USER_ID = "3ae2b801-19f6-41ef-ad28-214bd731948f"
CANDIDATE_ID = "5b591aee-bd88-4fe4-a0c6-4d1d5a3a1b2c"
T1 = "2024-02-04T21:38:12.442Z"

#: record class name -> wire sample, from every sample file (tests/samples/<records module>.json).
SAMPLE_MODULES: dict[str, str] = {name: module for module in MODULES for name in samples(module)}
SAMPLES: dict[str, dict[str, Any]] = {name: sample(module, name) for name, module in SAMPLE_MODULES.items()}

CANDIDATE = SAMPLES["Candidate"]
# The same candidate as a sparse record: optional keys omitted, nullable relations null.
CANDIDATE_SPARSE: dict[str, Any] = {
    key: value
    for key, value in CANDIDATE.items()
    if key
    not in {
        "primaryEmailAddress",
        "primaryPhoneNumber",
        "position",
        "company",
        "school",
        "resumeFileHandle",
        "location",
    }
} | {"emailAddresses": [], "phoneNumbers": [], "source": None, "creditedToUser": None, "timezone": None}
CUSTOM_FIELDS: list[dict[str, Any]] = CANDIDATE["customFields"]  # one value of every JSON type
APPLICATION = SAMPLES["Application"]
HISTORY = SAMPLES["ApplicationHistory"]
JOB = SAMPLES["Job"]
JOB_POSTING = SAMPLES["JobPosting"]
JOB_POSTING_SUMMARY = SAMPLES["JobPostingSummary"]
LOCATION = SAMPLES["Location"]
OFFER_SUMMARY = SAMPLES["OfferSummary"]
OPENING = SAMPLES["Opening"]

RECORD_CLASSES: dict[str, type[AshbyRecord]] = {
    name: obj
    for name in models.__all__
    if isinstance(obj := getattr(models, name), type)
    and issubclass(obj, AshbyRecord)
    and obj is not AshbyRecord
}

# The record model of every catalog entity (docs/architecture.md) and the shared pieces.
CATALOG_MODELS = """
Candidate Note Project ClientInfo FraudCheck Application ApplicationHistory CriteriaEvaluation
ApplicationFeedback HiringTeamRole Job JobPostingSummary JobPosting JobBoard JobTemplate
JobInterviewPlan Opening Department Location User InterviewerSettings InterviewerPause Brand Source
ArchiveReason CloseReason CandidateTag CustomField FeedbackFormDefinition InterviewerPool
CommunicationTemplate SourceTrackingLink ReferralForm InterviewPlan InterviewStage
InterviewStageGroup Interview InterviewSchedule InterviewEvent OfferSummary Offer FileInfo Webhook
ApiKey ContactInfo SocialLink FileHandle CustomFieldValue HiringTeamMember OfferVersion
FormDefinition
"""


# -- coverage and public surface ---------------------------------------------------------------------


def test_every_catalog_model_is_exported() -> None:
    missing = [name for name in CATALOG_MODELS.split() if name not in RECORD_CLASSES]
    assert missing == []


def _records_module(module: str) -> Any:
    return importlib.import_module(f"ashby_agent.connectors.ashby.records.{module}")


#: record name -> the records module that declares it in its ``__all__``.
EXPORTS: dict[str, str] = {
    name: module for module in models.RECORD_MODULES for name in _records_module(module).__all__
}


def test_all_lists_exactly_the_public_names() -> None:
    # models.py defines AshbyAuthConfig and exports the record classes lazily (see its __getattr__).
    declared = [name for module in models.RECORD_MODULES for name in _records_module(module).__all__]
    assert len(declared) == len(set(declared)), "a name is in the __all__ of two records modules"
    assert set(models.__all__) == set(EXPORTS) | {"AshbyAuthConfig"}
    assert len(models.__all__) == len(set(models.__all__))
    for name, module in EXPORTS.items():
        records = _records_module(module)
        assert getattr(models, name) is getattr(records, name), name
        obj = getattr(records, name)
        if isinstance(obj, type):
            assert obj.__module__ == records.__name__, f"{name} is re-exported by {module}, not defined"
    assert "AshbyAuthConfig" in dir(models) and "Candidate" in dir(models)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = models.Nope


def test_type_checkers_see_the_same_lazy_exports() -> None:
    """The ``if TYPE_CHECKING:`` imports of models.py star-import exactly the records modules searched."""
    tree = ast.parse(Path(models.__file__).read_text())
    [guard] = [
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    imported = {
        (node.module or "").removeprefix("records."): [alias.name for alias in node.names]
        for node in guard.body
        if isinstance(node, ast.ImportFrom)
    }
    assert imported == {module: ["*"] for module in models.RECORD_MODULES}
    assert len(guard.body) == len(models.RECORD_MODULES)
    records = Path(models.__file__).parent / "records"
    assert {path.stem for path in records.glob("*.py")} == {*models.RECORD_MODULES, "__init__"}


def test_a_record_name_loads_only_the_records_modules_searched_before_it() -> None:
    code = (
        "import sys\n"
        "from ashby_agent.connectors.ashby import models\n"
        "assert not any('.records.' in name for name in sys.modules)\n"
        "models.Candidate\n"
        "print(sorted(n.rsplit('.', 1)[1] for n in sys.modules if '.records.' in n))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    assert set(models.RECORD_MODULES[: models.RECORD_MODULES.index("candidates") + 1]) <= loaded
    assert not loaded & {"applications", "jobs", "interviews", "offers", "projects"}  # searched later


def test_every_record_class_has_a_sample() -> None:
    assert sorted(set(RECORD_CLASSES) - set(SAMPLES)) == []
    assert sorted(set(SAMPLES) - set(RECORD_CLASSES)) == []


def test_each_sample_is_in_the_file_of_its_records_module() -> None:
    assert sum(len(samples(module)) for module in MODULES) == len(SAMPLES)  # no name in two files
    assert set(MODULES) <= set(models.RECORD_MODULES)
    for name, module in SAMPLE_MODULES.items():
        assert EXPORTS[name] == module, f"the sample of {name} belongs in tests/samples/{EXPORTS[name]}.json"


@pytest.mark.parametrize("name", sorted(RECORD_CLASSES))
def test_every_field_is_described_and_the_schema_builds(name: str) -> None:
    cls = RECORD_CLASSES[name]
    assert cls.__doc__
    assert cls.__doc__.strip()
    undescribed = [field for field, info in cls.model_fields.items() if not info.description]
    assert undescribed == []
    schema = cls.model_json_schema()
    assert all("_" not in key for key in schema.get("properties", {}))  # wire (camelCase) keys


# -- parsing and round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_parses_and_round_trips_to_the_wire_form(name: str) -> None:
    sample = copy.deepcopy(SAMPLES[name])
    record = RECORD_CLASSES[name].model_validate(sample)
    assert record.model_dump(mode="json", by_alias=True, exclude_unset=True) == sample
    assert sample == SAMPLES[name]  # parsing does not mutate the input
    again = RECORD_CLASSES[name].model_validate_json(
        record.model_dump_json(by_alias=True, exclude_unset=True)
    )
    assert again == record


def test_candidate_attributes_are_snake_case_and_typed() -> None:
    candidate = Candidate.model_validate(CANDIDATE)
    assert candidate.primary_email_address is not None
    assert candidate.primary_email_address.is_primary is True
    assert candidate.created_at == datetime(2024, 2, 4, 21, 38, 12, 442000, tzinfo=UTC)
    assert candidate.created_at.utcoffset() is not None
    assert candidate.profile_url.endswith(CANDIDATE_ID)
    assert candidate.tags[0].title == "Strong referral"
    assert candidate.source is not None
    assert candidate.source.source_type is not None
    assert candidate.source.source_type.title == "Sourced"
    assert candidate.credited_to_user is not None
    assert candidate.credited_to_user.first_name == "Maya"
    assert candidate.location is not None
    assert candidate.location.location_components[1].name == "Berlin"
    assert candidate.resume_file_handle is not None
    assert candidate.resume_file_handle.handle


def test_dump_gives_snake_case_by_default_and_wire_keys_by_alias() -> None:
    candidate = Candidate.model_validate(CANDIDATE)
    assert "primary_email_address" in candidate.model_dump(mode="json")
    wire = candidate.model_dump(mode="json", by_alias=True)
    assert "primaryEmailAddress" in wire
    assert "primary_email_address" not in wire
    assert wire["createdAt"] == T1  # milliseconds and Z, as Ashby writes them


def test_timestamps_keep_ashby_format_for_other_offsets_and_naive_values() -> None:
    note = models.Note(id="n1", created_at=datetime(2024, 1, 2, 3, 4, 5, 6000))
    assert note.model_dump(mode="json")["created_at"] == "2024-01-02T03:04:05.006"
    note.created_at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert note.model_dump(mode="json", by_alias=True)["createdAt"] == "2024-01-02T03:04:05.000Z"
    assert note.model_dump()["created_at"] == datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=UTC
    )  # python mode untouched


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (datetime(2024, 2, 4, 21, 38, 12, 442999, tzinfo=UTC), "2024-02-04T21:38:12.442Z"),  # truncated
        (datetime(2024, 2, 4, 21, 38, 12, 999, tzinfo=UTC), "2024-02-04T21:38:12.000Z"),
        (datetime(2024, 2, 4, 21, 38, 12, tzinfo=UTC), "2024-02-04T21:38:12.000Z"),
        (
            datetime(2024, 2, 4, 21, 38, 12, 5000, tzinfo=timezone(timedelta(hours=2))),
            "2024-02-04T21:38:12.005+02:00",
        ),
        (
            datetime(2024, 2, 4, 21, 38, 12, 5000, tzinfo=timezone(timedelta(seconds=30))),
            "2024-02-04T21:38:12.005+00:00:30",
        ),
        (datetime(24, 2, 4, 21, 38, 12, 5000, tzinfo=UTC), "0024-02-04T21:38:12.005Z"),
    ],
)
def test_timestamps_write_milliseconds_like_isoformat_with_timespec(value: datetime, wire: str) -> None:
    note = models.Note(id="n1", created_at=value)
    assert note.model_dump(mode="json")["created_at"] == wire
    assert json.loads(note.model_dump_json())["created_at"] == wire
    text = value.isoformat(timespec="milliseconds")
    assert wire == (text[:-6] + "Z" if text.endswith("+00:00") else text)


@pytest.mark.parametrize(
    "wire",
    [T1, "2024-02-04T21:38:12.000Z", "2024-12-31T23:59:59.999Z", "0024-01-01T00:00:00.005Z"],
)
def test_parsed_timestamps_dump_to_the_text_ashby_sent(wire: str) -> None:
    note = models.Note.model_validate({"id": "n1", "createdAt": wire})
    assert note.model_dump(mode="json", by_alias=True)["createdAt"] == wire
    assert json.loads(note.model_dump_json(by_alias=True))["createdAt"] == wire
    offset = models.Note.model_validate({"id": "n1", "createdAt": wire[:-1] + "+00:00"})
    assert offset.model_dump(mode="json")["created_at"] == wire  # a zero offset is written as Z


def test_timestamps_write_the_isoformat_milliseconds_form_for_many_values() -> None:
    """Parsed (pydantic-core's UTC zone) and constructed (``datetime.UTC``) values over more days than
    the formatter remembers, against ``isoformat(timespec="milliseconds")``."""
    rng = random.Random(13)
    adapter = TypeAdapter(list[models.Timestamp])
    values = [
        datetime(
            rng.randint(1, 9999),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            rng.choice([0, 999_999, rng.randint(0, 999_999)]),
            tzinfo=UTC,
        )
        for _ in range(6000)
    ]
    expected = [value.isoformat(timespec="milliseconds").replace("+00:00", "Z") for value in values]
    parsed = adapter.validate_python([value.isoformat() for value in values])
    assert adapter.dump_python(parsed, mode="json") == expected
    assert adapter.dump_python(values, mode="json") == expected
    assert json.loads(adapter.dump_json(values)) == expected


def test_omitted_and_null_optional_fields_both_parse_to_none() -> None:
    sparse = Candidate.model_validate(CANDIDATE_SPARSE)
    for attribute in (
        "primary_email_address",
        "position",
        "resume_file_handle",
        "location",
        "source",
        "timezone",
    ):
        assert getattr(sparse, attribute) is None
    assert sparse.model_dump(mode="json", by_alias=True, exclude_unset=True) == CANDIDATE_SPARSE
    explicit_nulls = CANDIDATE_SPARSE | {"position": None, "primaryPhoneNumber": None, "location": None}
    assert Candidate.model_validate(explicit_nulls).position is None


def test_optional_arrays_default_to_empty_lists() -> None:
    job = Job.model_validate(
        {key: JOB[key] for key in ("id", "title", "confidential", "status", "employmentType", "updatedAt")}
    )
    assert job.hiring_team == []
    assert job.openings == []
    assert job.location is None
    assert job.created_at is None
    assert Job.model_validate({**job.model_dump(by_alias=True), "hiringTeam": []}).hiring_team == []


def test_unknown_fields_are_kept_and_written_back() -> None:
    wire = CANDIDATE | {"newFieldFrom2027": {"x": 1}}
    candidate = Candidate.model_validate(wire)
    assert candidate.model_extra == {"newFieldFrom2027": {"x": 1}}
    assert candidate.model_dump(mode="json", by_alias=True, exclude_unset=True) == wire


def test_unknown_enum_values_are_accepted() -> None:
    schedule = SAMPLES["InterviewSchedule"] | {"status": "PendingNewWorkflow"}
    assert InterviewSchedule.model_validate(schedule).status == "PendingNewWorkflow"
    assert (
        Candidate.model_validate(CANDIDATE | {"fraudStatus": "BrandNewStatus"}).fraud_status
        == "BrandNewStatus"
    )


def test_populate_by_field_name_and_assignment() -> None:
    user = models.User(id=USER_ID, first_name="Maya", is_enabled=True)
    assert user.model_dump(by_alias=True, exclude_unset=True) == {
        "id": USER_ID,
        "firstName": "Maya",
        "isEnabled": True,
    }
    user.last_name = "Okafor"
    assert user.last_name == "Okafor"


def test_nested_objects_are_typed_models() -> None:
    application = Application.model_validate(APPLICATION)
    assert isinstance(application.current_interview_stage, models.InterviewStage)
    assert application.current_interview_stage.type == "Archived"
    assert isinstance(application.candidate, models.ApplicationCandidate)
    assert application.archive_reason is not None
    assert application.archive_reason.reason_type == "RejectedByOrg"
    assert application.archived_at == datetime(2024, 3, 11, 9, 5, tzinfo=UTC)
    assert application.application_history[0].left_stage_at is None
    assert application.application_history[1].left_stage_at is not None
    schedule = InterviewSchedule.model_validate(SAMPLES["InterviewSchedule"])
    event = schedule.interview_events[0]
    assert isinstance(event, models.InterviewEvent)
    assert isinstance(event.interview, models.Interview)
    assert event.interviewers[0].interviewer_pool is not None
    assert event.interviewers[0].interviewer_pool.qualified_members[0].id == USER_ID
    assert event.start_time == datetime(2024, 3, 12, 14, tzinfo=UTC)
    job = Job.model_validate(JOB | {"location": LOCATION, "openings": [OPENING]})
    assert isinstance(job.location, models.Location)
    assert job.openings[0].latest_version is not None
    assert job.openings[0].latest_version.target_hire_date == date(2024, 6, 30)


def test_dates_parse_to_date() -> None:
    posting = JobPostingSummary.model_validate(JOB_POSTING_SUMMARY)
    assert posting.published_date == date(2024, 2, 5)
    pause = models.InterviewerPause.model_validate(SAMPLES["InterviewerPause"])
    assert pause.start_date == date(2024, 7, 1)
    assert pause.end_date is None


def test_custom_field_values_keep_their_json_types() -> None:
    values = [CustomFieldValue.model_validate(item).value for item in CUSTOM_FIELDS]
    assert values == [
        True,
        7,
        4.5,
        "senior",
        ["python", "sql"],
        {"value": 90000, "currencyCode": "EUR"},
        "2024-05-01",
        None,
    ]
    assert [type(value) for value in values[:3]] == [bool, int, float]


def test_subclasses_extend_their_summaries() -> None:
    assert issubclass(Offer, OfferSummary)
    assert issubclass(JobPosting, JobPostingSummary)
    offer = Offer.model_validate(SAMPLES["Offer"])
    assert offer.latest_version.salary is not None
    assert offer.latest_version.salary.value == 92000
    assert offer.versions[0].start_date == date(2024, 9, 1)
    assert offer.form_definition is not None
    posting = JobPosting.model_validate(JOB_POSTING)
    assert posting.compensation is not None
    assert posting.compensation.compensation_tiers[0].components[0].max_value == 95000.5
    assert posting.application_form_definition is not None
    assert posting.application_form_definition.sections[0].fields[0].field.path.startswith("_systemfield_")


def test_job_posting_list_rows_parse_as_the_full_model_too() -> None:
    posting = JobPosting.model_validate(JOB_POSTING_SUMMARY)
    assert posting.description_html is None
    assert posting.team_name_hierarchy == []


@pytest.mark.parametrize(
    ("cls", "sample", "missing"),
    [
        (Candidate, CANDIDATE, "name"),
        (Candidate, CANDIDATE, "createdAt"),
        (Candidate, CANDIDATE, "emailAddresses"),
        (Application, APPLICATION, "currentInterviewStage"),
        (Application, APPLICATION, "status"),
        (ApplicationHistory, HISTORY, "allowedActions"),
        (ApplicationFeedback, SAMPLES["ApplicationFeedback"], "submittedByUser"),
        (Job, JOB, "updatedAt"),
        (Department, SAMPLES["Department"], "createdAt"),
        (InterviewSchedule, SAMPLES["InterviewSchedule"], "status"),
        (models.Opening, OPENING, "openingState"),
        (models.Project, SAMPLES["Project"], "title"),
        (OfferSummary, OFFER_SUMMARY, "latestVersion"),
        (models.Location, LOCATION, "isArchived"),
    ],
)
def test_required_fields_are_enforced(cls: type[BaseModel], sample: dict[str, Any], missing: str) -> None:
    incomplete = {key: value for key, value in sample.items() if key != missing}
    with pytest.raises(ValidationError) as caught:
        cls.model_validate(incomplete)
    assert caught.value.errors()[0]["loc"] == (missing,)
    assert caught.value.errors()[0]["type"] == "missing"


def test_wrong_types_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Candidate.model_validate(CANDIDATE | {"createdAt": "yesterday"})
    with pytest.raises(ValidationError):
        JobPostingSummary.model_validate(JOB_POSTING_SUMMARY | {"publishedDate": "2024-02-05T10:00:00.000Z"})


# -- secrets -----------------------------------------------------------------------------------------


def test_auth_config_hides_the_key() -> None:
    config = AshbyAuthConfig(api_key=SecretStr(KEY))
    assert config.api_key.get_secret_value() == KEY
    rendered = [
        repr(config),
        str(config),
        config.model_dump_json(),
        json.dumps(config.model_dump(mode="json")),
    ]
    rendered += [repr(config.model_dump()), str(config.api_key), f"{config!r}"]
    assert all(KEY not in text for text in rendered)
    assert "**********" in config.model_dump_json()


def test_auth_config_accepts_plain_strings_and_strips_them() -> None:
    config = AshbyAuthConfig.model_validate({"api_key": f"  {KEY}\n"})
    assert config.api_key.get_secret_value() == KEY


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_auth_config_rejects_blank_keys(bad: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        AshbyAuthConfig.model_validate({"api_key": bad})


def test_auth_config_requires_the_key_and_never_echoes_input() -> None:
    with pytest.raises(ValidationError) as missing:
        AshbyAuthConfig.model_validate({})
    assert missing.value.errors()[0]["type"] == "missing"
    with pytest.raises(ValidationError) as extra:
        AshbyAuthConfig.model_validate({"api_key": KEY, "apikey": KEY})
    assert KEY not in str(extra.value)
    assert KEY not in repr(extra.value)


def test_auth_config_is_immutable() -> None:
    config = AshbyAuthConfig(api_key=SecretStr(KEY))
    with pytest.raises(ValidationError):
        config.api_key = SecretStr("other")  # type: ignore[misc]


def test_webhook_secret_is_hidden() -> None:
    webhook = Webhook.model_validate(SAMPLES["Webhook"] | {"secretToken": "whsec-very-secret"})
    assert webhook.secret_token is not None
    assert webhook.secret_token.get_secret_value() == "whsec-very-secret"
    assert "whsec-very-secret" not in repr(webhook) + webhook.model_dump_json(by_alias=True)


def test_api_key_record_parses_scopes() -> None:
    api_key = ApiKey.model_validate(SAMPLES["ApiKey"])
    assert api_key.scopes == ["candidates:read", "jobs:read"]
    assert api_key.created_at is not None
