"""The organization: users (with interviewer settings and pauses), departments, locations, brands, roles.

These are the small tables every other object points at, so they are generated first and their shared
embedded forms (a User, an office Location) are kept on the context for the hot loops to reuse by
reference.
"""

from __future__ import annotations

from . import corpus
from .context import DAY_MS, Context, Record, ascii_slug, sort_created

_GLOBAL_ROLES = (
    ("Organization Admin", 0.08),
    ("Elevated Access", 0.35),
    ("Limited Access", 0.95),
    ("External Recruiter", 1.0),
)


def add_organization(ctx: Context, n_users: int) -> None:
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
