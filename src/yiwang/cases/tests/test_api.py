"""Cases API contracts: idempotent create, submit with missing materials named, detail shape,
worklist and act (409 on a second act), progress query, 401/403."""

import io

import pytest
from pypdf import PdfWriter

from yiwang.accounts.tokens import issue_token
from yiwang.cases.models import WorkItem
from yiwang.cases.tests.test_applying import complete
from yiwang.cases.tests.test_handling import world  # noqa: F401  (fixture)
from yiwang.catalog.tests import factories
from yiwang.core.models import AuditRecord


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}


def post(client, url, data=None, **extra):
    return client.post(url, data=data or {}, content_type="application/json", **extra)


@pytest.mark.django_db
def test_apply_submit_act_progress_through_the_api(client, world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    item = factories.item("事项", department_obj=world["market"])
    me = bearer(world["citizen"])
    body = {"item_code": item.code, "form": {}, "idempotency_key": "abc"}
    first = post(client, "/api/v1/cases", body, **me)
    assert first.status_code == 201 and first.json()["status"] == "draft"
    again = post(client, "/api/v1/cases", body, **me)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    case_id = first.json()["id"]
    resp = post(client, f"/api/v1/cases/{case_id}/submit", {"declaration": True}, **me)
    assert resp.status_code == 400 and {"materials.M01", "materials.M02"} <= set(resp.json()["fields"])
    writer, buf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=100, height=100)
    writer.write(buf)
    buf.seek(0)
    buf.name = "a.pdf"
    up = client.post(f"/api/v1/cases/{case_id}/materials/M01", {"file": buf}, **me)
    assert up.status_code == 200 and up.json()["status"] == "uploaded"
    from yiwang.cases.models import Case

    complete(Case.objects.get(pk=case_id))
    resp = post(client, f"/api/v1/cases/{case_id}/submit", {"declaration": True}, **me)
    assert resp.status_code == 200, resp.content
    number, password = resp.json()["number"], resp.json()["query_password"]
    detail = client.get(f"/api/v1/cases/{case_id}", **me).json()
    for key in ("id", "number", "item_code", "status", "status_label", "due_date", "due_provisional",
                "remaining_working_days", "warning", "materials", "current_steps", "timeline"):
        assert key in detail
    assert detail["current_steps"] == [{"step": "accept", "step_label": "受理", "department_code": "approval",
                                        "role": "window_clerk"}]
    clerk = bearer(world["clerk"])
    todo = client.get("/api/v1/worklist?status=todo", **clerk).json()
    assert todo["total"] == 1 and todo["items"][0]["actions"] == ["accept", "refuse", "request_correction"]
    wid = todo["items"][0]["id"]
    resp = post(client, f"/api/v1/worklist/{wid}/act", {"action": "refuse"}, **clerk)
    assert resp.status_code == 400 and {"reason", "legal_basis"} <= set(resp.json()["fields"])
    assert post(client, f"/api/v1/worklist/{wid}/act", {"action": "accept"}, **clerk).status_code == 200
    assert post(client, f"/api/v1/worklist/{wid}/act", {"action": "accept"}, **bearer(world["clerk2"])).status_code == 409
    prog = post(client, "/api/v1/progress", {"number": number, "password": password})
    assert prog.status_code == 200 and prog.json()["status"] == "in_review"
    assert post(client, "/api/v1/progress", {"number": number, "password": "x"}).status_code == 404


@pytest.mark.django_db
def test_auth_and_scope(client, world):  # noqa: F811
    item = factories.item("事项", department_obj=world["market"])
    resp = post(client, "/api/v1/cases", {"item_code": item.code}, **bearer(world["citizen"]))
    case_id = resp.json()["id"]
    assert client.get(f"/api/v1/cases/{case_id}").status_code == 401
    from yiwang.accounts.models import User

    stranger = User.objects.create_user(username="stranger", password="x", level=2)
    assert client.get(f"/api/v1/cases/{case_id}", **bearer(stranger)).status_code == 403
    assert AuditRecord.objects.filter(action="case.access_denied", actor_label="stranger").exists()
    resp = post(client, "/api/v1/cases", {"item_code": "nope"}, **bearer(world["citizen"]))
    assert resp.status_code == 404
    assert client.get("/api/v1/worklist?status=bogus", **bearer(world["clerk"])).status_code == 400
    wi = WorkItem.objects.create(case_id=case_id, step="accept", step_label="受理", role="window_clerk",
                                 department=world["approval"])
    resp = post(client, f"/api/v1/worklist/{wi.pk}/act", {"action": "accept"}, **bearer(world["undertaker"]))
    assert resp.status_code == 403
    assert AuditRecord.objects.filter(action="case.act_denied", actor_label="und").exists()
