"""Workspaces: listing with filters and cursor, get, update, delete with everything under them."""

from __future__ import annotations

from tenants import Tenant, assert_error


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
