"""Pages of the other ways in: a proxy agent choosing whom to apply for, a 一件事 applied for
once, and a window clerk registering a walk-in applicant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import ProxyAuthorization, User
from yiwang.cases.models import Case, Channel
from yiwang.cases.tests.helpers import staff
from yiwang.cases.tests.test_channels import bundle_of
from yiwang.catalog.tests import factories
from yiwang.core.clock import today
from yiwang.core.models import AuditRecord


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def item(world):
    return factories.item("食品小作坊登记", department_obj=world["market"])


@pytest.mark.django_db
def test_proxy_agent_chooses_the_principal(world, item):
    agent = User.objects.create_user(username="agent", password="x", name="代办员", level=2)
    ProxyAuthorization.objects.create(grantor=world["citizen"], agent=agent, all_items=True, valid_from=today(),
                                      valid_until=today() + dt.timedelta(days=5))
    client = logged_in(agent)
    url = reverse("cases:apply", args=[item.code])
    page = client.get(url)
    assert page.status_code == 200 and "代 张三" in page.content.decode()
    resp = client.get(f"{url}?for={world['citizen'].pk}")
    case = Case.objects.get()
    assert resp["Location"] == reverse("cases:draft", args=[case.pk])
    assert case.applicant == world["citizen"] and case.proxy_agent == agent and case.channel == Channel.PROXY
    draft = client.get(resp["Location"]).content.decode()
    assert "您正在代 张三 申请" in draft
    assert client.get(f"{url}?for={world['citizen'].pk}")["Location"] == resp["Location"]  # resumed
    # someone who did not authorise the agent is not offered, and ?for= with them is ignored
    other = User.objects.create_user(username="li", password="x", name="李四", level=2)
    client.get(f"{url}?for={other.pk}")
    assert not Case.objects.filter(applicant=other).exists()
    # the principal sees it in their own list
    assert item.current.name in logged_in(world["citizen"]).get(reverse("cases:mine")).content.decode()


@pytest.mark.django_db
def test_bundle_page_makes_one_parent_draft(world, item):
    police = factories.department("police", name="公安局")
    other = factories.item("印章刻制备案", department_obj=police)
    bundle = bundle_of(world, item, other, lead=world["market"])
    client = logged_in(world["citizen"])
    resp = client.get(reverse("cases:bundle_apply", args=[bundle.code]))
    parent = Case.objects.get()
    assert resp["Location"] == reverse("cases:draft", args=[parent.pk]) and parent.bundle == bundle
    page = client.get(resp["Location"]).content.decode()
    assert "企业开办一件事" in page and "2 个事项" in page
    assert client.get(reverse("cases:bundle_apply", args=[bundle.code]))["Location"] == resp["Location"]
    assert client.get(reverse("cases:bundle_apply", args=["nope"])).status_code == 404
    guide = client.get(reverse("catalog:bundle", args=[bundle.code])).content.decode()
    assert f'href="/cases/bundle/{bundle.code}/"' in guide


@pytest.mark.django_db
def test_walk_in_registration_page(world, item):
    url = reverse("cases_workbench:walk_in")
    assert logged_in(world["undertaker"]).get(url).status_code == 403
    client = logged_in(world["clerk"])
    page = client.get(url).content.decode()
    assert item.current.name in page and "已当面核验" in page
    resp = client.post(url, {"item": item.code, "name": "王五", "id_number": "37081219700101123", "token": "t1"})
    body = resp.content.decode()
    assert resp.status_code == 400 and not Case.objects.exists()
    assert "已当面核验" in body and 'value="王五"' in body
    number = demo_id_number("19700101", "123")
    resp = client.post(url, {"item": item.code, "name": "王五", "id_number": number, "checked": "on",
                             "token": "t2"})
    case = Case.objects.get()
    assert resp["Location"] == reverse("cases:draft", args=[case.pk])
    assert case.channel == Channel.WINDOW and case.registered_by == world["clerk"]
    assert client.post(url, {"item": item.code, "name": "王五", "id_number": number, "checked": "on",
                             "token": "t2"}).status_code == 302
    assert Case.objects.count() == 1  # the same form sent twice
    draft = client.get(resp["Location"]).content.decode()
    assert "窗口收件" in draft and "王五" in draft
    assert AuditRecord.objects.filter(action="accounts.walk_in_person").count() == 1
    # a clerk of a unit that accepts none of the items may not register anyone
    outsider = logged_in(staff("clerk9", "window_clerk", world["market"]))
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, {"item": item.code, "name": "王五", "id_number": number, "checked": "on",
                               "token": "t3"}).status_code == 403
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_query_password_resend_page(world, item):
    from yiwang.accounts.models import DevSmsMessage
    from yiwang.cases.tests.helpers import submitted_case

    world["citizen"].phone = "13900000004"
    world["citizen"].save()
    case = submitted_case(world, item)
    client = Client()
    page = client.get(reverse("cases:progress")).content.decode()
    assert "忘记查询密码" in page and 'id="resend_number"' in page and 'id="id_number"' in page
    assert client.post(reverse("cases:progress_resend"), {}).status_code == 400
    resp = client.post(reverse("cases:progress_resend"), {"number": case.number})
    assert resp.status_code == 200 and "查询密码已通过短信发送" in resp.content.decode()
    assert case.query_password in DevSmsMessage.objects.get().text
    unknown = client.post(reverse("cases:progress_resend"), {"number": "99999999999999999999"})
    assert "查询密码已通过短信发送" in unknown.content.decode() and DevSmsMessage.objects.count() == 1


@pytest.mark.django_db
def test_steps_are_stored_in_chinese_and_shown_in_the_viewers_language(world, item, settings):
    from django.utils import translation

    from yiwang.cases import handling
    from yiwang.cases.tests.helpers import open_item, submitted_case

    case = submitted_case(world, item)
    with translation.override("en"):  # the clerk's screen is in English
        handling.act(world["clerk"], open_item(case, "accept"), "accept")
    assert list(case.timeline.values_list("step", flat=True))[:2] == ["申报", "受理"]
    client = logged_in(world["citizen"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Acceptance" in page and "Submission" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "受理" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
