"""The 我的消息 and 消息设置 pages (server-rendered, no JavaScript): newest first, the unread filter,
marking read, 查看 going to the message's link, read-all, the header count; channel choices and
quiet hours saved, bad input answered with a Chinese error and nothing lost, and the choices
honoured when messages are written."""

import datetime as dt
import re

import pytest

from yiwang.cases.tests.helpers import submitted_case
from yiwang.core.models import AuditRecord
from yiwang.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    Notification,
    NotificationSettings,
)
from yiwang.notifications.tests.support import contacts, drain, item, note

INBOX = "/messages/"
SETTINGS = "/messages/settings/"


def titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).replace("未读", "").strip()
            for t in re.findall(r'<h2 class="message-title">(.*?)</h2>', html, re.S)]


@pytest.fixture
def citizen_client(client, world):
    client.force_login(world["citizen"])
    return client


@pytest.mark.django_db
def test_inbox_needs_login(client):
    resp = client.get(INBOX)
    assert resp.status_code == 302 and "login" in resp["Location"]


@pytest.mark.django_db
def test_inbox_lists_newest_first_and_only_mine(citizen_client, world):
    me = world["citizen"]
    for i in range(3):
        note(me, f"第{i}条")
    note(world["clerk"], "别人的消息")
    html = citizen_client.get(INBOX).content.decode()
    assert titles(html) == ["第2条", "第1条", "第0条"]
    assert "别人的消息" not in html


@pytest.mark.django_db
def test_inbox_pages(citizen_client, world):
    me = world["citizen"]
    for i in range(25):
        note(me, f"第{i:02d}条")
    first = titles(citizen_client.get(INBOX).content.decode())
    second = titles(citizen_client.get(INBOX + "?page=2").content.decode())
    assert len(first) == 20 and first[0] == "第24条" and second == [f"第{i:02d}条" for i in range(4, -1, -1)]
    assert citizen_client.get(INBOX + "?page=abc").status_code == 200  # bad page → first page, not 500
    assert titles(citizen_client.get(INBOX + "?page=999").content.decode()) == second  # past the end → last


@pytest.mark.django_db
def test_unread_filter_and_mark_read(citizen_client, world):
    me = world["citizen"]
    old = note(me, "旧消息", read=True)
    new = note(me, "新消息")
    html = citizen_client.get(INBOX + "?show=unread").content.decode()
    assert titles(html) == ["新消息"]
    resp = citizen_client.post(f"/messages/{new.pk}/read/", {"next": INBOX + "?show=unread"})
    assert resp.status_code == 302 and resp["Location"] == INBOX + "?show=unread"
    new.refresh_from_db()
    assert new.read_at is not None
    assert titles(citizen_client.get(INBOX + "?show=unread").content.decode()) == []
    assert titles(citizen_client.get(INBOX).content.decode()) == ["新消息", "旧消息"]
    old.refresh_from_db()
    assert old.read_at is not None


@pytest.mark.django_db
def test_view_button_marks_read_and_goes_to_the_case(citizen_client, world):
    case = submitted_case(world, item(world))
    drain()
    n = Notification.objects.get(user=world["citizen"], event_name="case.submitted")
    assert n.link == f"/cases/{case.pk}/" or n.link.endswith(f"/{case.pk}/")
    html = citizen_client.get(INBOX).content.decode()
    assert f'action="/messages/{n.pk}/read/"' in html and 'name="open"' in html
    resp = citizen_client.post(f"/messages/{n.pk}/read/", {"open": "1", "next": INBOX})
    assert resp.status_code == 302 and resp["Location"] == n.link
    n.refresh_from_db()
    assert n.read_at is not None
    assert citizen_client.get(n.link).status_code == 200


@pytest.mark.django_db
def test_read_refuses_other_peoples_messages_and_outside_redirects(citizen_client, world):
    theirs = note(world["clerk"], "别人的")
    assert citizen_client.post(f"/messages/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mine = note(world["citizen"], "我的")
    resp = citizen_client.post(f"/messages/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert resp.status_code == 302 and resp["Location"] == INBOX
    assert citizen_client.get(f"/messages/{mine.pk}/read/").status_code == 405


@pytest.mark.django_db
def test_read_all_and_header_count(citizen_client, world):
    me = world["citizen"]
    for i in range(3):
        note(me, f"第{i}条")
    note(me, "读过", read=True)
    note(world["clerk"], "别人的")
    home = citizen_client.get("/").content.decode()
    assert re.search(r'<span class="badge-count"[^>]*>3</span>', home)
    assert "（3 条未读）" in home
    inbox = citizen_client.get(INBOX).content.decode()
    assert "未读（3）" in inbox and "全部标为已读" in inbox
    resp = citizen_client.post("/messages/read-all/", follow=True)
    assert resp.status_code == 200 and "已将 3 条消息标记为已读" in resp.content.decode()
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world["clerk"], read_at__isnull=True).count() == 1
    home = citizen_client.get("/").content.decode()
    assert "badge-count" not in home and "全部标为已读" not in citizen_client.get(INBOX).content.decode()


# --- 消息设置 --------------------------------------------------------------------------------------

def _form(**extra) -> dict:
    data = {"quiet_start": "", "quiet_end": "", "language": "zh-hans"}
    data.update(extra)
    return data


def _checked(html: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" checked', html))


@pytest.mark.django_db
def test_settings_page_shows_defaults(citizen_client):
    html = citizen_client.get(SETTINGS).content.decode()
    checked = _checked(html)
    assert {"case.accepted:email", "case.accepted:sms", "case.submitted:email"} <= checked
    assert "case.submitted:sms" not in checked and "case.withdrawn:email" not in checked
    assert "workitem.created:email" not in html  # staff messages only for staff


@pytest.mark.django_db
def test_settings_saves_channels_and_quiet_hours(citizen_client, world):
    me = world["citizen"]
    resp = citizen_client.post(SETTINGS, _form(**{"case.accepted:sms": "on", "case.withdrawn:email": "on"},
                                               quiet_start="22:00", quiet_end="08:00", language="en"))
    assert resp.status_code == 302 and resp["Location"] == SETTINGS
    prefs = {(p.event_name, p.channel): p.enabled for p in ChannelPreference.objects.filter(user=me)}
    assert prefs[("case.accepted", Channel.EMAIL)] is False and prefs[("case.withdrawn", Channel.EMAIL)] is True
    assert ("case.accepted", Channel.SMS) not in prefs  # same as the default: no row
    personal = NotificationSettings.objects.get(user=me)
    assert (personal.quiet_start, personal.quiet_end, personal.language) == (dt.time(22), dt.time(8), "en")
    assert AuditRecord.objects.filter(action="notification.preferences_changed").exists()
    html = citizen_client.get(SETTINGS).content.decode()
    checked = _checked(html)
    assert "case.accepted:email" not in checked and {"case.accepted:sms", "case.withdrawn:email"} <= checked
    assert 'value="22:00"' in html and 'value="08:00"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("start, end", [("22:00", ""), ("", "08:00")])
def test_settings_half_a_quiet_window_is_refused_and_ticks_kept(citizen_client, world, start, end):
    resp = citizen_client.post(SETTINGS, _form(**{"case.withdrawn:sms": "on"}, quiet_start=start, quiet_end=end))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "免打扰时段需要同时填写开始和结束时间" in html
    assert _checked(html) == {"case.withdrawn:sms"}  # what was ticked, not the saved defaults
    assert not ChannelPreference.objects.filter(user=world["citizen"]).exists()
    assert not NotificationSettings.objects.filter(user=world["citizen"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extra, message", [
    ({"quiet_start": "08:00", "quiet_end": "08:00"}, "结束时间不能与开始时间相同"),
    ({"quiet_start": "25:99", "quiet_end": "08:00"}, "时间"),
    ({"language": "klingon"}, "klingon"),
])
def test_settings_other_bad_input_is_a_form_error(citizen_client, world, extra, message):
    resp = citizen_client.post(SETTINGS, _form(**extra))
    assert resp.status_code == 200 and message in resp.content.decode()
    assert 'class="field-error"' in resp.content.decode()
    assert not NotificationSettings.objects.filter(user=world["citizen"]).exists()


@pytest.mark.django_db
def test_switched_off_email_is_not_written(citizen_client, world):
    me = contacts(world["citizen"], email="zhang@example.cn", phone="13800138000")
    everything_but = {f"{e}:{c}": "on" for e in ("case.accepted", "case.completed") for c in ("email", "sms")}
    assert citizen_client.post(SETTINGS, _form(**everything_but)).status_code == 302
    submitted_case(world, item(world))  # case.submitted: e-mail on by default, now off
    drain()
    channels = set(Delivery.objects.filter(user=me, event_name="case.submitted").values_list("channel", flat=True))
    assert channels == {Channel.INAPP}


@pytest.mark.django_db
def test_switched_on_sms_is_written(citizen_client, world):
    me = contacts(world["citizen"], email="zhang@example.cn", phone="13800138000")
    assert citizen_client.post(SETTINGS, _form(**{"case.submitted:sms": "on", "case.submitted:email": "on"})
                               ).status_code == 302
    submitted_case(world, item(world))
    drain()
    channels = set(Delivery.objects.filter(user=me, event_name="case.submitted").values_list("channel", flat=True))
    assert channels == {Channel.INAPP, Channel.EMAIL, Channel.SMS}


@pytest.mark.django_db
def test_sms_is_offered_only_where_a_provider_template_exists(client, world):
    """Staff messages have no registered SMS template: a ticked SMS box would only make dead letters."""
    from yiwang.notifications.rules import RULES, sms_template

    clerk = contacts(world["clerk"], phone="13700137000")
    client.force_login(clerk)
    html = client.get(SETTINGS).content.decode()
    for event in RULES:
        assert (f'name="{event}:sms"' in html) == bool(sms_template(event)), event
    assert 'name="workitem.created:email"' in html  # e-mail stays available
    # even a hand-made POST switching it on does not produce an SMS that can never be sent
    assert client.post(SETTINGS, _form(**{"workitem.created:sms": "on"})).status_code == 302
    submitted_case(world, item(world))
    drain()
    channels = set(Delivery.objects.filter(user=clerk, event_name="workitem.created").values_list("channel",
                                                                                                   flat=True))
    assert channels == {Channel.INAPP}
    assert not Delivery.objects.filter(status="dead").exists()
