"""The audit statements, compiled as strings: they never carry params, results or credentials."""

from __future__ import annotations

from sqlalchemy.dialects import sqlite

from ashby_agent.service.store import audit


def test_audit_statements_never_carry_params() -> None:
    columns = {column.name for column in audit.build_record.__globals__["audit_log"].columns}
    assert not {"params", "result", "credentials"} & columns
    sql = str(audit.build_list(organization_id="o", limit=5).compile(dialect=sqlite.dialect()))
    assert "ORDER BY audit_log.id DESC" in sql
