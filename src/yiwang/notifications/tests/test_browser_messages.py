"""The messages pages in Chromium at desktop width and at 375 px: a citizen's inbox (unread count in
the header, 查看 to the case), the settings page with a refused half quiet window, and the 死信
list for a platform admin. Every page is checked by axe-core and for CSP violations (``visit``);
screenshots go to ``var/screenshots/notifications-*.png``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from yiwang.cases.tests.helpers import submitted_case
from yiwang.catalog.tests import factories
from yiwang.notifications.tests.support import contacts, drain, item, note
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng!Passw0rd"
VIEWPORTS = {"desktop": None, "375": MOBILE_VIEWPORT}


def _page(new_page, size: str):
    viewport = VIEWPORTS[size]
    return new_page(viewport=dict(viewport)) if viewport else new_page()


def _login(page, user, next_url: str) -> None:
    user.set_password(PASSWORD)
    user.save()
    visit(page, f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名 / 手机号 / 身份证号").fill(user.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.wait_for_load_state()


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_inbox_and_settings(new_page, world, size):
    me = contacts(world["citizen"], email="zhang@example.cn", phone="13800138000")
    note(me, "较早的已读消息", read=True)
    case = submitted_case(world, item(world))
    drain()
    page = _page(new_page, size)
    _login(page, me, "/messages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的消息")
    expect(page.locator(".badge-count")).to_have_text("1")
    first = page.locator(".message-list li").first
    expect(first).to_contain_text(case.number)
    expect(first.locator(".tag-new")).to_be_visible()
    _no_horizontal_scroll(page)
    save_screenshot(page, f"notifications-inbox-{size}")
    first.get_by_role("button", name=re.compile("^查看")).click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator(".badge-count")).to_have_count(0)

    visit(page, "/messages/settings/")
    page.get_by_label("免打扰开始").fill("22:00")
    page.get_by_label("受理通知：短信", exact=True).uncheck()
    page.get_by_role("button", name="保存设置").click()
    page.wait_for_load_state()
    check_a11y(page)
    expect(page.get_by_role("alert")).to_contain_text("免打扰时段需要同时填写开始和结束时间")
    expect(page.get_by_label("受理通知：短信", exact=True)).not_to_be_checked()  # what was ticked is kept
    expect(page.get_by_label("受理通知：邮件", exact=True)).to_be_checked()
    _no_horizontal_scroll(page)
    save_screenshot(page, f"notifications-settings-error-{size}")
    page.get_by_label("免打扰结束").fill("08:00")
    page.get_by_role("button", name="保存设置").click()
    page.wait_for_load_state()
    check_a11y(page)
    expect(page.get_by_text("消息设置已保存。")).to_be_visible()
    expect(page.get_by_label("受理通知：短信", exact=True)).not_to_be_checked()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_dead_letters_for_an_admin(new_page, world, size):
    me = contacts(world["citizen"], email="not-an-address")
    submitted_case(world, item(world))
    drain()
    admin = factories.platform_admin()
    page = _page(new_page, size)
    _login(page, admin, "/workbench/dead-letters/")
    expect(page.locator(".data-table")).to_contain_text("邮箱地址无效")
    page.get_by_label("渠道").select_option("email")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"channel=email"))
    check_a11y(page)
    _no_horizontal_scroll(page)
    save_screenshot(page, f"notifications-dead-letters-{size}")
    page.locator(".data-table a").first.click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_label("改用新的接收地址（可不填）").fill("zhang@example.cn")
    page.get_by_role("button", name="重新发送").click()
    page.wait_for_load_state()
    expect(page.get_by_text("请勾选确认后再重新发送。")).to_be_visible()
    page.get_by_label("我已核实，确认重新发送").check()
    page.get_by_role("button", name="重新发送").click()
    page.wait_for_url(re.compile(r"/workbench/dead-letters/$"))
    expect(page.get_by_text(re.compile("已重新发送，新的投递记录"))).to_be_visible()
    assert me.deliveries.filter(resent_from__isnull=False, recipient_masked="z***@example.cn").exists()
