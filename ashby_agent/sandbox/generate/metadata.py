"""Hiring-process metadata: sources, reasons, tags, custom fields, forms, pools, templates, links.

Generated right after the organization, before anything points at it; the shared embedded forms (a
Source, an ArchiveReason with ``customFields``) are kept on the context for the hot loops to reuse by
reference. ``custom_value`` and ``application_form`` are used by the later steps.
"""

from __future__ import annotations

from typing import Any

from . import corpus
from .context import DAY_MS, Context, Record, sort_created

STAGE_TYPES = ("Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived")
_STAGE_GROUP_TITLES = ("Lead", "Application Review", "Interviewing", "Offer", "Hired", "Archived")

# Custom field definitions: (objectType, title, fieldType, isPrivate, isArchived, selectable values)
_CUSTOM_FIELDS: tuple[tuple[str, str, str, bool, bool, tuple[str, ...]], ...] = (
    ("Candidate", "Desired Salary", "Currency", True, False, ()),
    ("Candidate", "Visa Sponsorship Required", "Boolean", False, False, ()),
    (
        "Candidate",
        "Notice Period",
        "ValueSelect",
        False,
        False,
        ("Immediately", "2 weeks", "1 month", "2+ months"),
    ),
    ("Candidate", "Preferred Name", "String", False, False, ()),
    ("Candidate", "Legacy ATS ID", "String", False, True, ()),
    ("Application", "Expected Start Date", "Date", False, False, ()),
    ("Application", "Interview Track", "ValueSelect", False, False, ("Individual Contributor", "Management")),
    (
        "Application",
        "Languages",
        "MultiValueSelect",
        False,
        False,
        ("English", "German", "Spanish", "French"),
    ),
    ("Job", "Hiring Priority", "ValueSelect", False, False, ("P0", "P1", "P2")),
    ("Job", "Budgeted", "Boolean", False, False, ()),
    ("Job", "Cost Center", "String", False, False, ()),
    ("Job", "Salary Band", "NumberRange", True, False, ()),
    ("Opening", "Headcount Plan", "String", False, False, ()),
    ("Offer", "Signing Bonus", "Currency", True, False, ()),
    ("Offer", "Equity (options)", "Number", True, False, ()),
    ("Talent_Project", "Owner Team", "String", False, False, ()),
)

# Feedback forms: (title, isDefaultForm, isArchived, dimensions scored)
_FEEDBACK_FORMS = (
    ("General Interview Scorecard", True, False, ("Communication", "Role knowledge")),
    ("Technical Interview Scorecard", False, False, ("Problem solving", "Code quality", "System design")),
    ("Recruiter Screen Scorecard", False, False, ("Motivation", "Communication")),
    ("Culture Add Scorecard", False, False, ("Collaboration", "Ownership")),
    ("Legacy Phone Screen Scorecard", False, True, ("Overall impression",)),
)
_RATINGS = ("Strong No", "No", "Yes", "Strong Yes")

_POOLS = (
    ("Technical Interviewers", False),
    ("Bar Raisers", False),
    ("Design Critique Panel", False),
    ("Sales Role-play Panel", False),
    ("Legacy Onsite Panel", True),
)


def add_metadata(ctx: Context) -> None:
    """Sources, reasons, tags, custom fields, forms, pools, templates (``hiringProcessMetadata``)."""
    rng = ctx.rng
    types = {t: {"id": ctx.uid(), "title": t, "isArchived": False} for t in corpus.SOURCE_TYPES}
    ctx.sources = [
        {"id": ctx.uid(), "title": title, "isArchived": archived, "sourceType": types[kind]}
        for title, kind, archived in corpus.SOURCES
    ]
    ctx.tables["source"] = ctx.sources
    ctx.archive_reasons = [
        {"id": ctx.uid(), "text": text, "reasonType": kind, "isArchived": archived}
        for text, kind, archived in corpus.ARCHIVE_REASONS
    ]
    ctx.archive_reason_embeds = [{**r, "customFields": []} for r in ctx.archive_reasons]
    ctx.tables["archiveReason"] = ctx.archive_reasons
    ctx.tables["closeReason"] = [
        {"id": ctx.uid(), "reasonText": text, "isArchived": archived}
        for text, archived in corpus.CLOSE_REASONS
    ]
    ctx.close_reason_ids = [r["id"] for r in ctx.tables["closeReason"]]
    ctx.tags = [{"id": ctx.uid(), "title": t, "isArchived": a} for t, a in corpus.CANDIDATE_TAGS]
    ctx.tables["candidateTag"] = ctx.tags
    _add_custom_fields(ctx)
    ctx.tables["interviewStageGroup"] = [
        {"id": ctx.uid(), "title": title, "order": i, "stageType": kind}
        for i, (title, kind) in enumerate(zip(_STAGE_GROUP_TITLES, STAGE_TYPES, strict=True))
    ]
    ctx.stage_groups = {g["stageType"]: g["id"] for g in ctx.tables["interviewStageGroup"]}
    ctx.feedback_forms = [
        {
            "id": ctx.uid(),
            "organizationId": ctx.organization_id,
            "title": title,
            "isArchived": archived,
            "isDefaultForm": default,
            "formDefinition": _scorecard_definition(ctx, dims),
        }
        for title, default, archived, dims in _FEEDBACK_FORMS
    ]
    ctx.tables["feedbackFormDefinition"] = ctx.feedback_forms
    pools: list[Record] = []
    for title, archived in _POOLS:
        members = rng.sample(ctx.enabled_users, min(len(ctx.enabled_users), 3 + int(rng.random() * 5)))
        trainees = [
            u for u in rng.sample(ctx.enabled_users, min(len(ctx.enabled_users), 2)) if u not in members
        ]
        pool: Record = {"id": ctx.uid(), "title": title, "isArchived": archived}
        pool["qualifiedMembers"] = members
        pool["trainees"] = trainees
        pools.append(ctx.stamps(pool, ctx.early(120)))
    ctx.tables["interviewerPool"] = sort_created(pools)
    ctx.tables["communicationTemplate"] = [
        {"id": ctx.uid(), "title": t, "isArchived": a} for t, a in corpus.COMMUNICATION_TEMPLATES
    ]
    links: list[Record] = []
    for source in ctx.sources[:8]:
        code = f"{rng.getrandbits(40):010x}"
        links.append(
            {
                "id": ctx.uid(),
                "sourceId": source["id"],
                "code": code,
                "link": f"https://jobs.ashbyhq.com/{corpus.ORGANIZATION_SLUG}?utm_source={code}",
                "isArchived": source["isArchived"] or len(links) == 7,
            }
        )
    ctx.tables["sourceTrackingLink"] = links
    ctx.tables["referralForm"] = [
        {
            "id": ctx.uid(),
            "title": "Employee Referral",
            "isArchived": False,
            "formDefinition": _form(
                ctx,
                (
                    ("Candidate", "_systemfield_name", "String", True, ()),
                    ("Candidate email", "_systemfield_email", "Email", True, ()),
                    ("Candidate phone", "_systemfield_phone", "Phone", False, ()),
                    ("LinkedIn profile", "_systemfield_linkedin", "SocialLink", False, ()),
                    (
                        "How do you know them?",
                        "",
                        "ValueSelect",
                        True,
                        ("Worked together", "Studied together", "Other"),
                    ),
                    ("Why are you referring them?", "", "LongText", True, ()),
                ),
            ),
        }
    ]
    ctx.tables["webhook"] = [
        {
            "id": ctx.uid(),
            "enabled": True,
            "requestUrl": "https://hooks.example.com/ashby/application-update",
            "secretToken": f"{rng.getrandbits(128):032x}",
            "webhookType": "applicationUpdate",
        }
    ]


def _add_custom_fields(ctx: Context) -> None:
    """Custom field definitions; active ones are kept per object type for the value generators."""
    rows: list[Record] = []
    for object_type, title, field_type, private, archived, options in _CUSTOM_FIELDS:
        row: Record = {
            "id": ctx.uid(),
            "title": title,
            "objectType": object_type,
            "fieldType": field_type,
            "isArchived": archived,
            "isRequired": False,
            "isPrivate": private,
        }
        if options:
            row["selectableValues"] = [{"label": o, "value": o, "isArchived": False} for o in options]
        rows.append(row)
        if not archived:
            ctx.custom_fields.setdefault(object_type, []).append(row)
    ctx.tables["customField"] = rows


def custom_value(ctx: Context, definition: Record) -> Record:
    """A CustomFieldValue for ``definition``: ``{id, title, value, isPrivate, valueLabel?}``."""
    rng = ctx.rng
    kind = definition["fieldType"]
    value: Any
    label: Any = None
    if kind == "Boolean":
        value = rng.random() < 0.5
    elif kind == "Currency":
        value = {"value": 1000 * (40 + int(rng.random() * 200)), "currencyCode": "USD"}
    elif kind == "Number":
        value = 500 * (1 + int(rng.random() * 40))
    elif kind == "NumberRange":
        low = 1000 * (60 + int(rng.random() * 120))
        value = {"type": "number-range", "minValue": low, "maxValue": low + 40_000}
    elif kind == "Date":
        value = ctx.day(ctx.between(ctx.now_ms - 30 * DAY_MS, ctx.now_ms + 120 * DAY_MS))
    elif kind == "ValueSelect":
        value = label = rng.choice(definition["selectableValues"])["value"]
    elif kind == "MultiValueSelect":
        picked = rng.sample(definition["selectableValues"], 1 + int(rng.random() * 2))
        value = [p["value"] for p in picked]
        label = ", ".join(value)
    else:
        value = rng.choice(("Referred by the team", "CC-210", "FY27 plan", "Platform", "Alex"))
    out: Record = {"id": definition["id"], "title": definition["title"], "value": value}
    out["isPrivate"] = definition["isPrivate"]
    if label is not None:
        out["valueLabel"] = label
    return out


def _scorecard_definition(ctx: Context, dimensions: tuple[str, ...]) -> Record:
    """A scorecard form: overall score, a rating per dimension, a yes/no and free-text notes."""
    fields: list[tuple[str, str, str, bool, tuple[str, ...]]] = [
        ("Overall recommendation", "_systemfield_overall_recommendation", "Score", True, ())
    ]
    fields += [(d, "", "ValueSelect", True, _RATINGS) for d in dimensions]
    fields.append(("Would you like to work with them?", "", "Boolean", False, ()))
    fields.append(("Notes", "", "LongText", True, ()))
    return _form(ctx, tuple(fields))


def _form(ctx: Context, fields: tuple[tuple[str, str, str, bool, tuple[str, ...]], ...]) -> Record:
    """A FormDefinition with one section; empty paths become the field id (as custom fields do)."""
    entries: list[Record] = []
    for title, path, kind, required, options in fields:
        field_id = ctx.uid()
        spec: Record = {
            "id": field_id,
            "type": kind,
            "path": path or field_id,
            "humanReadablePath": title,
            "title": title,
            "isNullable": not required,
        }
        if options:
            spec["selectableValues"] = [{"label": o, "value": o} for o in options]
        entries.append({"isRequired": required, "field": spec})
    return {"sections": [{"title": "Feedback", "fields": entries}]}


def application_form(ctx: Context) -> Record:
    """The application form shown on job postings (system fields only)."""
    return _form(
        ctx,
        (
            ("Name", "_systemfield_name", "String", True, ()),
            ("Email", "_systemfield_email", "Email", True, ()),
            ("Phone", "_systemfield_phone", "Phone", False, ()),
            ("Resume", "_systemfield_resume", "File", True, ()),
            ("Location", "_systemfield_location", "Location", False, ()),
            ("LinkedIn", "_systemfield_linkedin", "SocialLink", False, ()),
        ),
    )
