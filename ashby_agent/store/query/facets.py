"""Aggregates answered from ``store_facets`` instead of the records' JSON documents.

When every group key, metric field and filter leaf of an aggregate is a faceted path
(:data:`~ashby_agent.store.query.indexes.FACETED`) and the filter uses only ``eq neq gt gte lt lte
in not and or``, the aggregate's per-record rows come from ``store_facets``: one row per record and
path, so the first path's rows (``f0``: a range of the index on ``(connector_id, entity, path,
value)``) are joined by record id to the other paths' (``f1`` …), and a leaf or key reads
``f<i>.value`` where the JSON plan reads the document. The compiler's condition code is the same, so
nulls, ``neq`` and ``not`` mean the same on both plans. Everything else reads the documents.

The plan is taken only when the store says the rows can stand for the documents (:func:`usable`):
every path is back-filled (``store_facet_paths``) and no record of the connector has a value there
that a facet cannot hold (``overflow``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import sqlalchemy as sa
from sqlalchemy import Connection

from ashby_agent.store.query.compiler import Compiler
from ashby_agent.store.query.dialects import entity_literal
from ashby_agent.store.query.fields import Path
from ashby_agent.store.query.indexes import facet_fields
from ashby_agent.store.query.language import And, Compare, Condition, In, Not, Or

__all__ = ["facet_paths", "facet_sources", "usable"]

_PATH: Final = re.compile(r"[A-Za-z0-9_.]+")


def _condition_paths(node: Condition, faceted: Iterable[str]) -> list[Path] | None:
    """The paths of ``node``'s leaves, or ``None`` when a leaf is not on a facet or not a comparison."""
    match node:
        case And(conditions=items) | Or(conditions=items):
            found: list[Path] = []
            for item in items:
                inner = _condition_paths(item, faceted)
                if inner is None:
                    return None
                found += inner
            return found
        case Not(condition=inner):
            return _condition_paths(inner, faceted)
        case Compare(path=path) | In(path=path) if path.text in faceted:
            return [path]
    return None


def facet_paths(entity: str, condition: Condition, paths: Iterable[Path]) -> tuple[Path, ...] | None:
    """The faceted paths an aggregate reads (``paths``: its group keys' and metrics' fields, then the
    filter's), in first-use order; ``None`` when it cannot be answered from facets or reads none."""
    faceted = facet_fields(entity)
    wanted = list(paths)
    if any(path.text not in faceted for path in wanted):
        return None
    leaves = _condition_paths(condition, faceted)
    if leaves is None:
        return None
    unique = {path.text: faceted[path.text] for path in [*wanted, *leaves]}
    return tuple(unique.values()) or None


def usable(connection: Connection, connector_id: str, entity: str, paths: tuple[Path, ...]) -> bool:
    """Whether ``store_facets`` holds every value of ``paths`` for ``connector_id``'s records."""
    names = [path.text for path in paths]
    complete, overflow = connection.execute(
        sa.text(
            "SELECT (SELECT COUNT(*) FROM store_facet_paths WHERE entity = :entity AND path IN :paths), "
            "EXISTS (SELECT 1 FROM store_facets WHERE connector_id = :connector AND entity = :entity "
            "AND path IN :paths AND overflow)"
        ).bindparams(sa.bindparam("paths", expanding=True)),
        {"entity": entity, "paths": names, "connector": connector_id},
    ).one()
    return int(complete) == len(names) and not overflow


def facet_sources(
    compiler: Compiler, connector_id: str, entity: str, paths: tuple[Path, ...]
) -> tuple[str, str]:
    """The ``FROM`` items and the ``WHERE`` terms (tenant, entity, first path) of the per-record rows
    of ``paths``; maps each path to its alias's value in ``compiler.columns``."""
    scope = compiler.scoped(connector_id, entity, table="f0")
    joins = []
    for index, path in enumerate(paths):
        assert _PATH.fullmatch(path.text), path.text
        alias = f"f{index}"
        compiler.columns[path.keys] = f"{alias}.value"
        if index:
            joins.append(
                f"JOIN store_facets AS {alias} ON {alias}.connector_id = :{compiler.tenant} "
                f"AND {alias}.entity = {entity_literal(entity)} AND {alias}.record_id = f0.record_id "
                f"AND {alias}.path = '{path.text}'"
            )
    return " ".join(["store_facets AS f0", *joins]), f"{scope} AND f0.path = '{paths[0].text}'"
