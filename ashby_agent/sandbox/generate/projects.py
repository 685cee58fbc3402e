"""Talent projects and which candidates are in them (``candidateProject`` link rows).

The first candidates in list order are always in a project, so the first page of a walk has some.
"""

from __future__ import annotations

from . import corpus
from .context import Context, Record, sort_created
from .metadata import custom_value


def add_projects(ctx: Context, n_projects: int) -> None:
    """``n_projects`` projects (the last two archived) and the candidates' memberships."""
    rng = ctx.rng
    candidates = ctx.tables["candidate"]
    projects: list[Record] = []
    owner_fields = ctx.custom_fields["Talent_Project"]
    for i in range(n_projects):
        title = corpus.PROJECT_TITLES[i % len(corpus.PROJECT_TITLES)]
        if i >= len(corpus.PROJECT_TITLES):
            title = f"{title} {i // len(corpus.PROJECT_TITLES) + 1}"
        projects.append(
            {
                "id": ctx.uid(),
                "title": title,
                "description": f"Candidates to keep warm for {title.lower()}.",
                "isArchived": i >= n_projects - 2,
                "confidential": i == 3,
                "authorId": rng.choice(ctx.recruiters)["id"],
                "createdAt": ctx.iso(ctx.early(600)),
                "customFieldEntries": [custom_value(ctx, d) for d in owner_fields if rng.random() < 0.5],
            }
        )
    ctx.tables["project"] = sort_created(projects)
    links: list[Record] = []
    for i, cand in enumerate(candidates):
        if i < 4:
            chosen = projects[: 2 - i % 2]
        elif rng.random() < 0.02:
            chosen = [projects[int(rng.random() * len(projects))]]
        else:
            continue
        links += [{"_candidateId": cand["id"], "_projectId": p["id"]} for p in chosen]
    ctx.tables["candidateProject"] = links
