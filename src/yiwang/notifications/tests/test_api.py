"""Notifications API: the inbox envelope, newest first, pages, 401, marking read (someone else's
message is 'not found', never 'forbidden'), read-all."""

import pytest

from yiwang.cases.tests.helpers import submitted_case
from yiwang.notifications.models import Notification
from yiwang.notifications.tests.support import bearer, drain, item, note

URL = "/api/v1/notifications"


def post(client, url, **extra):
    return client.post(url, data={}, content_type="application/json", **extra)


@pytest.mark.django_db
def test_inbox_shape_from_a_real_receipt(client, world):
    case = submitted_case(world, item(world))
    drain()
    body = client.get(URL, **bearer(world["citizen"])).json()
    assert set(body) == {"items", "unread", "total", "page", "page_size"}
    assert (body["total"], body["unread"], body["page"], body["page_size"]) == (1, 1, 1, 20)
    (row,) = body["items"]
    assert {"id", "event", "title", "body", "case_number", "read", "created_at"} <= set(row)
    assert row["event"] == "case.submitted" and row["case_number"] == case.number
    assert case.number in row["title"] and row["read"] is False
    assert row["created_at"].endswith("+08:00")
    assert row["id"] == Notification.objects.get(user=world["citizen"]).pk


@pytest.mark.django_db
def test_newest_first_and_pages(client, world):
    me = world["citizen"]
    made = [note(me, f"第{i}条") for i in range(25)]
    note(world["clerk"], "别人的")
    first = client.get(f"{URL}?page_size=10", **bearer(me)).json()
    assert first["total"] == 25 and first["unread"] == 25 and first["page_size"] == 10
    assert [r["id"] for r in first["items"]] == [n.pk for n in reversed(made)][:10]
    last = client.get(f"{URL}?page=3&page_size=10", **bearer(me)).json()
    assert [r["title"] for r in last["items"]] == [f"第{i}条" for i in range(4, -1, -1)]
    everything = [r["id"] for p in (1, 2, 3) for r in client.get(f"{URL}?page={p}&page_size=10", **bearer(me))
                  .json()["items"]]
    assert everything == sorted(everything, reverse=True) and len(set(everything)) == 25


@pytest.mark.django_db
def test_unread_filter(client, world):
    me = world["citizen"]
    note(me, "已读", read=True)
    fresh = note(me, "未读")
    body = client.get(f"{URL}?unread=true", **bearer(me)).json()
    assert [r["id"] for r in body["items"]] == [fresh.pk] and body["total"] == 1 and body["unread"] == 1


@pytest.mark.django_db
def test_login_required(client, world):
    assert client.get(URL).status_code == 401
    n = note(world["citizen"])
    assert post(client, f"{URL}/{n.pk}/read").status_code == 401
    assert post(client, f"{URL}/read-all").status_code == 401
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.django_db
def test_mark_read_lowers_unread(client, world):
    me = world["citizen"]
    a, b = note(me, "甲"), note(me, "乙")
    resp = post(client, f"{URL}/{a.pk}/read", **bearer(me))
    assert resp.status_code == 200
    assert resp.json()["read"] is True and resp.json()["unread"] == 1 and resp.json()["id"] == a.pk
    again = post(client, f"{URL}/{a.pk}/read", **bearer(me))  # idempotent
    assert again.status_code == 200 and again.json()["unread"] == 1
    listing = client.get(URL, **bearer(me)).json()
    assert listing["unread"] == 1
    assert {r["id"]: r["read"] for r in listing["items"]} == {a.pk: True, b.pk: False}


@pytest.mark.django_db
def test_someone_elses_message_is_not_found(client, world):
    theirs = note(world["clerk"], "别人的")
    resp = post(client, f"{URL}/{theirs.pk}/read", **bearer(world["citizen"]))
    assert resp.status_code == 404
    assert post(client, f"{URL}/999999/read", **bearer(world["citizen"])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_read_all_only_touches_my_messages(client, world):
    me = world["citizen"]
    for i in range(3):
        note(me, f"第{i}条")
    theirs = note(world["clerk"], "别人的")
    resp = post(client, f"{URL}/read-all", **bearer(me))
    assert resp.status_code == 200 and resp.json() == {"marked": 3, "unread": 0}
    assert client.get(URL, **bearer(me)).json()["unread"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_bad_page_parameters_are_clamped_or_refused(client, world):
    me = world["citizen"]
    note(me)
    resp = client.get(f"{URL}?page_size=1000", **bearer(me))
    assert resp.status_code == 200 and resp.json()["page_size"] <= 100
    assert client.get(f"{URL}?page=abc", **bearer(me)).status_code in (400, 422)


@pytest.mark.django_db
def test_unknown_token_is_refused(client, world):
    note(world["citizen"])
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
