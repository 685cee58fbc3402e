"""Candidates and what hangs off them: contact details, files, notes, fraud checks, client info.

Each candidate gets 0-3 applications (built by ``applications``); its ``createdAt`` is just before its
first application and its ``updatedAt`` is its applications' latest change. Notes are guaranteed on the
first candidates in list order, so the first page of ``candidate.list`` always has some.
"""

from __future__ import annotations

from datetime import datetime
from random import Random

from . import corpus
from .applications import Applicant, ApplicationMaker
from .context import DAY_MS, HOUR_MS, Context, JobPlan, Record, Walk, ascii_slug, sort_created
from .metadata import custom_value

_PROFILE_URL = "https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/"
_FRAUD_CHECK = {
    "PassedFraudCheck": "Passed",
    "NotFraudulent": "Passed",
    "Fraudulent": "Flagged",
    "Unsure": "Pending",
}
_CHECK_TYPES = ("IdentityVerification", "DuplicateApplication", "ResumeAuthenticity", "LocationConsistency")


def add_candidates(ctx: Context, n_candidates: int) -> None:
    """Candidates with their files, and their applications (with history) as the walks later steps use."""
    rng = ctx.rng
    rand = rng.random
    iso = ctx.iso
    maker = ApplicationMaker(ctx)
    firsts = [(n, ascii_slug(n)) for n in corpus.FIRST_NAMES]
    lasts = [(n, ascii_slug(n)) for n in corpus.LAST_NAMES]
    cities = corpus.CITIES
    positions, companies, schools = corpus.POSITIONS, corpus.COMPANIES, corpus.SCHOOLS
    company_domains = {c: f"{ascii_slug(c)}.com" for c in companies}
    domains = corpus.PERSONAL_EMAIL_DOMAINS
    sources = _weighted_sources(ctx)
    recruiters = ctx.recruiters
    users = ctx.enabled_users
    tags = ctx.tags
    cand_fields = ctx.custom_fields["Candidate"]
    locations = ctx.candidate_locations
    seen: dict[str, int] = {}
    candidates: list[Record] = []
    walks: list[Walk] = []
    for _ in range(n_candidates):
        cid = ctx.uid()
        given, fs = firsts[int(rand() * len(firsts))]
        surname, ls = lasts[int(rand() * len(lasts))]
        name = f"{given} {surname}"
        r = rand()
        local = f"{fs}.{ls}" if r < 0.5 else f"{fs}{ls}" if r < 0.75 else f"{fs[0]}{ls}"
        count = seen[local] = seen.get(local, 0) + 1
        if count > 1:
            local = f"{local}{count}"
        company = companies[int(rand() * len(companies))] if rand() < 0.75 else None
        emails: list[Record] = []
        if rand() < 0.97:
            domain = domains[int(rand() * len(domains))]
            emails.append({"value": f"{local}@{domain}", "type": "Personal", "isPrimary": True})
            if company is not None and rand() < 0.2:
                work = f"{fs}.{ls}@{company_domains[company]}"
                emails.append({"value": work, "type": "Work", "isPrimary": False})
        ci = int(rand() * len(cities))
        has_location = rand() < 0.75
        phones: list[Record] = []
        if rand() < 0.6:
            number = f"{cities[ci][5]} {100 + int(rand() * 900)} {1000 + int(rand() * 9000)}"
            kind_of_phone = "Personal" if rand() < 0.9 else "Work"
            phones.append({"value": number, "type": kind_of_phone, "isPrimary": True})
        summary: Record = {"id": cid, "name": name}
        if emails:
            summary["primaryEmailAddress"] = emails[0]
        if phones:
            summary["primaryPhoneNumber"] = phones[0]
        source = sources[int(rand() * len(sources))]
        kind = source["sourceType"]["title"] if source is not None else "Inbound"
        credited = (
            users[int(rand() * len(users))]
            if kind == "Referral"
            else recruiters[int(rand() * len(recruiters))]
            if kind == "Sourced" or (kind != "Inbound" and rand() < 0.5)
            else None
        )
        applicant = Applicant(summary, source, kind, credited)
        r = rand()
        n_apps = 0 if r < 0.05 else 1 if r < 0.53 else 2 if r < 0.84 else 3
        mine: list[Walk] = []
        used: list[JobPlan] = []
        for _a in range(n_apps):
            walk = maker.make(applicant, used)
            used.append(walk.plan)
            mine.append(walk)
        if mine:
            created = max(ctx.start_ms, min(w.entered_ms[0] for w in mine) - int(rand() * 2 * DAY_MS))
            updated = max(w.entered_ms[-1] for w in mine)
            walks += mine
        else:
            created = updated = ctx.between(ctx.start_ms, ctx.now_ms)
        cand: Record = {"id": cid, "createdAt": iso(created), "updatedAt": iso(updated), "name": name}
        if emails:
            cand["primaryEmailAddress"] = emails[0]
        cand["emailAddresses"] = emails
        if phones:
            cand["primaryPhoneNumber"] = phones[0]
        cand["phoneNumbers"] = phones
        cand["socialLinks"] = _social_links(rng, fs, ls)
        r = rand()
        cand["tags"] = (
            [] if r > 0.15 else [tags[int(rand() * len(tags))]] if r > 0.03 else rng.sample(tags, 2)
        )
        if rand() < 0.8:
            cand["position"] = positions[int(rand() * len(positions))]
        if company is not None:
            cand["company"] = company
        if rand() < 0.6:
            cand["school"] = schools[int(rand() * len(schools))]
        cand["applicationIds"] = [w.application["id"] for w in mine]
        handles: list[Record] = []
        if rand() < 0.7:
            resume = ctx.file_handle(corpus.FILE_NAMES[int(rand() * 3)])
            cand["resumeFileHandle"] = resume
            handles.append(resume)
        if rand() < 0.08:
            handles.append(ctx.file_handle(corpus.FILE_NAMES[3 + int(rand() * 2)]))
        cand["fileHandles"] = handles
        r = rand()
        picked = [] if r > 0.35 else rng.sample(cand_fields, 1 + (r < 0.1))
        cand["customFields"] = [custom_value(ctx, d) for d in picked]
        cand["profileUrl"] = _PROFILE_URL + cid
        cand["source"] = source
        cand["creditedToUser"] = credited
        cand["timezone"] = cities[ci][4] if has_location else None
        if has_location:
            cand["location"] = locations[ci]
        cand["fraudStatus"] = _fraud_status(rand())
        candidates.append(cand)
    ctx.tables["candidate"] = sort_created(candidates)
    walks.sort(key=lambda w: (w.application["createdAt"], w.application["id"]))
    ctx.walks = walks
    ctx.tables["application"] = [w.application for w in walks]
    ctx.tables["applicationHistory"] = [row for w in walks for row in w.history]


def _fraud_status(r: float) -> str | None:
    """Mostly never checked (null); a few reviewed, passed, unsure or fraudulent."""
    if r < 0.8:
        return None
    if r < 0.88:
        return "Unreviewed"
    if r < 0.95:
        return "NotFraudulent"
    if r < 0.99:
        return "PassedFraudCheck"
    return "Unsure" if r < 0.997 else "Fraudulent"


def _weighted_sources(ctx: Context) -> list[Record | None]:
    """Sources repeated by how often each kind brings candidates (None: no source recorded)."""
    weights = {"Inbound": 6, "Sourced": 5, "Referral": 3, "Internal": 1}
    out: list[Record | None] = [None]
    for source in ctx.sources:
        out += [source] * (1 if source["isArchived"] else weights[source["sourceType"]["title"]])
    return out


def _social_links(rng: Random, fs: str, ls: str) -> list[Record]:
    """LinkedIn for most, GitHub for some, a personal site or X account for a few."""
    rand = rng.random
    links: list[Record] = []
    if rand() < 0.7:
        suffix = rng.getrandbits(24).to_bytes(3, "big").hex()
        links.append({"type": "LinkedIn", "url": f"https://www.linkedin.com/in/{fs}-{ls}-{suffix}"})
    if rand() < 0.25:
        links.append({"type": "GitHub", "url": f"https://github.com/{fs}{ls}{int(rand() * 100)}"})
    if rand() < 0.08:
        links.append({"type": "Website", "url": f"https://{fs}{ls}.dev"})
    if rand() < 0.04:
        links.append({"type": "Twitter", "url": f"https://x.com/{fs}_{ls}"})
    return links


def add_notes(ctx: Context) -> None:
    """Notes, guaranteed on the first candidates (the first page of a walk)."""
    rng = ctx.rng
    candidates = ctx.tables["candidate"]
    notes: list[Record] = []
    for i, cand in enumerate(candidates):
        if i >= 5 and rng.random() >= 0.06:
            continue
        created = _ms(cand["createdAt"])
        for _ in range(2 if i < 5 else 1 + (rng.random() < 0.3)):
            private = rng.random() < 0.12
            texts = corpus.PRIVATE_NOTE_TEXTS if private else corpus.NOTE_TEXTS
            notes.append(
                {
                    "id": ctx.uid(),
                    "createdAt": ctx.iso(ctx.between(created, ctx.now_ms)),
                    "isPrivate": private,
                    "content": rng.choice(texts),
                    "author": ctx.author_of[rng.choice(ctx.enabled_users)["id"]],
                    "_candidateId": cand["id"],
                }
            )
    ctx.tables["note"] = sort_created(notes)


def add_fraud_checks(ctx: Context) -> None:
    """Fraud-check rows for about half of the candidates whose fraud status says they were checked.

    The first two candidates always passed two checks, so per-candidate paging has a second page.
    """
    rand = ctx.rng.random
    checks: list[Record] = []
    for i, cand in enumerate(ctx.tables["candidate"]):
        if i < 2:
            cand["fraudStatus"] = "PassedFraudCheck"
        status = _FRAUD_CHECK.get(cand["fraudStatus"] or "")
        if status is None or (i >= 2 and rand() < 0.5):
            continue
        created = _ms(cand["createdAt"])
        first = int(rand() * len(_CHECK_TYPES))
        for n in range(2 if i < 2 else 1):
            checks.append(
                {
                    "id": ctx.uid(),
                    "candidateId": cand["id"],
                    "status": status,
                    "checkType": _CHECK_TYPES[first - n],
                    "createdAt": ctx.iso(min(ctx.now_ms, created + (n + 1) * HOUR_MS)),
                }
            )
    ctx.tables["fraudCheck"] = sort_created(checks)


def add_client_info(ctx: Context) -> None:
    """ClientInfo for 40% of the candidates who applied through a form, for each of their submissions.

    A quarter of submissions were also opened on a second device (two rows); the first tracked candidate
    in list order always has two rows, so per-candidate paging has a second page.
    """
    rand = ctx.rng.random
    agents = corpus.USER_AGENTS
    submitted: dict[str, list[Record]] = {}
    for walk in ctx.walks:
        if walk.application["submitterClientIp"] is not None:
            submitted.setdefault(walk.application["candidate"]["id"], []).append(walk.application)
    rows: list[Record] = []
    for cand in ctx.tables["candidate"]:
        apps = submitted.get(cand["id"])
        if apps is None or rand() >= 0.4:
            continue
        for app in apps:
            devices = 2 if not rows or rand() < 0.25 else 1
            for n in range(devices):
                agent = app["submitterUserAgent"] if n == 0 else agents[int(rand() * len(agents))]
                rows.append(
                    {
                        "id": ctx.uid(),
                        "ipAddress": app["submitterClientIp"],
                        "userAgent": agent,
                        "relatedEntityType": "Application",
                        "relatedEntityId": app["id"],
                        "candidateId": cand["id"],
                        "createdAt": app["createdAt"],
                    }
                )
    ctx.tables["clientInfo"] = sort_created(rows)


def _ms(stamp: str) -> int:
    """Milliseconds of one of our own ISO stamps (only used off the hot path)."""
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)
