"""Job writes under ``jobsWrite``: ``job.create/update/setStatus/updateCompensation`` and
``jobPosting.update``.

Each answers the Job (``updateCompensation`` the Job plus its ``compensationTiers``, ``jobPosting.update``
the full JobPosting) as the write left it; a write that changes nothing writes nothing. The webhook
events follow from the store's change listener (``jobCreate``, ``jobUpdate``, ``interviewPlanTransition``
when the default plan changes, ``jobPostingUpdate``/``jobPostingUnpublish`` for postings).

Where the reference is silent the sandbox chooses: a new job starts as a Draft of no posting; ids of
archived departments, locations, plans, templates are refused (``invalid_input`` naming the
parameter); a status change follows Ashby's transitions (``job_status_transition_invalid`` otherwise),
setting the status a job has is a no-op, and opening needs a default interview plan
(``job_interview_plan_required``). ``openedAt``/``closedAt`` follow the status: opening stamps
``openedAt``, closing or archiving stamps ``closedAt``, back to Draft clears both. A job that stops
being Open unpublishes its postings (reopening publishes none: the API has no publish call). The
applications of a job embed its title, department and location, and follow them.
"""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from typing import Any

from ..params import InvalidInput, Param, validate_item
from ..store import Record, iso_ms, public
from .endpoint import ApiError, Ctx, Endpoint, Params, dumps, not_found, ok
from .jobs import is_published
from .lookups import NOT_FOUND, api_user
from .note_html import _Sanitizer

WRITE = "jobsWrite"
TABLE = "job"
POSTING_TABLE = "jobPosting"
EMPLOYMENT_TYPES = ("FullTime", "PartTime", "Intern", "Contract", "Temporary")
WORKPLACE_TYPES = ("OnSite", "Hybrid", "Remote")
#: Status -> the statuses ``job.setStatus`` may move it to (Ashby's documented transitions).
TRANSITIONS = {
    "Draft": ("Open", "Archived"),
    "Open": ("Closed",),
    "Closed": ("Draft", "Archived"),
    "Archived": ("Draft",),
}
COMPENSATION_TYPES = ("Salary", "EquityPercentage", "EquityCashValue", "Commission", "Bonus")
INTERVALS = (
    "NONE",
    "1 TIME",
    "1 HOUR",
    "1 DAY",
    "1 WEEK",
    "2 WEEK",
    "1 MONTH",
    "2 MONTH",
    "1 YEAR",
    "6 MONTH",
    "0.5 MONTH",
    "3 MONTH",
)
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€", "SGD": "S$", "INR": "₹", "AUD": "A$"}
#: What a component with no amounts says: "Offers Equity", "Offers Bonus".
OFFERS = {"EquityPercentage": "Equity", "EquityCashValue": "Equity"}
#: Tables the sandbox looks up for these writes, beyond ``lookups.NOT_FOUND``.
MORE_NOT_FOUND = {
    "department": ("department_not_found", "Department"),
    "location": ("location_not_found", "Location"),
    "jobTemplate": ("job_template_not_found", "Job template"),
    "brand": ("brand_not_found", "Brand"),
    "jobPosting": ("job_posting_not_found", "Job posting"),
    "opening": ("opening_not_found", "Opening"),
    "closeReason": ("close_reason_not_found", "Close reason"),
}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = frozenset({"li", "p", "pre", "ul", "ol"})
_JOB_ID = Param("jobId", "uuid", required=True)
_COMPONENT = (
    Param("compensationType", "enum", required=True, choices=COMPENSATION_TYPES),
    Param("interval", "enum", required=True, choices=INTERVALS),
    Param("currencyCode", "str"),
    Param("label", "str"),
)
_TIER = (
    Param("title", "str"),
    Param("additionalInformation", "str"),
    Param("components", "object_list", required=True, min_items=1),
)
_DESCRIPTION = (
    Param("type", "enum", required=True, choices=("text/html",)),
    Param("content", "str", required=True),
)


def record_of(ctx: Ctx, table: str, row_id: str) -> Record:
    """The stored record (read it, never change it), or the table's ``<entity>_not_found``."""
    record = ctx.store.table(table).rows.get(row_id)
    if record is None:
        code, what = NOT_FOUND.get(table) or MORE_NOT_FOUND[table]
        raise not_found(code, what)
    return record


def active(ctx: Ctx, table: str, row_id: str, parameter: str) -> Record:
    """``record_of``, refusing an archived record as the value of ``parameter``."""
    record = record_of(ctx, table, row_id)
    if record.get("isArchived"):
        raise InvalidInput(
            f'"{parameter}" names an archived record ({row_id}); pick an active one', parameter
        )
    return record


def text(p: Params, name: str) -> str:
    value = str(p[name]).strip()
    if not value:
        raise InvalidInput(f'"{name}" must not be blank', name)
    return value


def _now(ctx: Ctx) -> str:
    return iso_ms(ctx.store.now_ms())


def _answer(ctx: Ctx, job_id: str) -> bytes:
    return ok(ctx.store.table(TABLE).json(job_id))


# -- applications and plans that follow the job -----------------------------------------------------
def _application_ids(ctx: Ctx, job_id: str) -> list[str]:
    table = ctx.store.table("application")
    index = table.index(
        "job.id", lambda r: ((r.get("job") or {}).get("id") if isinstance(r.get("job"), dict) else None,)
    )
    return [key[2] for key in index.get(job_id, [])]


def _refresh_applications(ctx: Ctx, job: Record) -> None:
    """Give the job's applications its current title, department and location (no event of their own)."""
    changes = {
        "title": job.get("title"),
        "departmentId": job.get("departmentId"),
        "locationId": job.get("locationId"),
    }
    for application_id in _application_ids(ctx, str(job["id"])):
        application = ctx.store.table("application").rows[application_id]
        summary = dict(application.get("job") or {})
        if any(summary.get(key) != value for key, value in changes.items()):
            ctx.store.update("application", application_id, {"job": {**summary, **changes}}, announce=False)


def _set_job_plan(ctx: Ctx, job_id: str, plan_id: str) -> None:
    """Point ``jobInterviewPlan.info`` at the job's new default plan and its stages."""
    stages = sorted(
        (
            public(s)
            for s in ctx.store.table("interviewStage").rows.values()
            if s.get("interviewPlanId") == plan_id
        ),
        key=lambda s: s.get("orderInInterviewPlan") or 0,
    )
    row = {"jobId": job_id, "interviewPlanId": plan_id, "stages": [{**s, "activities": []} for s in stages]}
    table = ctx.store.table("jobInterviewPlan")
    keys = table.index("jobId", lambda r: (r.get("jobId"),)).get(job_id)
    if keys:
        ctx.store.update("jobInterviewPlan", keys[0][2], row)
    else:
        ctx.store.create("jobInterviewPlan", row, stamped=False)


# -- create / update --------------------------------------------------------------------------------
def _create(ctx: Ctx, p: Params) -> bytes:
    title = text(p, "title")
    with ctx.store.lock:
        department = active(ctx, "department", p["teamId"], "teamId")
        location = active(ctx, "location", p["locationId"], "locationId")
        template = (
            active(ctx, "jobTemplate", p["jobTemplateId"], "jobTemplateId") if "jobTemplateId" in p else {}
        )
        plan_id = (
            active(ctx, "interviewPlan", p["defaultInterviewPlanId"], "defaultInterviewPlanId")["id"]
            if ("defaultInterviewPlanId" in p)
            else None
        )
        brand_id = record_of(ctx, "brand", p["brandId"])["id"] if "brandId" in p else None
        now = _now(ctx)
        job: Record = {
            "id": str(uuid.uuid4()),
            "title": title,
            "confidential": False,
            "status": "Draft",
            "employmentType": template.get("employmentType") or "FullTime",
            "locationId": location["id"],
            "departmentId": department["id"],
            "defaultInterviewPlanId": plan_id,
            "interviewPlanIds": [plan_id] if plan_id else [],
            "jobPostingIds": [],
            "customFields": [],
            "hiringTeam": [],
            "customRequisitionId": None,
            "brandId": brand_id,
            "author": public(api_user(ctx)),
            "createdAt": now,
            "updatedAt": now,
            "openedAt": None,
            "closedAt": None,
        }
        ctx.store.create(TABLE, job)
        if plan_id:
            _set_job_plan(ctx, job["id"], plan_id)
        return _answer(ctx, job["id"])


def _update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        job = record_of(ctx, TABLE, p["jobId"])
        fields: Record = {}
        if "title" in p:
            fields["title"] = text(p, "title")
        if "teamId" in p:
            fields["departmentId"] = active(ctx, "department", p["teamId"], "teamId")["id"]
        if "locationId" in p:
            fields["locationId"] = active(ctx, "location", p["locationId"], "locationId")["id"]
        if "defaultInterviewPlanId" in p:
            plan_id = active(ctx, "interviewPlan", p["defaultInterviewPlanId"], "defaultInterviewPlanId")[
                "id"
            ]
            fields["defaultInterviewPlanId"] = plan_id
            plans = list(job.get("interviewPlanIds") or [])
            fields["interviewPlanIds"] = plans if plan_id in plans else [*plans, plan_id]
        if "customRequisitionId" in p:
            requisition = p["customRequisitionId"]
            fields["customRequisitionId"] = (
                requisition.strip() or None if isinstance(requisition, str) else None
            )
        changed = {key: value for key, value in fields.items() if job.get(key) != value}
        if changed:
            after = ctx.store.update(TABLE, job["id"], changed)
            if "defaultInterviewPlanId" in changed:
                _set_job_plan(ctx, job["id"], changed["defaultInterviewPlanId"])
            if {"title", "departmentId", "locationId"} & changed.keys():
                _refresh_applications(ctx, after)
        return _answer(ctx, job["id"])


# -- status -----------------------------------------------------------------------------------------
def _set_status(ctx: Ctx, p: Params) -> bytes:
    wanted = p["status"]
    with ctx.store.lock:
        job = record_of(ctx, TABLE, p["jobId"])
        current = str(job.get("status"))
        if wanted == current:
            return _answer(ctx, job["id"])
        allowed = TRANSITIONS.get(current, ())
        if wanted not in allowed:
            raise ApiError(
                "job_status_transition_invalid",
                f"Job {job['id']} is {current} and cannot become {wanted}; from {current} a job can become "
                f"{' or '.join(allowed)}.",
                meta={"from": current, "to": wanted, "allowed": list(allowed)},
            )
        if wanted == "Open" and not job.get("defaultInterviewPlanId"):
            raise ApiError(
                "job_interview_plan_required",
                f"Job {job['id']} has no default interview plan; set one (job.update "
                "defaultInterviewPlanId) before opening it.",
            )
        now = _now(ctx)
        fields: Record = {"status": wanted, "updatedAt": now}  # one instant for the stamps and the write
        if wanted == "Open":
            fields.update(openedAt=now, closedAt=None)
        elif wanted == "Draft":
            fields.update(openedAt=None, closedAt=None)
        elif not job.get("closedAt"):  # Closed, or Archived straight from Draft
            fields["closedAt"] = now
        ctx.store.update(TABLE, job["id"], fields)
        if current == "Open":
            for posting_id in job.get("jobPostingIds") or []:
                posting = ctx.store.get(POSTING_TABLE, posting_id)
                if posting is not None and is_published(posting):
                    ctx.store.update(POSTING_TABLE, posting_id, {"_isPublished": False})
        return _answer(ctx, job["id"])


# -- compensation -----------------------------------------------------------------------------------
def _number(value: Any, where: str) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != value:
        raise InvalidInput(f'"{where}" must be a non-negative number or null', where)
    return value


def _amount(value: float | int, currency: str | None, kind: str) -> str:
    if kind == "EquityPercentage":
        return f"{value:g}%"
    symbol = CURRENCY_SYMBOLS.get(currency or "", f"{currency} " if currency else "")
    return f"{symbol}{int(value // 1000)}K" if value >= 1000 else f"{symbol}{value:g}"


def _summary(kind: str, currency: str | None, low: float | None, high: float | None) -> str:
    """How a job board shows a component: "€72K – €100K", "1% – 2.5%", "Offers Bonus"."""
    amounts = [_amount(v, currency, kind) for v in (low, high) if v is not None]
    if not amounts:
        return f"Offers {OFFERS.get(kind, kind)}"
    if low is None:
        return f"Up to {amounts[0]}"
    if high is None:
        return f"{amounts[0]}+"
    return amounts[0] if low == high else f"{amounts[0]} – {amounts[1]}"


def _component(item: Any, where: str) -> Record:
    fields = validate_item(_COMPONENT, item, where)
    for key in ("minValue", "maxValue"):
        if key not in item:
            raise InvalidInput(f'"{where}.{key}" is required (a number, or null)', f"{where}.{key}")
    low, high = _number(item["minValue"], f"{where}.minValue"), _number(item["maxValue"], f"{where}.maxValue")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f'"{where}.minValue" must not exceed maxValue', f"{where}.minValue")
    kind = fields["compensationType"]
    currency = fields.get("currencyCode")
    if currency is not None and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise InvalidInput(
            f'"{where}.currencyCode" must be an ISO 4217 code such as EUR', f"{where}.currencyCode"
        )
    if kind != "EquityPercentage" and currency is None and (low, high) != (None, None):
        raise InvalidInput(f'"{where}.currencyCode" is required for a {kind} amount', f"{where}.currencyCode")
    component: Record = {
        "id": str(uuid.uuid4()),
        "summary": _summary(kind, currency, low, high),
        "compensationType": kind,
        "interval": fields["interval"],
        "currencyCode": currency,
        "minValue": low,
        "maxValue": high,
    }
    if "label" in fields:
        component["label"] = fields["label"]
    return component


def _tiers(items: list[Record]) -> list[Record]:
    tiers: list[Record] = []
    for i, item in enumerate(items):
        where = f"compensationTiers[{i}]"
        fields = validate_item(_TIER, item, where)
        if len(items) > 1 and not str(fields.get("title") or "").strip():
            raise InvalidInput(f'"{where}.title" is required when there are several tiers', f"{where}.title")
        components = [_component(c, f"{where}.components[{n}]") for n, c in enumerate(fields["components"])]
        parts = [c["summary"] for c in components]
        if fields.get("additionalInformation"):
            parts.append(fields["additionalInformation"])
        tiers.append(
            {
                "id": str(uuid.uuid4()),
                "title": fields.get("title"),
                "additionalInformation": fields.get("additionalInformation"),
                "components": components,
                "tierSummary": " • ".join(parts),
            }
        )
    return tiers


def _posting_compensation(posting: Record, tiers: list[Record]) -> Record:
    """A posting's ``compensation`` over the job's tiers: one tier's components, or each kind's range
    across the tiers."""
    merged: dict[tuple[Any, Any, Any], Record] = {}
    for tier in tiers:
        for c in tier["components"]:
            key = (c["compensationType"], c["interval"], c["currencyCode"])
            seen = merged.setdefault(key, dict(c))
            for bound, pick in (("minValue", min), ("maxValue", max)):
                values = [v for v in (seen[bound], c[bound]) if v is not None]
                seen[bound] = pick(values) if values else None
            seen["summary"] = _summary(key[0], key[2], seen["minValue"], seen["maxValue"])
    components = tiers[0]["components"] if len(tiers) == 1 else list(merged.values())
    summary = (
        " • ".join(c["summary"] for c in components)
        if len(tiers) == 1
        else (" • ".join(t["tierSummary"] for t in tiers))
    )
    shown = bool((posting.get("compensation") or {}).get("shouldDisplayCompensationOnJobBoard"))
    return {
        "compensationTierSummary": summary or None,
        "summaryComponents": components,
        "compensationTiers": tiers,
        "shouldDisplayCompensationOnJobBoard": shown,
    }


def _update_compensation(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        job = record_of(ctx, TABLE, p["jobId"])
        tiers = _tiers(p["compensationTiers"])
        ctx.store.update(TABLE, job["id"], {"_compensation": {"compensationTiers": tiers}})
        for posting_id in job.get("jobPostingIds") or []:
            posting = ctx.store.get(POSTING_TABLE, posting_id)
            if posting is not None:
                compensation = _posting_compensation(posting, tiers)
                summary = compensation["compensationTierSummary"]
                ctx.store.update(
                    POSTING_TABLE,
                    posting_id,
                    {"compensation": compensation, "compensationTierSummary": summary},
                )
        answer = {**public(ctx.store.table(TABLE).rows[job["id"]]), "compensationTiers": tiers}
        return ok(dumps(answer))


# -- job posting ------------------------------------------------------------------------------------
class _PostingHtml(_Sanitizer):
    """A note's HTML subset plus headings: what a posting description keeps."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADINGS and not self.skipping:
            self.out.append(f"<{tag}>")
            self.open.append(tag)
        else:
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and not self.skipping and tag in self.open:
            while self.open:
                inner = self.open.pop()
                self.out.append(f"</{inner}>")
                if inner == tag:
                    break
        else:
            super().handle_endtag(tag)


class _Plain(HTMLParser):
    """Text of the HTML, a line break after each block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if (tag in HEADINGS or tag in BLOCKS) and self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def posting_html(html: str) -> tuple[str, str]:
    """(kept HTML, its plain text) of a posting description."""
    sanitizer = _PostingHtml()
    sanitizer.feed(html)
    sanitizer.close()
    sanitizer.out.extend(f"</{tag}>" for tag in reversed(sanitizer.open))
    kept = "".join(sanitizer.out)
    plain = _Plain()
    plain.feed(kept)
    plain.close()
    return kept, "".join(plain.out).strip()


def _description(parts: Record) -> Record:
    """``descriptionHtml``/``descriptionPlain`` from the parts shown (opening, body, closing)."""
    shown = [parts.get(name) for name in ("descriptionOpening", "descriptionBody", "descriptionClosing")]
    present = [part for part in shown if isinstance(part, dict)]
    return {
        "descriptionHtml": "".join(str(part.get("html") or "") for part in present),
        "descriptionPlain": "\n\n".join(str(part.get("plain") or "") for part in present),
    }


def _posting_update(ctx: Ctx, p: Params) -> bytes:
    description = validate_item(_DESCRIPTION, p["description"], "description") if "description" in p else None
    with ctx.store.lock:
        posting = record_of(ctx, POSTING_TABLE, p["jobPostingId"])
        fields: Record = {}
        linked = dict(posting.get("linkedData") or {})
        if "title" in p:
            fields["title"] = linked["title"] = text(p, "title")
        if "workplaceType" in p:
            fields.update(workplaceType=p["workplaceType"], isRemote=p["workplaceType"] == "Remote")
        parts = dict(posting.get("descriptionParts") or {})
        for name, part in (
            ("suppressDescriptionOpening", "descriptionOpening"),
            ("suppressDescriptionClosing", "descriptionClosing"),
        ):
            if name in p and p[name] != bool(posting.get(name)):
                fields[name] = p[name]
                saved = f"_{part}"
                if p[name]:
                    fields[saved], parts[part] = parts.get(part), None
                else:
                    parts[part] = posting.get(saved)
        if description is not None:
            html, plain = posting_html(description["content"])
            if not plain.strip():
                raise InvalidInput(
                    '"description.content" has no text once reduced to the kept HTML', "description.content"
                )
            parts["descriptionBody"] = {"html": html, "plain": plain}
        if parts != (posting.get("descriptionParts") or {}):
            fields["descriptionParts"] = parts
            fields.update(_description(parts))
            linked["description"] = fields["descriptionHtml"]
        if linked != (posting.get("linkedData") or {}) and posting.get("linkedData") is not None:
            fields["linkedData"] = linked
        changed = {key: value for key, value in fields.items() if posting.get(key) != value}
        if changed:
            ctx.store.update(POSTING_TABLE, posting["id"], changed)
        return ok(ctx.store.table(POSTING_TABLE).json(posting["id"]))


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "job.create",
        WRITE,
        (
            Param("title", "str", required=True),
            Param("teamId", "uuid", required=True),
            Param("locationId", "uuid", required=True),
            Param("defaultInterviewPlanId", "uuid"),
            Param("jobTemplateId", "uuid"),
            Param("brandId", "uuid"),
        ),
        _create,
    ),
    Endpoint(
        "job.update",
        WRITE,
        (
            _JOB_ID,
            Param("title", "str"),
            Param("teamId", "uuid"),
            Param("locationId", "uuid"),
            Param("defaultInterviewPlanId", "uuid"),
            Param("customRequisitionId", "str", nullable=True),
        ),
        _update,
    ),
    Endpoint(
        "job.setStatus",
        WRITE,
        (_JOB_ID, Param("status", "enum", required=True, choices=tuple(TRANSITIONS))),
        _set_status,
    ),
    Endpoint(
        "job.updateCompensation",
        WRITE,
        (_JOB_ID, Param("compensationTiers", "object_list", required=True, min_items=1)),
        _update_compensation,
    ),
    Endpoint(
        "jobPosting.update",
        WRITE,
        (
            Param("jobPostingId", "uuid", required=True),
            Param("title", "str"),
            Param("workplaceType", "enum", choices=WORKPLACE_TYPES),
            Param("suppressDescriptionOpening", "bool"),
            Param("suppressDescriptionClosing", "bool"),
            Param("description", "object"),
        ),
        _posting_update,
    ),
]

__all__ = ["EMPLOYMENT_TYPES", "ENDPOINTS", "active", "posting_html", "record_of", "text"]
