"""我的消息 in Chromium, with a worker running beside the live server (as under ``make run``):
citizen1 submits a 承诺件 and within seconds finds the 申报回执 in the inbox, with the unread count
in the header; 查看 opens the case; the window clerk finds the new 待办; 消息设置 saves quiet hours.
axe-checked; screenshots at desktop width and at 375 px in elder mode."""

from __future__ import annotations

import re
import threading
import time

import pytest
from playwright.sync_api import expect

from yiwang.cases.models import Case, DeliveryMethod
from yiwang.cases.tests.browser_helpers import (
    answers,
    choose_files,
    fill_form,
    load_demo,
    login,
    user,
    wait_for,
)
from yiwang.catalog.models import ServiceItem
from yiwang.core.worker import Worker
from yiwang.notifications.models import NotificationSettings
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMISED = "11370812MB2291497U4000111003001"  # a 承诺件 of the demo catalogue


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def worker(settings):
    """``yiwang worker``'s loop in a thread of the test process (same database as the live server)."""
    settings.YIWANG_WORKER_IDLE_SECONDS = 0.2
    w = Worker("browser-test-worker")
    thread = threading.Thread(target=w.run, kwargs={"handle_signals": False}, daemon=True)
    thread.start()
    yield w
    w.stop()
    thread.join(10)


def _until_listed(page, text: str, timeout: float = 15) -> None:
    """Reload the inbox until ``text`` shows (the worker is asynchronous: 'within seconds')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        visit(page, "/messages/", a11y=False)
        if page.locator(".message-title", has_text=text).count():
            return
        time.sleep(0.5)
    raise AssertionError(f"收件箱中没有出现：{text}")


def test_citizen_sees_the_receipt_within_seconds(media, worker, new_page):
    load_demo(items=(PROMISED,))
    version = ServiceItem.objects.select_related("current").get(code=PROMISED).current
    citizen = new_page()
    login(citizen, "citizen1", f"/cases/apply/{PROMISED}/")
    wait_for(citizen, r"/cases/\d+/edit/$")
    fill_form(citizen, version.form_schema, version.form_ui,
              answers(version.form_schema, version.form_ui, applicant=user("citizen1"),
                      choose={"delivery_method": DeliveryMethod.WINDOW.value}))
    choose_files(citizen)
    citizen.get_by_label("我已阅读并作出以上承诺").check()
    citizen.get_by_role("button", name="提交申请").click()
    wait_for(citizen, r"/cases/\d+/receipt/$")
    number = citizen.get_by_test_id("case-number").inner_text().strip()
    case = Case.objects.get(number=number)

    submitted = time.monotonic()
    _until_listed(citizen, number)
    waited = time.monotonic() - submitted
    assert waited < 15
    check_a11y(citizen)
    receipt = citizen.locator(".message", has_text=number).first
    expect(receipt).to_contain_text("申报回执")
    expect(receipt).to_contain_text("未读")
    expect(citizen.locator(".account-tools")).to_contain_text(re.compile(r"消息\s*\d+"))
    save_screenshot(citizen, "notifications-inbox")

    receipt.get_by_role("button", name=re.compile("^查看")).click()
    wait_for(citizen, rf"/cases/{case.pk}/$")
    visit(citizen, "/messages/?show=unread")
    expect(citizen.locator(".message", has_text=f"申报回执：{number}")).to_have_count(0)

    # 消息设置: quiet hours and channels, then back to the inbox on a phone in elder mode
    visit(citizen, "/messages/settings/")
    citizen.get_by_label("免打扰开始").fill("22:00")
    citizen.get_by_label("免打扰结束").fill("07:30")
    citizen.get_by_label("审批决定：邮件").uncheck()
    citizen.get_by_role("button", name="保存设置").click()
    expect(citizen.get_by_text("消息设置已保存。")).to_be_visible()
    check_a11y(citizen)
    saved = NotificationSettings.objects.get(user__username="citizen1")
    assert (saved.quiet_start.strftime("%H:%M"), saved.quiet_end.strftime("%H:%M")) == ("22:00", "07:30")
    expect(citizen.get_by_label("审批决定：邮件")).not_to_be_checked()

    phone = new_page(viewport=MOBILE_VIEWPORT)
    login(phone, "citizen1", "/messages/")
    phone.get_by_role("button", name="长者模式").click()
    phone.wait_for_load_state()
    check_a11y(phone)
    save_screenshot(phone, "notifications-inbox-mobile-elder")

    # the window clerk of the accepting unit has the new 待办 in their inbox
    clerk = new_page()
    login(clerk, "window1", "/messages/")
    _until_listed(clerk, number)
    expect(clerk.locator(".message", has_text=number).first).to_contain_text("新的待办")
    check_a11y(clerk)
