"""The catalog is the one source of truth: its shape, the connector's helpers and the generated docs."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from ashby_agent.connectors.ashby import AshbyConnector, catalog, models
from ashby_agent.connectors.ashby.catalog import (
    ACTIONS,
    CATALOG,
    ENTITIES,
    Entities,
    Entity,
    EntityGroup,
    Operation,
    find_operation,
    operations,
)
from ashby_agent.connectors.ashby.connector import EntityResource
from ashby_agent.connectors.ashby.models import AshbyRecord
from ashby_agent.connectors.ashby.operation import declared_entities
from ashby_agent.errors import InvalidParamsError, UnknownActionError, UnknownEntityError
from ashby_agent.reference_doc import render_reference

REFERENCE = Path(__file__).parents[2] / "docs" / "REFERENCE.md"


def test_every_endpoint_is_declared_once() -> None:
    endpoints = [op.endpoint for op in operations()]
    assert len(endpoints) == len(set(endpoints))
    assert len(CATALOG) == len(ENTITIES) >= 44


@pytest.mark.parametrize("op", operations(), ids=lambda op: f"{op.entity}.{op.action}")
def test_operation_is_well_formed(op: object) -> None:
    from ashby_agent.connectors.ashby.catalog import Operation

    assert isinstance(op, Operation)
    assert op.read_only == (op.action in ACTIONS)  # every other action is a write
    assert op.action.isidentifier() and op.action.islower()
    if not op.read_only:
        assert op.permission.endswith("Write") and not op.paginated and not op.sync
        assert op.access in ("comment", "write")
        assert not (op.destructive and op.destructive_with)
        assert {param.refers_to for param in op.params if param.refers_to} <= set(CATALOG)
        for param in op.params:  # a dry run looks referenced records up with their entity's get
            if param.refers_to:
                assert "get" in CATALOG[param.refers_to].operations, param.name
    assert "." in op.endpoint and op.endpoint.split(".")[0][0].islower()
    assert issubclass(op.result, BaseModel) and op.result is not BaseModel
    names = [spelling for param in op.all_params for spelling in param.spellings]
    assert len(names) == len(set(names)), "two params share a spelling"
    assert set(op.one_of) <= {param.name for param in op.all_params}
    assert op.description.endswith(".")
    if op.sync:
        assert op.action == "list"
    if op.action == "get":
        assert not op.paginated


# Written out independently of the catalog: (list/api_search model, get model) of every entity. The
# catalog declares them once, as annotations (``candidates: Entity[Candidate, Candidate] = ...``), that
# type checkers read and the runtime resolves on first use; this pins what they resolve to.
EXPECTED_MODELS: dict[str, tuple[str, str]] = {
    "candidates": ("Candidate", "Candidate"),
    "candidate_notes": ("Note", "Note"),
    "candidate_projects": ("Project", "Project"),
    "candidate_client_info": ("ClientInfo", "ClientInfo"),
    "candidate_fraud_checks": ("FraudCheck", "FraudCheck"),
    "applications": ("Application", "Application"),
    "application_history": ("ApplicationHistory", "ApplicationHistory"),
    "application_criteria_evaluations": ("CriteriaEvaluation", "CriteriaEvaluation"),
    "application_feedback": ("ApplicationFeedback", "ApplicationFeedback"),
    "application_hiring_team_roles": ("HiringTeamRole", "HiringTeamRole"),
    "jobs": ("Job", "Job"),
    "job_postings": ("JobPostingSummary", "JobPosting"),
    "job_boards": ("JobBoard", "JobBoard"),
    "job_templates": ("JobTemplate", "JobTemplate"),
    "job_interview_plans": ("JobInterviewPlan", "JobInterviewPlan"),
    "openings": ("Opening", "Opening"),
    "departments": ("Department", "Department"),
    "locations": ("Location", "Location"),
    "users": ("User", "User"),
    "user_interviewer_settings": ("InterviewerSettings", "InterviewerSettings"),
    "user_interviewer_pauses": ("InterviewerPause", "InterviewerPause"),
    "hiring_team_roles": ("HiringTeamRole", "HiringTeamRole"),
    "brands": ("Brand", "Brand"),
    "hiring_teams": ("HiringTeamMember", "HiringTeamMember"),
    "sources": ("Source", "Source"),
    "archive_reasons": ("ArchiveReason", "ArchiveReason"),
    "close_reasons": ("CloseReason", "CloseReason"),
    "candidate_tags": ("CandidateTag", "CandidateTag"),
    "custom_fields": ("CustomField", "CustomField"),
    "feedback_form_definitions": ("FeedbackFormDefinition", "FeedbackFormDefinition"),
    "interviewer_pools": ("InterviewerPool", "InterviewerPool"),
    "communication_templates": ("CommunicationTemplate", "CommunicationTemplate"),
    "source_tracking_links": ("SourceTrackingLink", "SourceTrackingLink"),
    "referral_forms": ("ReferralForm", "ReferralForm"),
    "interview_plans": ("InterviewPlan", "InterviewPlan"),
    "interview_stages": ("InterviewStage", "InterviewStage"),
    "interview_stage_groups": ("InterviewStageGroup", "InterviewStageGroup"),
    "interviews": ("Interview", "Interview"),
    "interview_schedules": ("InterviewSchedule", "InterviewSchedule"),
    "interview_events": ("InterviewEvent", "InterviewEvent"),
    "offers": ("OfferSummary", "Offer"),
    "projects": ("Project", "Project"),
    "files": ("FileInfo", "FileInfo"),
    "webhooks": ("Webhook", "Webhook"),
    "api_key": ("ApiKey", "ApiKey"),
}


def test_every_entity_resolves_to_its_declared_record_models() -> None:
    assert set(EXPECTED_MODELS) == set(CATALOG)
    for name, entity in CATALOG.items():
        list_name, get_name = EXPECTED_MODELS[name]
        assert entity.list_model is getattr(models, list_name), name
        assert entity.get_model is getattr(models, get_name), name
        for op in entity.operations.values():
            if not op.returns:  # a write answering something else names its model
                assert op.result is (entity.list_model if op.returns_list else entity.get_model)
            assert issubclass(op.result, AshbyRecord)


def test_resolving_one_entity_imports_only_the_records_it_names() -> None:
    code = (
        "import sys\n"
        "from ashby_agent.connectors.ashby.catalog import Entities, find_operation\n"
        "assert not any('.records.' in name for name in sys.modules), 'records loaded at import'\n"
        "model = find_operation('candidates', 'get').result\n"
        "assert Entities.candidates.list_model is model and model.__name__ == 'Candidate'\n"
        "print(sorted(n.rsplit('.', 1)[1] for n in sys.modules if '.records.' in n))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    assert "candidates" in loaded
    assert not loaded & {"applications", "jobs", "interviews", "offers"}


def test_entities_are_the_attributes_of_one_class_in_catalog_order() -> None:
    assert list(CATALOG) == list(EXPECTED_MODELS)  # the order of the docs and tool descriptions
    for entity in ENTITIES:
        assert getattr(Entities, entity.name) is entity
        assert all(op.entity == entity.name and op.owner is entity for op in entity.operations.values())


def test_each_catalog_module_has_the_records_module_of_its_name() -> None:
    modules = {module.name for module in pkgutil.iter_modules(catalog.__path__)}
    assert modules <= set(models.RECORD_MODULES)
    declared = {
        entity.name: module
        for module in modules
        for group in vars(importlib.import_module(f"{catalog.__name__}.{module}")).values()
        if isinstance(group, type) and issubclass(group, EntityGroup) and group is not EntityGroup
        for entity in declared_entities(group)
    }
    assert set(declared) == set(CATALOG)  # every entity is declared in exactly one catalog module


def _declare(name: str, entity: Entity[Any, Any], annotation: str | None) -> None:
    namespace: dict[str, Any] = {name: entity}
    if annotation is not None:
        namespace["__annotations__"] = {name: annotation}
    try:
        type(name.title(), (EntityGroup,), namespace)
    except RuntimeError as exc:  # Python 3.11 wraps the errors of __set_name__
        raise exc.__cause__ or exc from None


def test_an_entity_needs_an_annotated_attribute_and_one_declaration() -> None:
    op = Operation("get", "thing.info", "thingsRead", "One thing.")
    with pytest.raises(TypeError, match="must be annotated"):
        _declare("things", Entity("Things.", op), None)
    entity: Entity[Any, Any] = Entity("Things.")
    _declare("things", entity, "Entity[Any, Any]")
    assert entity.name == "things"
    assert op.entity == ""  # the failed declaration bound nothing
    with pytest.raises(TypeError, match="declared twice"):
        _declare("again", entity, "Entity[Any, Any]")


def test_connector_has_a_typed_helper_per_entity() -> None:
    connector = AshbyConnector(api_key="k", base_url="http://127.0.0.1:9")
    for name, entity in CATALOG.items():
        resource = getattr(connector, name)
        assert isinstance(resource, EntityResource)
        assert resource.entity is entity
        assert getattr(connector, name) is resource  # one per connector
        assert getattr(AshbyConnector, name) is entity  # on the class: the entity itself


def test_unknown_entity_and_action_list_valid_choices() -> None:
    with pytest.raises(UnknownEntityError) as caught:
        find_operation("candidtes", "list")
    assert caught.value.suggestion == "candidates"
    assert "candidates" in caught.value.valid
    with pytest.raises(UnknownActionError, match="valid: list, get, api_search"):
        find_operation("candidates", "delete")


def test_singular_entity_names_are_accepted() -> None:
    assert find_operation("candidate", "list").endpoint == "candidate.list"


def test_build_body_accepts_both_spellings_and_coerces() -> None:
    op = find_operation("applications", "list")
    body = op.build_body(
        {"job_id": "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "createdAfter": "2025-01-31", "limit": "5"}
    )
    assert body == {
        "jobId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "createdAfter": 1738281600000,
        "limit": 5,
    }


def test_build_body_reports_every_problem_at_once() -> None:
    op = find_operation("applications", "list")
    with pytest.raises(InvalidParamsError) as caught:
        op.build_body({"jobid": "x", "status": "Pending", "limit": 0})
    problems = " | ".join(caught.value.problems)
    assert "unknown param 'jobid'" in problems and "job_id" in problems
    assert "Active, Archived, Hired, Lead" in problems
    assert "at least 1" in problems
    assert "status" in caught.value.valid


def test_build_body_requires_required_params_and_one_of() -> None:
    with pytest.raises(InvalidParamsError, match="missing required param 'candidate_id'"):
        find_operation("candidate_notes", "list").build_body({})
    with pytest.raises(InvalidParamsError, match="at least one of: id, external_mapping_id"):
        find_operation("candidates", "get").build_body({})


def test_build_body_rejects_a_param_given_twice() -> None:
    with pytest.raises(InvalidParamsError, match="same param"):
        find_operation("applications", "get").build_body(
            {
                "application_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "applicationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            },
        )


def test_fixed_body_is_sent() -> None:
    assert find_operation("hiring_team_roles", "list").build_body(None) == {"namesOnly": False}


def test_fixed_body_keys_are_accepted_and_the_fixed_value_wins() -> None:
    op = find_operation("hiring_team_roles", "list")
    assert op.build_body({"namesOnly": True}) == {"namesOnly": False}
    with pytest.raises(InvalidParamsError, match="unknown param 'names_only'"):
        op.build_body({"names_only": False})


@pytest.mark.parametrize(
    ("entity", "action", "params"),
    [
        ("hiring_team_roles", "list", {}),
        (
            "applications",
            "list",
            {"job_id": "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "createdAfter": "2025-01-31"},
        ),
        ("candidates", "get", {"candidate_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}),
        ("jobs", "list", {"status": ["open", "Draft"], "limit": "5", "cursor": "abc"}),
    ],
)
def test_a_built_body_validates_again_unchanged(entity: str, action: str, params: dict[str, Any]) -> None:
    op = find_operation(entity, action)
    body = op.build_body(params)
    assert op.build_body(body) == body
    assert op.build_body(params) == body


def test_reference_doc_is_fresh() -> None:
    expected = render_reference()
    assert REFERENCE.read_text(encoding="utf-8") == expected, (
        "docs/REFERENCE.md is stale: run `ashby-agent docs reference -o docs/REFERENCE.md`"
    )
    for entity in CATALOG:
        assert f"### {entity}" in expected


def test_typecheck_module_imports() -> None:
    """tests/typecheck is verified by mypy in CI; here it must at least import."""
    from tests.typecheck import check_helpers

    assert callable(check_helpers.helpers_are_typed)


@pytest.mark.parametrize("params", [["limit", 5], "limit=5", 5])
def test_params_that_are_not_an_object_are_explained(params: object) -> None:
    with pytest.raises(InvalidParamsError, match="params must be an object"):
        find_operation("candidates", "list").build_body(params)  # type: ignore[arg-type]


def test_non_string_names_are_typed_errors() -> None:
    with pytest.raises(UnknownEntityError):
        find_operation(None, "list")  # type: ignore[arg-type]
    with pytest.raises(UnknownActionError):
        find_operation("candidates", 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidParamsError, match="unknown param '1'"):
        find_operation("candidates", "list").build_body({1: "x"})  # type: ignore[dict-item]
