"""Cases API contracts: idempotent create, submit with missing materials named, detail shape,
worklist and act (409 on a second act), progress query, 401/403."""

import io

import pytest
from pypdf import PdfWriter

from yiwang.accounts.tokens import issue_token
from yiwang.cases.models import WorkItem
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.tests import factories
from yiwang.core.models import AuditRecord


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}


def post(client, url, data=None, **extra):
    return client.post(url, data=data or {}, content_type="application/json", **extra)


@pytest.mark.django_db
def test_apply_submit_act_progress_through_the_api(client, world, settings, tmp_path):
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
def test_auth_and_scope(client, world):
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


@pytest.mark.django_db
def test_walk_in_proxy_resend_and_special_actions_through_the_api(client, world):
    import datetime as dt

    from yiwang.accounts.demo import demo_id_number
    from yiwang.accounts.models import DevSmsMessage, ProxyAuthorization, User
    from yiwang.core.clock import today

    item = factories.item("事项", department_obj=world["market"])
    # 窗口收件: field errors name each bad field; a clerk of another unit gets 403
    resp = post(client, "/api/v1/cases/walk-in", {"item_code": item.code, "name": "王五", "id_number": "1"},
                **bearer(world["clerk"]))
    assert resp.status_code == 400 and "id_number" in resp.json()["fields"]
    body = {"item_code": item.code, "name": "王五", "id_number": demo_id_number("19700101", "123"),
            "phone": "13700000002", "idempotency_key": "w-9"}
    assert post(client, "/api/v1/cases/walk-in", body, **bearer(world["undertaker"])).status_code == 403
    resp = post(client, "/api/v1/cases/walk-in", body, **bearer(world["clerk"]))
    assert resp.status_code == 201 and resp.json()["channel"] == "window"
    assert post(client, "/api/v1/cases/walk-in", body, **bearer(world["clerk"])).status_code == 200
    # 帮办代办: the agent lists principals, then applies for one
    agent = User.objects.create_user(username="agent", password="x", name="代办员", level=2)
    world["citizen"].id_number = demo_id_number("19880512", "001")
    world["citizen"].save()
    ProxyAuthorization.objects.create(grantor=world["citizen"], agent=agent, all_items=True,
                                      valid_from=today(), valid_until=today() + dt.timedelta(days=3))
    principals = client.get("/api/v1/proxy/principals", **bearer(agent)).json()["items"]
    assert [p["user_id"] for p in principals] == [world["citizen"].pk]
    assert principals[0]["id_number"] == "370812********0018"
    resp = post(client, "/api/v1/cases", {"item_code": item.code, "on_behalf_of": world["citizen"].pk},
                **bearer(agent))
    assert resp.status_code == 201 and resp.json()["proxy_agent"] == "代办员"
    case_id = resp.json()["id"]
    assert client.get(f"/api/v1/cases/{case_id}", **bearer(world["citizen"])).status_code == 200
    assert post(client, "/api/v1/cases", {"item_code": item.code, "on_behalf_of": agent.pk},
                **bearer(world["citizen"])).status_code == 403
    # submit as the agent, accept, then a special procedure through the act endpoint
    from yiwang.cases.models import Case

    complete(Case.objects.get(pk=case_id))
    sub = post(client, f"/api/v1/cases/{case_id}/submit", {"declaration": True}, **bearer(agent)).json()
    accept = WorkItem.objects.get(case_id=case_id, step="accept")
    post(client, f"/api/v1/worklist/{accept.pk}/act", {"action": "accept"}, **bearer(world["clerk"]))
    und = WorkItem.objects.get(case_id=case_id, step="undertake")
    resp = post(client, f"/api/v1/worklist/{und.pk}/act", {"action": "start_special", "kind": "hearing"},
                **bearer(world["undertaker"]))
    assert resp.status_code == 200 and resp.json()["status"] == "suspended"
    assert resp.json()["pauses"][0]["kind"] == "hearing"
    items = client.get("/api/v1/worklist", **bearer(world["undertaker"])).json()["items"]
    assert [i["actions"] for i in items if i["id"] == und.pk] == [["end_special"]]
    resp = post(client, f"/api/v1/worklist/{und.pk}/act", {"action": "end_special", "result": "听证完毕"},
                **bearer(world["undertaker"]))
    assert resp.json()["status"] == "in_review"
    # a lost query password goes to the applicant's phone on record
    world["citizen"].phone = "13900000003"
    world["citizen"].save()
    resp = post(client, "/api/v1/progress/resend", {"number": sub["number"]})
    assert resp.status_code == 200 and DevSmsMessage.objects.get().phone == "13900000003"
    assert post(client, "/api/v1/progress/resend", {"number": "nope"}).json() == resp.json()


@pytest.mark.django_db
def test_worklist_page_costs_the_same_queries_for_3_and_12_rows(client, world):
    """Due dates and remaining working days of every row come from one calendar session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.cases import handling
    from yiwang.cases.tests.helpers import open_item, submitted_case

    item = factories.item("事项", department_obj=world["market"])
    headers = bearer(world["undertaker"])

    def add(n):
        for _ in range(n):
            case = submitted_case(world, item)
            handling.act(world["clerk"], open_item(case, "accept"), "accept")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/worklist", **headers).json()
        assert all(i["due_date"] for i in body["items"])
        return len(ctx), len(body["items"])

    add(3)
    count()  # warm-up: the first request also records the token's first use
    few, rows = count()
    add(9)
    assert rows == 3 and count() == (few, 12)
