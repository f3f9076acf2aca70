"""Browser journeys in Chromium: register → log in → profile; staff TOTP login; elder mode; English."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.roles import Role
from yiwang.accounts.tests.conftest import PASSWORD
from yiwang.accounts.tests.test_api_login import totp_now
from yiwang.testing.browser import check_a11y, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_login_profile_shows_masked_id(page, settings):
    settings.DEMO_MODE = True
    id_number = demo_id_number("19920815", "047")
    visit(page, "/accounts/register/")
    page.get_by_label("姓名").fill("孙小梅")
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("手机号").fill("13566667777")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    check_a11y(page)
    message = page.get_by_text(re.compile(r"验证码：\d{6}")).inner_text()
    code = re.search(r"(\d{6})", message).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label(re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    check_a11y(page)
    page.get_by_label("用户名 / 手机号 / 身份证号").fill("13566667777")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))
    check_a11y(page)
    masked = id_number[:6] + "********" + id_number[-4:]
    expect(page.get_by_test_id("id-number")).to_have_text(masked)
    assert id_number not in page.content()
    page.get_by_role("button", name="实名核验").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("level")).to_have_text("实名已核验")
    check_a11y(page)


def test_staff_login_with_totp(page, make_user, market):
    clerk = make_user("clerk", role=Role.WINDOW_CLERK, department=market)
    device = TOTPDevice.objects.create(user=clerk, name="验证器", confirmed=True)
    visit(page, "/accounts/login/")
    page.get_by_label("用户名 / 手机号 / 身份证号").fill("clerk")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/login/otp/"))
    check_a11y(page)
    page.get_by_label("动态口令").fill(totp_now(device))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))
    expect(page.get_by_text("已绑定动态口令")).to_be_visible()
    check_a11y(page)


def test_elder_mode_toggle_is_remembered(page):
    visit(page, "/")
    page.get_by_role("button", name="长者模式").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    check_a11y(page)
    visit(page, "/accounts/login/")
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    page.get_by_role("button", name="退出长者模式").click()
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\belder\b"))


def test_english_switch(page):
    visit(page, "/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    check_a11y(page)
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
