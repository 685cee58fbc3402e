"""Jobs and what hangs off them: job boards, postings, openings, templates and job interview plans.

A job's ``status`` follows its ``openedAt``/``closedAt`` (Draft: neither; Open: opened only; Closed and
Archived: both), its postings are published only while it is Open, and each job gets its own interview
plan (built by ``interviews``) whose stages run Lead → PreInterviewScreen → Active... → Offer → Hired →
Archived.
"""

from __future__ import annotations

from . import corpus
from .context import DAY_MS, Context, JobPlan, Record, sort_created
from .interviews import interview_stages, shared_interviews, with_activities
from .metadata import application_form, custom_value

_TECHNICAL = frozenset({"Engineering", "Platform", "Product Engineering", "Data", "Security", "Research"})
_SALES = frozenset({"Sales", "Customer Success"})
_STATUSES = (("Draft", 0.10), ("Open", 0.55), ("Closed", 0.80), ("Archived", 1.0))
_EMPLOYMENT = (
    ("FullTime", 0.85),
    ("Contract", 0.90),
    ("PartTime", 0.93),
    ("Intern", 0.98),
    ("Temporary", 1.0),
)
_LINKED_EMPLOYMENT = {
    "FullTime": "FULL_TIME",
    "PartTime": "PART_TIME",
    "Contract": "CONTRACTOR",
    "Temporary": "TEMPORARY",
    "Intern": "INTERN",
}
_CURRENCY = {"US": "USD", "CA": "CAD", "GB": "GBP", "SG": "SGD", "IN": "INR", "AU": "AUD"}
_SYMBOL = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€", "SGD": "S$", "INR": "₹", "AUD": "A$"}
_FACTOR = {"USD": 1.0, "CAD": 1.1, "GBP": 0.7, "EUR": 0.8, "SGD": 1.1, "INR": 30.0, "AUD": 1.2}


_Draft = tuple[int, str, Record, int | None, int | None]
"""A job before its plan and postings: (created ms, id, record, opened ms, closed ms)."""


def add_jobs(ctx: Context, n_jobs: int, n_templates: int) -> None:
    """Jobs, job templates, plans, stages, interviews, postings, boards, openings."""
    rng = ctx.rng
    shared = shared_interviews(ctx)
    ctx.job_boards = [
        {"id": ctx.uid(), "title": "Careers Page", "isInternal": False},
        {"id": ctx.uid(), "title": "Internal Job Board", "isInternal": True},
    ]
    ctx.tables["jobBoard"] = ctx.job_boards
    location_by_id = {loc["id"]: loc for loc in ctx.tables["location"]}
    team_roles = [r["title"] for r in ctx.tables["hiringTeamRole"]]
    form = application_form(ctx)
    jobs: list[Record] = []
    plans: list[Record] = []
    stages: list[Record] = []
    interviews: list[Record] = [interview for interview, _minutes in shared.values()]
    job_plans: list[Record] = []
    openings: list[Record] = []
    postings: list[Record] = []
    for created, _id, job, opened, closed in _drafts(ctx, n_jobs):
        dept = ctx.department_by_id[job["departmentId"]]
        location = location_by_id[job["locationId"]]
        kind = "technical" if dept["name"] in _TECHNICAL else "sales" if dept["name"] in _SALES else "general"
        archived = job["status"] == "Archived"
        plan = {"id": ctx.uid(), "title": f"{job['title']} Interview Plan", "isArchived": archived}
        plans.append(ctx.stamps(plan, created))
        plan_stages = interview_stages(ctx, plan["id"], kind)
        stages.extend(plan_stages)
        job_plans.append(
            {
                "jobId": job["id"],
                "interviewPlanId": plan["id"],
                "stages": [with_activities(ctx, s, job["id"], kind, shared, interviews) for s in plan_stages],
            }
        )
        team = _hiring_team(ctx, team_roles)
        currency = _CURRENCY.get(_city(location)[3], "EUR")
        base = {"technical": 150_000, "general": 110_000, "sales": 90_000}[kind]
        base = int(base * _FACTOR[currency])
        job_openings = _openings(ctx, job, team, (opened, closed, created), len(openings) + 1)
        openings.extend(job_openings)
        job_postings = _postings(ctx, job, dept, location, form, currency, base, opened, closed, created)
        postings.extend(job_postings)
        job["defaultInterviewPlanId"] = plan["id"]
        job["interviewPlanIds"] = [plan["id"]]
        job["jobPostingIds"] = [p["id"] for p in job_postings]
        job["customFields"] = [custom_value(ctx, d) for d in ctx.custom_fields["Job"] if rng.random() < 0.5]
        job["hiringTeam"] = team
        job["customRequisitionId"] = f"REQ-{1000 + len(job_plans)}" if rng.random() < 0.6 else None
        job["brandId"] = ctx.brand_ids[1 if dept["name"] in ("Research", "Data") else 0]
        job["author"] = rng.choice(ctx.recruiters)
        ctx.stamps(job, created, ctx.later(max(created, opened or 0, closed or 0)))
        job["openedAt"] = None if opened is None else ctx.iso(opened)
        job["closedAt"] = None if closed is None else ctx.iso(closed)
        jobs.append(job)
        if opened is not None:
            external = [p["id"] for p in job_postings if p["_isPublished"] and p["externalLink"] is not None]
            ctx.job_plans.append(
                JobPlan(
                    job=job,
                    summary={k: job[k] for k in ("id", "title", "locationId", "departmentId", "brandId")},
                    stages=plan_stages,
                    opened_ms=opened,
                    closed_ms=closed,
                    opening_ids=[o["id"] for o in job_openings],
                    posting_id=external[0] if external else None,
                    currency=currency,
                    salary_base=base,
                )
            )
    ctx.tables["job"] = jobs
    ctx.tables["interviewPlan"] = sort_created(plans)
    ctx.tables["interviewStage"] = stages
    ctx.tables["interview"] = interviews
    ctx.tables["jobInterviewPlan"] = job_plans
    ctx.tables["opening"] = openings
    ctx.tables["jobPosting"] = postings
    ctx.tables["jobTemplate"] = _templates(ctx, n_templates)


def _drafts(ctx: Context, n_jobs: int) -> list[_Draft]:
    """Job cores with a status and the dates it implies, in ``(createdAt, id)`` order.

    The first four jobs take each status so that even a tiny dataset has all of them; a third of the
    archived jobs belong to archived departments and offices, as they would in a real tenant.
    """
    rng = ctx.rng
    departments = [d for d in ctx.department_by_id.values() if not d["isArchived"]]
    old_departments = [d for d in ctx.department_by_id.values() if d["isArchived"]] or departments
    old_offices = [loc for loc in ctx.tables["location"] if loc["isArchived"]] or ctx.office_locations
    drafts: list[_Draft] = []
    for i in range(n_jobs):
        r = rng.random()
        status = (
            ("Open", "Closed", "Archived", "Draft")[i] if i < 4 else next(s for s, p in _STATUSES if r < p)
        )
        old = status == "Archived" and rng.random() < 0.3
        dept = rng.choice(old_departments if old else departments)
        location = rng.choice(old_offices if old else ctx.office_locations)
        opened: int | None = None
        closed: int | None = None
        if status == "Draft":
            created = ctx.between(ctx.now_ms - 90 * DAY_MS, ctx.now_ms - DAY_MS)
        elif status == "Open":
            created = ctx.between(ctx.start_ms + 10 * DAY_MS, ctx.now_ms - 7 * DAY_MS)
            opened = created + int(rng.random() * 5 * DAY_MS)
        else:
            created = ctx.between(ctx.start_ms + 10 * DAY_MS, ctx.now_ms - 60 * DAY_MS)
            opened = created + int(rng.random() * 5 * DAY_MS)
            closed = ctx.between(opened + 30 * DAY_MS, min(opened + 360 * DAY_MS, ctx.now_ms - DAY_MS))
        r = rng.random()
        job: Record = {
            "id": ctx.uid(),
            "title": rng.choice(corpus.JOB_TITLES[dept["name"]]),
            "confidential": rng.random() < 0.05,
            "status": status,
            "employmentType": next(e for e, p in _EMPLOYMENT if r < p),
            "locationId": location["id"],
            "departmentId": dept["id"],
        }
        drafts.append((created, job["id"], job, opened, closed))
    drafts.sort(key=lambda d: (d[0], d[1]))
    return drafts


def _hiring_team(ctx: Context, roles: list[str]) -> list[Record]:
    """Recruiter and hiring manager, sometimes a coordinator (HiringTeamMember objects)."""
    rng = ctx.rng
    people = [rng.choice(ctx.recruiters), rng.choice(ctx.enabled_users)]
    if rng.random() < 0.5:
        people.append(rng.choice(ctx.enabled_users))
    return [
        {
            "userId": u["id"],
            "firstName": u["firstName"],
            "lastName": u["lastName"],
            "email": u["email"],
            "role": role,
        }
        for u, role in zip(people, roles, strict=False)
    ]


def _openings(
    ctx: Context, job: Record, team: list[Record], times: tuple[int | None, int | None, int], number: int
) -> list[Record]:
    """1-2 openings whose state follows the job's status; ``number`` numbers their identifiers."""
    rng = ctx.rng
    opened, closed, created = times
    status = job["status"]
    dept = ctx.department_by_id[job["departmentId"]]["name"]
    out: list[Record] = []
    for n in range(1 + (rng.random() < 0.3)):
        state = {"Draft": "Draft", "Open": "Open", "Archived": "Closed"}.get(status, "Filled")
        if status == "Open" and rng.random() < 0.2:
            state = "Approved"
        elif status == "Closed" and rng.random() < 0.3:
            state = "Closed"
        close_reason = None
        if state == "Filled":
            close_reason = ctx.close_reason_ids[0]
        elif state == "Closed":
            close_reason = rng.choice(ctx.close_reason_ids[1:])
        target = ctx.day((opened or created) + (60 + int(rng.random() * 60)) * DAY_MS)
        out.append(
            {
                "id": ctx.uid(),
                "openedAt": None if opened is None else ctx.iso(opened),
                "closedAt": None if closed is None else ctx.iso(closed),
                "isArchived": status == "Archived",
                "archivedAt": ctx.iso(closed) if status == "Archived" and closed is not None else None,
                "closeReasonId": close_reason,
                "openingState": state,
                "latestVersion": {
                    "id": ctx.uid(),
                    "identifier": f"{dept[:3].upper()}-{number + n:04d}",
                    "description": f"{job['title']} headcount" + (" (backfill)" if n else ""),
                    "authorId": team[0]["userId"],
                    "createdAt": ctx.iso(created),
                    "teamId": job["departmentId"],
                    "jobIds": [job["id"]],
                    "targetHireDate": target,
                    "targetStartDate": target,
                    "isBackfill": n > 0,
                    "employmentType": job["employmentType"],
                    "locationIds": [job["locationId"]],
                    "hiringTeam": team,
                    "customFields": [
                        custom_value(ctx, d) for d in ctx.custom_fields["Opening"] if rng.random() < 0.4
                    ],
                },
            }
        )
    return out


def _city(location: Record) -> tuple[str, str, str, str, str, str, str]:
    """The corpus city of an office (its country picks the currency)."""
    for name, _street, index, _kind, _archived in corpus.OFFICES:
        if name == location["name"]:
            return corpus.CITIES[index]
    return corpus.CITIES[0]


def _postings(
    ctx: Context,
    job: Record,
    dept: Record,
    location: Record,
    form: Record,
    currency: str,
    base: int,
    opened: int | None,
    closed: int | None,
    created: int,
) -> list[Record]:
    """The job's posting in full JobPosting form, published only while the job is Open.

    Published postings are on both boards, a few on the internal board only (``externalLink`` null) and
    a few unlisted; ``_jobBoardIds`` and ``_isPublished`` tell the server where and whether to list it.
    """
    if opened is None:
        return []
    rng = ctx.rng
    published = job["status"] == "Open"
    r = rng.random()
    external, internal = ctx.job_boards[0]["id"], ctx.job_boards[1]["id"]
    boards = [internal] if published and r < 0.05 else [external, internal] if published else [external]
    listed = not (published and 0.05 <= r < 0.15)
    posting_id = ctx.uid()
    city = _city(location)
    title = job["title"]
    low, high = base, int(base * 1.3)
    symbol = _SYMBOL[currency]
    pay = f"{symbol}{low // 1000}K – {symbol}{high // 1000}K"
    components: list[Record] = [
        {
            "id": ctx.uid(),
            "summary": pay,
            "compensationType": "Salary",
            "interval": "1 YEAR",
            "currencyCode": currency,
            "minValue": low,
            "maxValue": high,
        }
    ]
    if rng.random() < 0.6:
        components.append(
            {
                "id": ctx.uid(),
                "summary": "Offers Equity",
                "compensationType": "EquityPercentage",
                "interval": "NONE",
                "currencyCode": None,
                "minValue": None,
                "maxValue": None,
            }
        )
    tier_summary = " • ".join(c["summary"] for c in components)
    show_pay = rng.random() < 0.7
    opening = (
        f"<p>{corpus.ORGANIZATION_NAME} builds the tools modern teams use to hire. "
        f"We are {120 + int(rng.random() * 400)} people across {len(ctx.office_locations)} locations.</p>"
    )
    body = (
        f"<h3>About the role</h3><p>As a {title} in {dept['name']} you will own meaningful problems "
        "end to end and work closely with product, design and customers.</p>"
        "<h3>What you will do</h3><ul><li>Ship work that customers use every day</li>"
        "<li>Raise the bar for quality and craft on the team</li><li>Mentor and learn from peers</li></ul>"
        "<h3>What we look for</h3><ul><li>Experience in a similar role</li>"
        "<li>Clear written communication</li></ul>"
    )
    closing = "<p>We are an equal opportunity employer and value diversity of every kind.</p>"
    parts = [opening, body, closing]
    plains = [_plain(p) for p in parts]
    postal = location["address"]["postalAddress"] if location["address"] else {}
    workplace = location["workplaceType"] or "OnSite"
    external_link = (
        None if boards == [internal] else f"https://jobs.ashbyhq.com/{corpus.ORGANIZATION_SLUG}/{posting_id}"
    )
    posting: Record = {
        "id": posting_id,
        "title": title,
        "jobId": job["id"],
        "departmentName": dept["name"],
        "teamName": dept["name"],
        "locationName": location["name"],
        "locationExternalName": location["externalName"],
        "locationIds": {"primaryLocationId": location["id"], "secondaryLocationIds": []},
        "workplaceType": workplace,
        "employmentType": job["employmentType"],
        "isListed": listed,
        "publishedDate": ctx.day(opened),
        "applicationDeadline": None,
        "externalLink": external_link,
        "applyLink": f"https://jobs.ashbyhq.com/{corpus.ORGANIZATION_SLUG}/{posting_id}/application",
        "compensationTierSummary": tier_summary,
        "shouldDisplayCompensationOnJobBoard": show_pay,
        "updatedAt": ctx.iso(ctx.later(max(opened, closed or 0, created))),
        "descriptionPlain": "\n\n".join(plains),
        "descriptionHtml": "".join(parts),
        "descriptionSocial": f"{corpus.ORGANIZATION_NAME} is hiring a {title} ({location['name']}).",
        "descriptionParts": {
            "descriptionOpening": {"html": opening, "plain": plains[0]},
            "descriptionBody": {"html": body, "plain": plains[1]},
            "descriptionClosing": {"html": closing, "plain": plains[2]},
        },
        "teamNameHierarchy": _hierarchy(ctx, dept),
        "linkedData": {
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": title,
            "description": "".join(parts),
            "datePosted": ctx.day(opened),
            "employmentType": _LINKED_EMPLOYMENT[job["employmentType"]],
            "hiringOrganization": {
                "@type": "Organization",
                "name": corpus.ORGANIZATION_NAME,
                "sameAs": f"https://{corpus.ORGANIZATION_DOMAIN}",
            },
            "jobLocation": {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": city[0],
                    "addressRegion": city[1],
                    "addressCountry": city[2],
                },
            },
        },
        "address": {
            "postalAddress": {
                k: postal.get(k) for k in ("addressCountry", "addressRegion", "addressLocality")
            }
        },
        "isRemote": workplace == "Remote",
        "applicationFormDefinition": form,
        "surveyFormDefinitions": [],
        "suppressDescriptionOpening": False,
        "suppressDescriptionClosing": False,
        "compensation": {
            "compensationTierSummary": tier_summary,
            "summaryComponents": components,
            "compensationTiers": [
                {
                    "id": ctx.uid(),
                    "title": "Base",
                    "additionalInformation": None,
                    "components": components,
                    "tierSummary": tier_summary,
                }
            ],
            "shouldDisplayCompensationOnJobBoard": show_pay,
        },
        "applicationLimitCalloutHtml": None,
        "_jobBoardIds": boards,
        "_isPublished": published,
    }
    return [posting]


def _plain(html: str) -> str:
    """Tags stripped, block ends turned into line breaks (good enough for the generated markup)."""
    out: list[str] = []
    inside = False
    for ch in html.replace("</li>", "\n").replace("</h3>", "\n").replace("</p>", "\n"):
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out).strip()


def _hierarchy(ctx: Context, dept: Record) -> list[str]:
    """Department names from the top-level department down (``teamNameHierarchy``)."""
    chain = [dept["name"]]
    while dept["parentId"] is not None:
        dept = ctx.department_by_id[dept["parentId"]]
        chain.insert(0, dept["name"])
    return chain


def _templates(ctx: Context, count: int) -> list[Record]:
    """Job templates; the last two are archived."""
    rng = ctx.rng
    departments = [d for d in ctx.department_by_id.values() if not d["isArchived"]]
    rows: list[Record] = []
    for i in range(count):
        dept = rng.choice(departments)
        row: Record = {
            "id": ctx.uid(),
            "title": f"{rng.choice(corpus.JOB_TITLES[dept['name']])} (template)",
            "isArchived": i >= count - 2,
            "departmentId": dept["id"],
            "locationId": rng.choice(ctx.office_locations)["id"],
            "employmentType": "FullTime" if rng.random() < 0.8 else "Contract",
        }
        rows.append(ctx.stamps(row, ctx.early(400)))
    return sort_created(rows)
