"""Workspaces: listing with filters and cursor, get, update, delete with everything under them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ashby_agent.service import operator
from ashby_agent.service.store.db import create_service_engine
from ashby_agent.service.store.schema import connectors, workspaces
from tests.service.tenants import Tenant, assert_error


def _make_workspaces(tenant: Tenant, *names: str) -> dict[str, str]:
    ids = {}
    for name in names:
        answer = tenant.post("/account/applications/scoped-token", json={"workspace_name": name})
        assert answer.status_code == 200, answer.text
        info = tenant.get("/account/applications/scoped-token/info", token=answer.json()["token"])
        ids[name] = info.json()["workspace_id"]
    return ids


def test_list_pages_by_name_with_cursor(tenant: Tenant) -> None:
    names = [f"ws-{index:02d}" for index in range(7)]
    _make_workspaces(tenant, *reversed(names))
    seen: list[str] = []
    url: str | None = "/workspaces?limit=3"
    pages = 0
    while url is not None:
        answer = tenant.get(url)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["data"]) <= 3
        seen += [workspace["name"] for workspace in body["data"]]
        url = body["next"]
        pages += 1
    assert seen == names
    assert pages == 3
    first = tenant.get("/workspaces").json()["data"][0]
    assert set(first) == {
        "id",
        "name",
        "organization_id",
        "status",
        "cache_enabled",
        "created_at",
        "updated_at",
    }
    assert first["organization_id"] == tenant.organization_id
    assert first["status"] == "active"
    assert first["created_at"].endswith("Z")


def test_filters_name_contains_and_status(tenant: Tenant) -> None:
    ids = _make_workspaces(tenant, "Acme Corp", "acme_labs", "Globex", "100% real")
    names = lambda query: [w["name"] for w in tenant.get(f"/workspaces?{query}").json()["data"]]  # noqa: E731
    assert names("name_contains=ACME") == ["Acme Corp", "acme_labs"]
    assert names("name_contains=_") == ["acme_labs"]  # wildcards are literal
    assert names("name_contains=%25") == ["100% real"]
    updated = tenant.put(f"/workspaces/{ids['Globex']}", json={"status": "inactive", "cache_enabled": False})
    assert updated.status_code == 200, updated.text
    assert updated.json()["status"] == "inactive"
    assert updated.json()["cache_enabled"] is False
    assert names("status=inactive") == ["Globex"]
    assert "Globex" not in names("status=active")


def test_list_rejects_bad_query(tenant: Tenant) -> None:
    assert_error(tenant.get("/workspaces?limit=0"), 422)
    assert_error(tenant.get("/workspaces?limit=101"), 422)
    assert_error(tenant.get("/workspaces?limit=ten"), 422)
    assert_error(tenant.get("/workspaces?status=gone"), 422)
    body = assert_error(tenant.get("/workspaces?nmae_contains=x"), 422, "extra_forbidden")
    assert body["errors"][0]["field"] == "nmae_contains"
    assert_error(tenant.get("/workspaces?cursor=%%%"), 400, "invalid_cursor")
    assert_error(tenant.get("/workspaces?limit=1&limit=2"), 422, "repeated")


def test_get_update_and_name_conflict(tenant: Tenant) -> None:
    ids = _make_workspaces(tenant, "one", "two")
    got = tenant.get(f"/workspaces/{ids['one']}")
    assert got.status_code == 200
    assert got.json()["name"] == "one"
    renamed = tenant.put(f"/workspaces/{ids['one']}", json={"name": "uno"})
    assert renamed.json()["name"] == "uno"
    assert renamed.json()["updated_at"] >= got.json()["updated_at"]
    assert_error(tenant.put(f"/workspaces/{ids['uno' if False else 'two']}", json={"name": "uno"}), 409)
    assert_error(tenant.put(f"/workspaces/{ids['two']}", json={"status": "archived"}), 422)
    assert_error(tenant.put(f"/workspaces/{ids['two']}", json={"cache_enabled": "yes"}), 422, "bool_type")
    assert_error(tenant.get("/workspaces/00000000-0000-0000-0000-000000000000"), 404, "workspace_not_found")


def test_delete_removes_connectors_and_credentials(tenant: Tenant) -> None:
    connector = tenant.create_connector("doomed", "secret-key-doomed")
    workspace_id = connector["workspace_id"]
    assert tenant.delete(f"/workspaces/{workspace_id}").status_code == 204
    assert_error(tenant.get(f"/workspaces/{workspace_id}"), 404)
    assert_error(tenant.get(f"/integrations/connectors/{connector['id']}"), 404)
    assert tenant.get("/integrations/connectors?workspace_name=doomed").json()["data"] == []
    assert_error(tenant.delete(f"/workspaces/{workspace_id}"), 404)


def test_delete_leaves_no_rows_behind(tenant: Tenant) -> None:
    kept = tenant.create_connector("kept", "secret-key-kept")
    doomed = [tenant.create_connector("doomed-rows", f"secret-key-{n}") for n in range(2)]
    workspace_id = doomed[0]["workspace_id"]
    assert tenant.delete(f"/workspaces/{workspace_id}").status_code == 204
    engine = create_service_engine(tenant.service.settings.db_url)
    try:
        with engine.connect() as connection:
            count = select(func.count()).select_from(connectors)
            assert connection.execute(count.where(connectors.c.workspace_id == workspace_id)).scalar() == 0
            ids = [c["id"] for c in doomed]
            assert connection.execute(count.where(connectors.c.id.in_(ids))).scalar() == 0
            gone = select(func.count()).select_from(workspaces).where(workspaces.c.id == workspace_id)
            assert connection.execute(gone).scalar() == 0
            still = count.where(connectors.c.id == kept["id"])
            assert connection.execute(still).scalar() == 1  # the organization's other workspace is untouched
    finally:
        engine.dispose()


def test_inactive_workspace_does_not_execute(tenant: Tenant, shared_sandbox: Any) -> None:
    connector = tenant.create_connector("paused", shared_sandbox.api_key)
    execute = f"/integrations/connectors/{connector['id']}/execute"
    run = {"entity": "departments", "action": "list", "intent": "pause test"}
    workspace = f"/workspaces/{connector['workspace_id']}"
    assert tenant.put(workspace, json={"status": "inactive"}).status_code == 200

    body = assert_error(tenant.post(execute, json=run), 403, "workspace_inactive")
    assert "'paused' is inactive" in body["message"]
    assert '{"status": "active"}' in body["message"]  # names the fix
    scoped = tenant.post("/account/applications/scoped-token", json={"workspace_name": "paused"})
    assert_error(tenant.post(execute, json=run, token=scoped.json()["token"]), 403, "workspace_inactive")
    audit = operator.list_audit(connector_id=connector["id"], settings=tenant.service.settings)
    assert [(entry.status, entry.http_status) for entry in audit] == [("workspace_inactive", 403)] * 2

    assert tenant.put(workspace, json={"status": "active"}).status_code == 200
    assert tenant.post(execute, json=run).status_code == 200
