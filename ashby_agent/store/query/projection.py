"""The ``fields`` of a search: which parts of each record to return (``["a", "b.c"]`` or
``[["a"], ["b", "c"]]``). Paths through lists keep the list and project each element; ``id`` is
always kept so that a record can be fetched or referred to again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ashby_agent.errors import InvalidQueryError
from ashby_agent.store.query.fields import Schema
from ashby_agent.store.query.language import resolve_path

__all__ = ["Projection"]

Tree = dict[str, "Tree"]


@dataclass(frozen=True, slots=True)
class Projection:
    tree: Tree

    @classmethod
    def parse(cls, raw: Any, schema: Schema, entity: str) -> Projection:
        if not isinstance(raw, list) or not raw:
            raise InvalidQueryError(
                'fields is a non-empty list of field paths, e.g. ["name", "source.title"] or [["name"]].',
                where="fields",
            )
        paths: list[tuple[str, ...]] = [("id",)] if "id" in schema.fields else []
        paths += [resolve_path(schema, item, entity=entity, where="fields").keys for item in raw]
        tree: Tree = {}
        # A path that another one already covers whole ("source" covers "source.title") adds nothing;
        # shorter paths go first (sorted is stable: the order asked for is kept among equals).
        for keys in sorted(paths, key=len):
            node = tree
            for key in keys:
                if key in node and not node[key]:
                    break
                node = node.setdefault(key, {})
        return cls(tree)

    def apply(self, record: Any) -> Any:
        return _project(record, self.tree)


def _project(value: Any, tree: Tree) -> Any:
    if not tree:
        return value
    if isinstance(value, list):
        return [_project(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: _project(value[key], sub) for key, sub in tree.items() if key in value}
