"""Organisation and hiring-process metadata: users, departments, locations, sources, forms, ...

These are the small tables every other object points at, so they are generated first and their shared
embedded forms (a Source, a User, an ArchiveReason with ``customFields``) are kept on the context for the
hot loops to reuse by reference.
"""

from __future__ import annotations

import unicodedata
from operator import itemgetter
from typing import Any

from ashby_agent.sandbox import corpus
from ashby_agent.sandbox.generate_context import DAY_MS, Context, Record

STAGE_TYPES = ("Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived")
_STAGE_GROUP_TITLES = ("Lead", "Application Review", "Interviewing", "Offer", "Hired", "Archived")
_GLOBAL_ROLES = (
    ("Organization Admin", 0.08),
    ("Elevated Access", 0.35),
    ("Limited Access", 0.95),
    ("External Recruiter", 1.0),
)

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


def add_org(ctx: Context, n_users: int) -> None:
    """Users, departments, locations, brands, hiring team roles (the ``organization`` module)."""
    ctx.organization_id = ctx.uid()
    _add_users(ctx, n_users)
    _add_departments(ctx)
    _add_locations(ctx)
    ctx.tables["brand"] = [
        {"id": ctx.uid(), "name": corpus.ORGANIZATION_NAME, "hostedJobsPageSlug": corpus.ORGANIZATION_SLUG},
        {"id": ctx.uid(), "name": "Northwind Research", "hostedJobsPageSlug": "northwind-research"},
    ]
    ctx.brand_ids = [b["id"] for b in ctx.tables["brand"]]
    ctx.tables["hiringTeamRole"] = [{"id": ctx.uid(), "title": t} for t in corpus.HIRING_TEAM_ROLES]


def _add_users(ctx: Context, n_users: int) -> None:
    """Users (the first is an admin, a few are disabled), their interviewer settings and pauses."""
    rng = ctx.rng
    seen: dict[str, int] = {}
    users: list[Record] = []
    for i in range(n_users):
        first = rng.choice(corpus.FIRST_NAMES)
        last = rng.choice(corpus.LAST_NAMES)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        count = seen[local] = seen.get(local, 0) + 1
        if count > 1:
            local = f"{local}{count}"
        r = rng.random()
        role = "Organization Admin" if i == 0 else next(name for name, p in _GLOBAL_ROLES if r < p)
        user: Record = {
            "id": ctx.uid(),
            "firstName": first,
            "lastName": last,
            "email": f"{local}@{corpus.ORGANIZATION_DOMAIN}",
            "globalRole": role,
            "isEnabled": i < 5 or rng.random() > 0.06,
            "updatedAt": ctx.iso(ctx.between(ctx.start_ms, ctx.now_ms)),
        }
        if i > 0 and rng.random() < 0.7:
            user["managerId"] = users[int(rng.random() * min(i, 8))]["id"]
        users.append(user)
    ctx.users = users
    ctx.enabled_users = [u for u in users if u["isEnabled"]]
    ctx.recruiters = [u for u in ctx.enabled_users if u["globalRole"] != "Limited Access"]
    for u in users:
        ctx.author_of[u["id"]] = {k: u[k] for k in ("id", "firstName", "lastName", "email")}
        ctx.interviewer_of[u["id"]] = {
            **u,
            "trainingRole": None,
            "interviewerPool": None,
            "isFeedbackRequired": True,
        }
    ctx.tables["user"] = sorted(users, key=lambda u: u["id"])
    ctx.tables["interviewerSettings"] = [
        {
            "userId": u["id"],
            "isInterviewer": u["isEnabled"] and rng.random() < 0.8,
            "maxInterviewsPerDay": rng.choice((None, 3, 4, 5)),
            "maxInterviewsPerWeek": rng.choice((None, 10, 15)),
        }
        for u in ctx.tables["user"]
    ]
    pauses: list[Record] = []
    for u in ctx.tables["user"][: max(3, n_users // 15)]:
        start = ctx.between(ctx.now_ms - 200 * DAY_MS, ctx.now_ms + 30 * DAY_MS)
        end = None if rng.random() < 0.25 else ctx.day(start + (3 + int(rng.random() * 20)) * DAY_MS)
        reason = rng.choice((None, "Vacation", "Parental leave", "Conference", "Hiring freeze on team"))
        pauses.append(
            {
                "id": ctx.uid(),
                "userId": u["id"],
                "startDate": ctx.day(start),
                "endDate": end,
                "reason": reason,
            }
        )
    ctx.tables["interviewerPause"] = pauses


def _add_departments(ctx: Context) -> None:
    """The corpus department tree; top-level departments carry a cost center in ``extraData``."""
    by_name: dict[str, Record] = {}
    for name, parent, archived in corpus.DEPARTMENTS:
        created = ctx.early(60)
        dept: Record = {
            "id": ctx.uid(),
            "name": name,
            "externalName": "Engineering & Technology" if name == "Engineering" else None,
            "isArchived": archived,
            "parentId": by_name[parent]["id"] if parent else None,
        }
        ctx.stamps(dept, created)
        dept["extraData"] = {"costCenter": f"CC-{100 + len(by_name) * 10}"} if not parent else None
        by_name[name] = dept
    ctx.department_by_id = {d["id"]: d for d in by_name.values()}
    ctx.tables["department"] = sort_created(list(by_name.values()))


def _add_locations(ctx: Context) -> None:
    """Region hierarchy nodes, then offices under them, and the locations candidates live in."""
    regions: dict[str, str] = {}
    rows: list[Record] = []
    for name, codes in corpus.LOCATION_REGIONS:
        node = _location(ctx, name, None, "LocationHierarchy", None, None)
        node["address"] = None
        node["workplaceType"] = None
        rows.append(node)
        for code in codes:
            regions[code] = node["id"]
    for name, street, city_index, workplace, archived in corpus.OFFICES:
        city, region, country, code, _tz, _phone, postal = corpus.CITIES[city_index]
        address = {
            "postalAddress": {
                "addressCountry": country,
                "addressRegion": region,
                "addressLocality": None if workplace == "Remote" else city,
                "postalCode": postal if street else None,
                "streetAddress": street or None,
            }
        }
        loc = _location(ctx, name, regions.get(code), "Location", address, workplace)
        loc["isArchived"] = archived
        rows.append(loc)
        if not archived:
            ctx.office_locations.append(loc)
    ctx.tables["location"] = rows
    ctx.candidate_locations = [
        {
            "id": ctx.uid(),
            "locationSummary": f"{city}, {region}, {country}",
            "locationComponents": [
                {"type": "Country", "name": country},
                {"type": "Region", "name": region},
                {"type": "City", "name": city},
            ],
        }
        for city, region, country, *_ in corpus.CITIES
    ]


def _location(
    ctx: Context, name: str, parent: str | None, kind: str, address: Record | None, workplace: str | None
) -> Record:
    """A Location with every key present (null where it has no value)."""
    return {
        "id": ctx.uid(),
        "name": name,
        "externalName": f"{name} Office" if kind == "Location" and workplace != "Remote" else None,
        "isArchived": False,
        "address": address,
        "isRemote": workplace == "Remote",
        "workplaceType": workplace,
        "parentLocationId": parent,
        "type": kind,
        "extraData": None,
    }


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


_SLUGS: dict[str, str] = {}
_CREATED_KEY = itemgetter("createdAt", "id")


def ascii_slug(name: str) -> str:
    """Lowercase ASCII form of a name for e-mail local parts and URLs (``Zoë O'Brien`` → ``zoeobrien``)."""
    slug = _SLUGS.get(name)
    if slug is None:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        slug = _SLUGS[name] = "".join(c for c in folded.lower() if c.isalnum())
    return slug


def sort_created(rows: list[Record]) -> list[Record]:
    """Rows in the store's walk order, ``(createdAt, id)``, sorted in place and returned."""
    rows.sort(key=_CREATED_KEY)
    return rows
