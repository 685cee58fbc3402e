"""Offers: one for each application that reached its plan's Offer stage.

The acceptance status matches what happened next (Hired → Accepted, Archived → Declined/Cancelled,
still in Offer → waiting on approval or on the candidate); versions carry the salary in the job's
currency and, once approved, an offer letter.
"""

from __future__ import annotations

from .context import DAY_MS, Context, Record, Walk
from .metadata import custom_value


def offer_for(ctx: Context, walk: Walk, k: int) -> Record:
    """An offer for an application that entered the Offer stage at history index ``k``."""
    rng = ctx.rng
    rand = rng.random
    plan = walk.plan
    entered = walk.entered_ms[k]
    after = walk.plan.stages[walk.path[k + 1]]["type"] if k + 1 < len(walk.path) else None
    bound = walk.entered_ms[k + 1] if after else ctx.now_ms
    decided: str | None = ctx.iso(bound) if after else None
    approval: str | None = "Approved"
    if after == "Hired":
        acceptance, status = "Accepted", "CandidateAccepted"
    elif after == "Archived":
        acceptance, status = (
            ("Declined", "CandidateRejected") if rand() < 0.6 else ("Cancelled", "OfferCancelled")
        )
    else:
        r = rand()
        if r < 0.2:
            acceptance, status, approval = "Created", "WaitingOnApprovalStart", None
        elif r < 0.5:
            acceptance, status, approval = "Pending", "WaitingOnOfferApproval", "WaitingOnApprovals"
        else:
            acceptance, status = "WaitingOnResponse", "WaitingOnCandidateResponse"
    span = bound - entered
    times = [entered + int(span * 0.1 * rand())]
    if rand() < 0.25:
        times.append(times[0] + int((bound - times[0]) * 0.3 * rand()) + 1)
    author = rng.choice(ctx.recruiters)
    opening_id = rng.choice(plan.opening_ids)
    start_date = ctx.day(bound + (14 + int(rand() * 30)) * DAY_MS)
    versions: list[Record] = []
    for n, at in enumerate(times):
        latest = n == len(times) - 1
        salary = int(round(plan.salary_base * (0.95 + 0.3 * rand()), -3))
        versions.append(
            {
                "id": ctx.uid(),
                "startDate": start_date,
                "salary": {"currencyCode": plan.currency, "value": salary},
                "createdAt": ctx.iso(at),
                "openingId": opening_id,
                "customFields": [custom_value(ctx, d) for d in ctx.custom_fields["Offer"] if rand() < 0.5],
                "fileHandles": [ctx.file_handle("Offer Letter.pdf")] if approval == "Approved" else [],
                "author": author,
                "approvalStatus": approval if latest else "Approved",
            }
        )
    return {
        "id": ctx.uid(),
        "applicationId": walk.application["id"],
        "acceptanceStatus": acceptance,
        "offerStatus": status,
        "decidedAt": decided,
        "latestVersion": versions[-1],
        "versions": versions,
    }
