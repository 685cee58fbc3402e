"""``context_store_sql_query``: one read-only SELECT over the views of one connector's records.

The input is **PostgreSQL syntax** on both backends. sqlglot parses it, the tree is checked, and it is
written out in the connection's dialect (SQLite or PostgreSQL). The views and their columns are
described in :mod:`ashby_agent.store.query.views` (snake_case names, so SQL needs no quoting).

Confined by construction: every table name in the query must be a view (an entity the store keeps)
or a CTE that the query itself defines. Each view reference is replaced in the tree by a subquery over
``store_records`` filtered on the bound connector id and the entity, so no other tenant's rows, store
table or system catalog is reachable: ``OR 1=1``, subqueries and UNIONs only ever see those
subqueries. The statement runs in a read-only transaction, with a timeout and a row cap.

What is accepted: ``SELECT`` (``DISTINCT``, joins of every kind, ``WHERE``, ``GROUP BY``, ``HAVING``,
``ORDER BY``, ``LIMIT``/``OFFSET``, window functions, ``FILTER``), subqueries, non-recursive
``WITH``, ``UNION``/``INTERSECT``/``EXCEPT``, and the functions of :data:`FUNCTIONS`: ordinary ones
that mean the same on both databases. A few are adjusted so that both agree:

* ``/`` divides exactly (``5 / 2`` is 2.5) and gives NULL on division by zero;
* ``date_trunc('day'|'week'|'month', x)`` is the bucket's first day as ``'YYYY-MM-DD'`` text (weeks
  start on Monday), ``to_char(x, fmt)`` accepts the views' ISO text directly;
* ``json_array_length(x)`` counts a list column's elements (``jsonb_array_length`` on PostgreSQL);
* text compares byte by byte (the views' text and ``->>`` are in the "C" collation on PostgreSQL, as
  SQLite compares), and NULLs sort as PostgreSQL sorts them (last when ascending).

Results: JSON columns come back parsed, booleans as booleans, whole numbers as ints, dates as
``'YYYY-MM-DD'`` and timestamps as ``'YYYY-MM-DD HH:MM:SS'`` text. An unnamed computed column is
named ``_col_<position>``; name it with ``AS``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import orjson
import sqlglot
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, SqlglotError, UnsupportedError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.qualify import qualify

from ashby_agent.errors import InvalidQueryError
from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.dialects import dialect_for
from ashby_agent.store.query.views import VIEW_COLUMNS, describe_view, view_columns, view_sql

__all__ = [
    "DEFAULT_ROW_CAP",
    "FUNCTIONS",
    "INPUT_DIALECT",
    "MAX_ROW_CAP",
    "SQL_PARAMS",
    "TIMEOUT_S",
    "VIEW_COLUMNS",
    "SqlQuery",
    "compile_sql",
    "describe_view",
    "parse_sql",
    "run_sql",
]

INPUT_DIALECT: Final = "postgres"
DEFAULT_ROW_CAP: Final = 200
MAX_ROW_CAP: Final = 1000
TIMEOUT_S: Final = 5.0
MAX_SQL_CHARS: Final = 20_000
SQL_PARAMS: Final = ("sql", "query", "limit")
_PARAM: Final = "ashby_connector_id"
_STATEMENTS: Final = frozenset(
    {
        "ALTER", "ANALYZE", "ATTACH", "BEGIN", "CALL", "CHECKPOINT", "CLUSTER", "COMMENT", "COMMIT", "COPY",
        "CREATE", "DEALLOCATE", "DELETE", "DETACH", "DISCARD", "DO", "DROP", "END", "EXECUTE", "EXPLAIN",
        "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD", "LOCK", "MERGE", "MOVE", "NOTIFY", "PRAGMA",
        "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "REPLACE", "RESET", "REVOKE", "ROLLBACK",
        "SAVEPOINT", "SECURITY", "SET", "SHOW", "START", "TRUNCATE", "UNLISTEN", "UPDATE", "UPSERT", "VACUUM",
    }
)  # fmt: skip
_TARGETS: Final = {"sqlite": "sqlite", "postgresql": "postgres"}
#: SQLite calls the progress handler every this many virtual-machine instructions.
_PROGRESS_STEPS: Final = 1000
_WHAT: Final = (
    "one read-only SELECT (WITH ... SELECT, or SELECTs combined with UNION/INTERSECT/EXCEPT) over the "
    "context store views"
)

#: Allowed functions (sqlglot node -> the name an error message shows): ordinary scalar and aggregate
#: functions that mean the same on SQLite and PostgreSQL once transpiled.
FUNCTIONS: Final[Mapping[type[exp.Expr], str]] = {
    exp.Count: "count",
    exp.Sum: "sum",
    exp.Avg: "avg",
    exp.Min: "min",
    exp.Max: "max",
    exp.GroupConcat: "string_agg",
    exp.LogicalOr: "bool_or",
    exp.LogicalAnd: "bool_and",
    exp.RowNumber: "row_number",
    exp.Rank: "rank",
    exp.DenseRank: "dense_rank",
    exp.Lag: "lag",
    exp.Lead: "lead",
    exp.FirstValue: "first_value",
    exp.Coalesce: "coalesce",
    exp.Nullif: "nullif",
    exp.Greatest: "greatest",
    exp.Least: "least",
    exp.Case: "case",
    exp.Cast: "cast",
    exp.Lower: "lower",
    exp.Upper: "upper",
    exp.Length: "length",
    exp.Substring: "substring/substr",
    exp.Trim: "trim/ltrim/rtrim",
    exp.Replace: "replace",
    exp.StrPosition: "strpos",
    exp.Round: "round",
    exp.Abs: "abs",
    exp.Floor: "floor",
    exp.Ceil: "ceil",
    exp.Date: "date",
    exp.TimeToStr: "to_char",
    exp.TimestampTrunc: "date_trunc",
    exp.DateTrunc: "date_trunc",
    exp.CurrentDate: "current_date",
    exp.JSONExtract: "->",
    exp.JSONExtractScalar: "->>",
}
#: Functions sqlglot does not know, translated per backend.
_ANONYMOUS: Final = {"json_array_length": 1, "jsonb_array_length": 1}
#: Nodes that are part of the grammar rather than functions (And/Or/If/Exists are sqlglot "functions").
_OPERATORS: Final = (exp.And, exp.Or, exp.If, exp.Exists)
_NODES: Final = (
    exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.With, exp.CTE, exp.TableAlias,
    exp.Table, exp.From, exp.Join, exp.Where, exp.Group, exp.Having, exp.Order, exp.Ordered, exp.Limit,
    exp.Offset, exp.Distinct, exp.Column, exp.Identifier, exp.Star, exp.Literal, exp.Null, exp.Boolean,
    exp.Alias, exp.Paren, exp.Tuple, exp.Values, exp.Neg, exp.Not, exp.EQ, exp.NEQ, exp.GT, exp.GTE,
    exp.LT, exp.LTE, exp.Is, exp.In, exp.Between, exp.Like, exp.ILike, exp.Escape, exp.NullSafeEQ,
    exp.NullSafeNEQ, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe, exp.Window, exp.WindowSpec,
    exp.Filter, exp.DataType, exp.DataTypeParam, exp.JSONPath, exp.JSONPathRoot, exp.JSONPathKey,
    exp.JSONPathSubscript,
)  # fmt: skip
_CAST_TYPES: Final = {
    exp.DataType.Type.TEXT: "text",
    exp.DataType.Type.VARCHAR: "varchar",
    exp.DataType.Type.INT: "int",
    exp.DataType.Type.BIGINT: "bigint",
    exp.DataType.Type.SMALLINT: "smallint",
    exp.DataType.Type.DECIMAL: "numeric",
    exp.DataType.Type.DOUBLE: "double precision",
    exp.DataType.Type.FLOAT: "real",
    exp.DataType.Type.DATE: "date",
    exp.DataType.Type.TIMESTAMP: "timestamp",
}
_SELECT_ARGS: Final = {"with", "with_", "expressions", "distinct", "from", "from_", "joins", "where",
                       "group", "having", "order", "limit", "offset"}  # fmt: skip
_SET_ARGS: Final = {"with", "with_", "this", "expression", "distinct", "order", "limit", "offset"}
_BUCKETS: Final = ("day", "week", "month")
#: to_char format pieces that mean the same on both backends (sqlglot's strftime spelling).
_TIME_FORMAT: Final = re.compile(r"^(?:%[YmdHMS]|[-:/. T])+$")
_VIEW_TYPES: Final = {"text": "TEXT", "number": "DOUBLE", "boolean": "BOOLEAN", "json": "JSON"}


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """A checked query, already written for both backends (the connector id is bound when it runs)."""

    sql: str
    entities: tuple[str, ...]
    limit: int
    statements: Mapping[str, str]
    #: Output column names and kinds (``"json"``/``"boolean"``/None) when the analysis found them.
    columns: tuple[str, ...] | None
    kinds: tuple[str | None, ...] | None


def _fail(message: str, valid: tuple[str, ...] | list[str] = ()) -> InvalidQueryError:
    return InvalidQueryError(message, valid=list(valid), where="sql")


# --------------------------------------------------------------------------- params


def _text_param(params: Mapping[str, Any]) -> str:
    given = [key for key in ("sql", "query") if params.get(key) is not None]  # null: not given
    if len(given) > 1:
        raise _fail('Give the statement once, as "sql" ("query" is its alias).', SQL_PARAMS)
    raw = params.get(given[0]) if given else None
    if not isinstance(raw, str) or not raw.strip():
        raise _fail('params.sql is the SELECT statement to run, e.g. {"sql": "SELECT count(*) FROM jobs"}.')
    if len(raw) > MAX_SQL_CHARS:
        raise _fail(f"The SQL is {len(raw)} characters long; the limit is {MAX_SQL_CHARS}.")
    return raw


def _limit_param(raw: Any) -> int:
    if raw is None:
        return DEFAULT_ROW_CAP
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_ROW_CAP:
        raise _fail(
            f"limit is the most rows to return, a whole number from 1 to {MAX_ROW_CAP} "
            f"(default {DEFAULT_ROW_CAP}), got {raw!r}."
        )
    return raw


def parse_sql(params: Mapping[str, Any] | None) -> SqlQuery:
    """The checked query of ``{"sql": "SELECT ...", "limit": n}`` (``"query"`` is an alias of
    ``"sql"``); every problem is an :class:`InvalidQueryError` saying what is allowed."""
    if not isinstance(params, Mapping):
        raise _fail('params must be an object such as {"sql": "SELECT count(*) FROM jobs"}.', SQL_PARAMS)
    unknown = [key for key in params if key not in SQL_PARAMS]
    if unknown:
        raise _fail(
            f"Unknown params key(s) {', '.join(map(repr, unknown))}; valid: {', '.join(SQL_PARAMS)}.",
            SQL_PARAMS,
        )
    text = _text_param(params)
    limit = _limit_param(params.get("limit"))
    try:
        tree = _parse(text)
        entities = _check(tree)
        columns, kinds = _analyse(tree, entities)
        statements = {name: _write(tree, name, limit) for name in _TARGETS}
    except RecursionError:
        raise _fail("The SQL is nested too deeply; simplify it.") from None
    return SqlQuery(text, entities, limit, statements, columns, kinds)


# --------------------------------------------------------------------------- parsing and checking


def _parse(text: str) -> exp.Expr:
    # Statements that are not queries are named before parsing (sqlglot parses several of them only
    # as opaque commands); the tree check below is what enforces it.
    first = re.match(r"[\s(;]*([A-Za-z]+)", text)
    if first and first.group(1).upper() in _STATEMENTS:
        raise _fail(f"Only {_WHAT} is allowed; got {first.group(1).upper()}.", ["SELECT"])
    try:
        statements = [s for s in sqlglot.parse(text, read=INPUT_DIALECT) if s is not None]
    except SqlglotError as error:
        raise _fail(f"The SQL does not parse (PostgreSQL syntax): {_parse_message(error)}") from None
    if len(statements) != 1:
        raise _fail(
            f"Send exactly one statement, {_WHAT}; got {len(statements) or 'no'} statements.", ["SELECT"]
        )
    tree = statements[0]
    # "(SELECT ...)" alone is the SELECT; a subquery with clauses of its own is refused below.
    while isinstance(tree, exp.Subquery) and [key for key, value in tree.args.items() if value] == ["this"]:
        tree = tree.this
    if not isinstance(tree, (exp.Select, exp.Union, exp.Intersect, exp.Except)):
        raise _fail(f"Only {_WHAT} is allowed; got {_statement_name(tree)}.", ["SELECT"])
    return normalize_identifiers(tree, dialect=INPUT_DIALECT)


def _parse_message(error: SqlglotError) -> str:
    details = getattr(error, "errors", None)
    if details:
        first = details[0]
        where = f" (line {first.get('line')}, column {first.get('col')})" if first.get("line") else ""
        description = re.sub(r" for <class [^>]*>", "", str(first.get("description") or "invalid SQL"))
        return f"{description}{where} near {first.get('highlight')!r}."
    return _one_line(str(error))


def _statement_name(tree: exp.Expr) -> str:
    if isinstance(tree, exp.Command):
        return str(tree.this).upper()
    if isinstance(tree, exp.Subquery):
        return "a parenthesized query with clauses outside it (drop the outer parentheses)"
    return tree.key.upper()


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    return (text.splitlines() or [""])[0][:300]


def _query_with(node: exp.Expr) -> exp.With | None:
    found = node.args.get("with_", node.args.get("with"))
    return found if isinstance(found, exp.With) else None


def _walk(node: exp.Expr, ctes: frozenset[str], on_entity: Callable[[exp.Table, str], None]) -> None:
    """Check ``node`` and everything below it; ``on_entity(table, entity)`` for each view reference.
    ``ctes`` are the CTE names visible here (a CTE sees the ones listed before it, not itself)."""
    with_ = _query_with(node)
    if with_ is not None:
        if with_.args.get("recursive"):
            raise _fail("WITH RECURSIVE is not allowed; use plain (non-recursive) WITH.")
        visible = set(ctes)
        for cte in with_.expressions:
            name = cte.alias_or_name
            if name.startswith("store_") or name in ("sqlite_master", "pg_catalog", "information_schema"):
                raise _fail(f"The CTE name {name!r} is reserved; choose another name.")
            _walk(cte.this, frozenset(visible), on_entity)
            visible.add(name)
        ctes = frozenset(visible)
    _check_node(node)
    if isinstance(node, exp.Table):
        _check_table(node, ctes, on_entity)
        return
    for child in node.iter_expressions():
        if child is not with_:
            _walk(child, ctes, on_entity)


def _check_node(node: exp.Expr) -> None:
    if isinstance(node, (exp.Placeholder, exp.Parameter)):
        raise _fail("Bind parameters ($1, ?, :name) are not supported; write the values into the SQL.")
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name not in _ANONYMOUS:
            raise _unknown_function(name)
        if len(node.expressions) != _ANONYMOUS[name]:
            raise _fail(f"{name}() takes {_ANONYMOUS[name]} argument.")
        return
    if isinstance(node, exp.Func) and not isinstance(node, _OPERATORS):
        _check_function(node)
        return
    if isinstance(node, exp.Var):
        parent = node.parent
        if isinstance(parent, (exp.TimestampTrunc, exp.DateTrunc)) and node.arg_key == "unit":
            return
        raise _fail(f"{node.name} is not supported here; {_WHAT} is allowed.")
    if not isinstance(node, (*_NODES, *_OPERATORS)):
        raise _fail(
            f"{node.key.upper()} is not supported in {_WHAT}; use joins, WHERE, GROUP BY, ORDER BY, LIMIT, "
            "subqueries, WITH and the allowed functions."
        )
    _check_clauses(node)


def _unknown_function(name: str) -> InvalidQueryError:
    allowed = sorted({*FUNCTIONS.values(), *_ANONYMOUS})
    return _fail(f"Function {name}() is not allowed; allowed: {', '.join(allowed)}.", allowed)


def _check_function(node: exp.Func) -> None:
    if type(node) not in FUNCTIONS:
        raise _unknown_function(node.sql_name().lower())
    if isinstance(node, exp.Cast):
        target = node.to
        sized = target.this in (exp.DataType.Type.DECIMAL, exp.DataType.Type.VARCHAR)
        if target.this not in _CAST_TYPES or (target.expressions and not sized):
            raise _fail(
                f"CAST to {target.sql(INPUT_DIALECT)} is not allowed; cast to one of: "
                f"{', '.join(_CAST_TYPES.values())}.",
                list(_CAST_TYPES.values()),
            )
    elif isinstance(node, (exp.TimestampTrunc, exp.DateTrunc)):
        unit = node.text("unit").lower()
        if unit not in _BUCKETS:
            raise _fail(f"date_trunc takes 'day', 'week' or 'month', got {unit!r}.", _BUCKETS)
    elif isinstance(node, exp.TimeToStr):
        fmt = node.args.get("format")
        if not (isinstance(fmt, exp.Literal) and fmt.is_string and _TIME_FORMAT.match(fmt.this)):
            raise _fail(
                "to_char takes a literal format made of YYYY, MM, DD, HH24, MI, SS and - : / . T or space, "
                "e.g. to_char(created_at, 'YYYY-MM')."
            )
    elif isinstance(node, exp.Date) and (len(node.expressions) or node.args.get("zone")):
        raise _fail("date() takes one argument, e.g. date(created_at).")
    elif isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)) and not isinstance(
        node.expression, exp.JSONPath
    ):
        raise _fail("-> and ->> take a literal key or index, e.g. job ->> 'id' or hiring_team -> 0.")


def _check_clauses(node: exp.Expr) -> None:
    """What the walk cannot see as nodes of their own (flags, join methods, unexpected clauses), and
    nodes that are allowed in some places only."""
    allowed: set[str] | None = None
    if isinstance(node, exp.Select):
        allowed = _SELECT_ARGS
    elif isinstance(node, (exp.Union, exp.Intersect, exp.Except)):
        allowed = _SET_ARGS
    if allowed is not None:
        extra = [key for key, value in node.args.items() if value and key not in allowed]
        if extra:
            raise _fail(f"{extra[0].upper().rstrip('_')} is not supported in {_WHAT}.")
    if isinstance(node, exp.Distinct) and node.args.get("on"):
        raise _fail("DISTINCT ON is not supported; use GROUP BY, or row_number() OVER (...) in a subquery.")
    if isinstance(node, exp.Join) and (node.args.get("method") or "").upper() not in ("", "NATURAL"):
        raise _fail(f"{node.args['method']} joins are not supported.")
    if isinstance(node, exp.TableAlias) and node.columns and not isinstance(node.parent, exp.CTE):
        raise _fail(
            "Column aliases on a table (AS t(a, b)) are not supported; name the columns in a subquery."
        )
    if isinstance(node, exp.Column) and (node.args.get("db") or node.args.get("catalog")):
        raise _fail(f"Column {node.sql(INPUT_DIALECT)} names a schema; refer to columns as view.column.")
    if isinstance(node, exp.Limit) and not isinstance(
        node.expression, (exp.Literal, exp.Paren, exp.Subquery)
    ):
        raise _fail("LIMIT takes a number.")


def _check_table(node: exp.Table, ctes: frozenset[str], on_entity: Callable[[exp.Table, str], None]) -> None:
    views = list(STREAMS)
    if not isinstance(node.this, exp.Identifier):
        raise _fail(
            f"FROM takes views or CTEs, not {node.this.sql(INPUT_DIALECT)}; views: {', '.join(views)}.", views
        )
    extra = [key for key, value in node.args.items() if value and key not in ("this", "alias")]
    if node.args.get("db") or node.args.get("catalog"):
        raise _fail(
            f"Table {node.sql(INPUT_DIALECT)} names a schema; only the context store views "
            f"({', '.join(views)}) and the query's own CTEs can be read.",
            views,
        )
    if extra:
        raise _fail(f"{extra[0].upper()} is not supported on a table.")
    alias = node.args.get("alias")
    if alias is not None:
        _check_node(alias)
    name = node.name
    if name in ctes:
        return
    if name in STREAMS:
        on_entity(node, name)
        return
    raise _fail(
        f"Unknown table {name!r}: only the context store views ({', '.join(views)}) and the query's own "
        "CTEs can be read; store tables and system catalogs are not reachable.",
        views,
    )


def _check(tree: exp.Expr) -> tuple[str, ...]:
    found: dict[str, None] = {}
    _walk(tree, frozenset(), lambda _table, entity: found.setdefault(entity, None))
    return tuple(found)


# --------------------------------------------------------------------------- output columns


def _analyse(
    tree: exp.Expr, entities: tuple[str, ...]
) -> tuple[tuple[str, ...] | None, tuple[str | None, ...] | None]:
    """The output columns' names and kinds, from sqlglot's qualifier and type annotator on a copy;
    an unknown column is refused here, with the columns of the views the query reads."""
    schema: dict[str, object] = {e: {c.name: _VIEW_TYPES[c.type] for c in view_columns(e)} for e in entities}
    try:
        qualified = qualify(
            tree.copy(), schema=schema, dialect=INPUT_DIALECT, validate_qualify_columns=True,
            quote_identifiers=False, identify=False,
        )  # fmt: skip
        annotated = annotate_types(qualified, schema=schema, dialect=INPUT_DIALECT)
    except OptimizeError as error:
        message = _one_line(str(error))
        if "could not be resolved" in message or "Unknown column" in message:
            valid = [f"{e}.{c.name}" for e in entities for c in view_columns(e)]
            views = "; ".join(describe_view(e) for e in entities) or "no views"
            raise _fail(f"{message.rstrip('.')}. The views read: {views}.", valid) from None
        return None, None
    except (SqlglotError, KeyError, ValueError):
        return None, None  # the database judges, and the driver's column names are used
    if not isinstance(annotated, exp.Query):
        return None, None
    selects = annotated.selects
    names = tuple(select.alias_or_name for select in selects)
    kinds = tuple(_kind(select) for select in selects)
    return names, kinds


def _kind(select: exp.Expr) -> str | None:
    inner = select.this if isinstance(select, exp.Alias) else select
    if isinstance(inner, exp.JSONExtract):
        return "json"
    kind = select.type.this if select.type is not None else None
    if kind in (exp.DataType.Type.JSON, exp.DataType.Type.JSONB):
        return "json"
    if kind is exp.DataType.Type.BOOLEAN:
        return "boolean"
    return None


# --------------------------------------------------------------------------- writing for a backend


def _write(checked: exp.Expr, dialect_name: str, limit: int) -> str:
    """The statement for one backend, with its driver's placeholder for the connector id."""
    dialect = dialect_for(dialect_name)
    target = _TARGETS[dialect_name]
    tree = checked.copy()
    token = f"ashby_connector_{secrets.token_hex(8)}"
    tables: list[tuple[exp.Table, str]] = []
    _walk(tree, frozenset(), lambda table, entity: tables.append((table, entity)))
    for table, entity in tables:
        alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
        table.replace(exp.Subquery(this=exp.Var(this=view_sql(dialect, entity, token)), alias=alias.copy()))
    # Rewritten in place (children moved, not copied), so nested ones are rewritten too.
    for div in list(tree.find_all(exp.Div)):
        div.set("this", exp.Cast(this=div.this, to=exp.DataType.build("double")))
        div.set("expression", exp.Nullif(this=div.expression, expression=exp.Literal.number(0)))
    for fmt in list(tree.find_all(exp.TimeToStr)):
        value = fmt.this
        if not (
            isinstance(value, exp.Cast)
            and value.to.this in (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.DATE)
        ):
            fmt.set("this", exp.Cast(this=value, to=exp.DataType.build("timestamp")))
    for node in tree.find_all(exp.Anonymous):
        node.set("this", "jsonb_array_length" if target == "postgres" else "json_array_length")
    if target == "postgres":  # text out of JSON compares byte by byte, as the views' text and SQLite do
        for scalar in list(tree.find_all(exp.JSONExtractScalar)):
            collated = exp.Collate(expression=exp.to_identifier("C", quoted=True))
            scalar.replace(collated)
            collated.set("this", exp.Paren(this=scalar))
    # Inner buckets first: each is written as SQL text around its (already written) argument.
    for trunc in reversed(list(tree.find_all(exp.TimestampTrunc, exp.DateTrunc))):
        inner = _generate(trunc.this, target)
        trunc.replace(exp.Var(this=dialect.bucket(inner, trunc.text("unit").lower())))
    sql = _generate(_capped(tree, limit + 1), target)
    assert sql.count(token) == len(tables), "a view placeholder was altered"
    if target == "postgres":
        sql, placeholder = sql.replace("%", "%%"), f"%({_PARAM})s"
    else:
        placeholder = f":{_PARAM}"
    return sql.replace(token, placeholder)


def _generate(tree: exp.Expr, target: str) -> str:
    try:
        return tree.sql(dialect=target, unsupported_level=ErrorLevel.RAISE, comments=False)
    except UnsupportedError as error:
        raise _fail(
            f"{_one_line(str(error)).rstrip('.')}: this SQL cannot run on both backends; rewrite it."
        ) from None


def _capped(tree: exp.Expr, rows: int) -> exp.Expr:
    """The query with at most ``rows`` rows: its own literal LIMIT if smaller, else ``rows``."""
    limit = tree.args.get("limit")
    value = limit.expression if isinstance(limit, exp.Limit) else None
    if limit is None:
        tree.set("limit", exp.Limit(expression=exp.Literal.number(rows)))
        return tree
    if isinstance(value, exp.Literal) and value.is_int:
        tree.set("limit", exp.Limit(expression=exp.Literal.number(min(int(value.this), rows))))
        return tree
    wrapped = exp.select("*").from_(
        exp.Subquery(this=tree, alias=exp.TableAlias(this=exp.to_identifier("ashby_q")))
    )
    return wrapped.limit(rows)


def compile_sql(query: SqlQuery, dialect_name: str, connector_id: str) -> tuple[str, dict[str, Any]]:
    """The statement for ``dialect_name`` (``sqlite``/``postgresql``) and its driver parameters."""
    return query.statements[dialect_name], {_PARAM: connector_id}


# --------------------------------------------------------------------------- running


@contextmanager
def _bounded(connection: Connection, timeout: float) -> Iterator[dict[str, bool]]:
    """Read-only and stopped after ``timeout`` seconds: PostgreSQL's ``statement_timeout`` in a
    savepoint rolled back afterwards (so the caller's transaction is untouched and still usable);
    SQLite's progress handler and ``query_only``, both removed afterwards."""
    state = {"timed_out": False}
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        savepoint = connection.begin_nested()
        try:
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(timeout * 1000))}")
            connection.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
            yield state
        finally:
            savepoint.rollback()
        return
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    deadline = time.monotonic() + timeout

    def progress() -> int:
        if time.monotonic() > deadline:
            state["timed_out"] = True
            return 1
        return 0

    was_query_only = raw.execute("PRAGMA query_only").fetchone()[0]
    raw.execute("PRAGMA query_only = ON")
    raw.set_progress_handler(progress, _PROGRESS_STEPS)
    try:
        yield state
    finally:
        raw.set_progress_handler(None, 0)
        raw.execute(f"PRAGMA query_only = {'ON' if was_query_only else 'OFF'}")


def _database_error(error: DBAPIError, timeout: float, timed_out: bool, query: SqlQuery) -> InvalidQueryError:
    if timed_out or getattr(error.orig, "sqlstate", None) == "57014":
        return _fail(f"The query took longer than {timeout:g} s and was stopped; add a filter or LIMIT.")
    message = _one_line(str(error.orig)).rstrip(".")
    hint = ""
    if "column" in message and query.entities:
        hint = " The views read: " + "; ".join(describe_view(e) for e in query.entities) + "."
    return _fail(f"The query failed: {message}.{hint}")


def _number(value: Decimal | float) -> int | float:
    """SQLite says 2.0 where PostgreSQL says 2 (``numeric``): whole numbers become ints on both."""
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if finite and value == int(value) and -(2**53) < int(value) < 2**53:
        return int(value)
    return float(value)


def _plain(value: Any, kind: str | None, sqlite_values: bool) -> Any:
    if isinstance(value, (Decimal, float)):
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if sqlite_values and kind == "boolean" and isinstance(value, int) and value in (0, 1):
        return bool(value)
    if sqlite_values and kind == "json" and isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def run_sql(
    connection: Connection, connector_id: str, query: SqlQuery, *, timeout: float = TIMEOUT_S
) -> dict[str, Any]:
    """``{"data": [row, ...], "meta": {"columns", "has_more", "row_cap", "took_ms"}}`` for ``query``
    over ``connector_id``'s records; ``connection`` is a read snapshot (:meth:`ContextStore.read`)."""
    started = time.perf_counter()
    sql, params = compile_sql(query, connection.dialect.name, connector_id)
    with _bounded(connection, timeout) as state:
        try:
            result = connection.exec_driver_sql(sql, params)
            keys = list(result.keys())
            rows = result.fetchall()
        except DBAPIError as error:
            raise _database_error(error, timeout, state["timed_out"], query) from None
    names: list[str] = keys
    kinds: list[str | None] = [None] * len(keys)
    if query.columns is not None and query.kinds is not None and len(query.columns) == len(keys):
        names, kinds = list(query.columns), list(query.kinds)
    names = _unique(names)
    sqlite_values = connection.dialect.name == "sqlite"
    more = len(rows) > query.limit
    data = [
        {
            name: _plain(value, kind, sqlite_values)
            for name, kind, value in zip(names, kinds, row, strict=True)
        }
        for row in rows[: query.limit]
    ]
    took = round((time.perf_counter() - started) * 1000, 2)
    return {
        "data": data,
        "meta": {"columns": names, "has_more": more, "row_cap": query.limit, "took_ms": took},
    }
