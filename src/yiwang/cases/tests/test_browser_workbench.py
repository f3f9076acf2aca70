"""Browser journeys of the staff workbench in Chromium: a clerk logs in, opens the worklist and a
submitted case and accepts it; the undertaker then finds the 承办 item. Every page is checked by
axe-core and for CSP violations (``visit``); screenshots of the worklist, the case page and the
电子监察 board at desktop width and at 375 px go to ``var/screenshots/cases-workbench-*.png``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.cases import applying, handling
from yiwang.cases.models import Case
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import make_world, open_item, submitted_case
from yiwang.cases.tests.test_applying import complete
from yiwang.cases.tests.test_views_workbench import pdf_bytes
from yiwang.catalog.tests import factories
from yiwang.core.clock import today
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng!Passw0rd"
VIEWPORTS = {"desktop": None, "375": MOBILE_VIEWPORT}


@pytest.fixture
def world(db):
    world = make_world()
    for key in ("clerk", "undertaker"):
        world[key].set_password(PASSWORD)
        world[key].save()
    world["item"] = factories.item("食品小作坊登记", department_obj=world["market"])
    return world


def login(page, username: str) -> None:
    visit(page, "/accounts/login/?next=/workbench/cases/")
    page.get_by_label("用户名 / 手机号 / 身份证号").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/cases/$"))


def _page(new_page, size: str):
    viewport = VIEWPORTS[size]
    return new_page(viewport=dict(viewport)) if viewport else new_page()


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        print(page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 30)"""))
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_clerk_accepts_and_the_undertaker_gets_the_item(new_page, world):
    case = submitted_case(world, world["item"])
    page = new_page()
    login(page, "clerk")
    check_a11y(page)
    row = page.locator("tr", has_text=case.number)
    expect(row).to_contain_text("受理")
    expect(row).to_contain_text("张*")
    row.get_by_role("button", name=re.compile("签收")).click()
    page.wait_for_load_state()
    expect(page.get_by_text("已签收“受理”")).to_be_visible()
    expect(page.locator("tr", has_text=case.number)).to_contain_text("本人")
    check_a11y(page)
    page.get_by_role("link", name=case.number, exact=True).click()
    page.wait_for_url(re.compile(rf"/workbench/cases/{case.pk}/$"))
    check_a11y(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"办件 {case.number}")
    expect(page.locator(".process-current")).to_contain_text("受理")
    page.get_by_label("办理意见").first.fill("材料齐全，予以受理")
    page.get_by_role("button", name="受理", exact=True).click()
    page.wait_for_url(re.compile(rf"/workbench/cases/{case.pk}/$"))
    expect(page.get_by_text("“受理”已办理：受理。")).to_be_visible()
    expect(page.locator(".timeline-table")).to_contain_text("材料齐全，予以受理")
    expect(page.locator(".process-current")).to_contain_text("承办")
    check_a11y(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    other = new_page()
    login(other, "und")
    row = other.locator("tr", has_text=case.number)
    expect(row).to_contain_text("承办")
    row.get_by_role("link", name=re.compile("办理")).click()
    other.wait_for_url(re.compile(rf"/workbench/cases/{case.pk}/$"))
    check_a11y(other)
    expect(other.get_by_role("button", name="通过，转下一环节")).to_be_visible()


def _busy_county(world):
    """A new case with an uploaded material, and accepted ones in red, yellow and normal."""
    item = world["item"]
    draft, _ = applying.create_draft(world["citizen"], item.code)
    complete(draft)
    applying.attach_material(world["citizen"], draft, "M01", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    new = applying.submit(world["citizen"], Case.objects.get(pk=draft.pk), declaration=True)
    day = today()
    for offset, status in ((-4, CaseStatus.IN_REVIEW), (1, CaseStatus.IN_REVIEW), (20, CaseStatus.IN_REVIEW),
                           (-2, CaseStatus.IN_REVIEW)):
        c = submitted_case(world, item)
        handling.act(world["clerk"], open_item(c, "accept"), "accept")
        Case.objects.filter(pk=c.pk).update(due_date=day + dt.timedelta(days=offset), status=status)
    supervisor = User.objects.create_user(username="sup", password=PASSWORD, name="监察员")
    assign_role(supervisor, Role.SUPERVISOR, region=world["market"].region)
    return new


@pytest.mark.parametrize("size", VIEWPORTS)
def test_worklist_case_and_board_screens(new_page, world, size, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    new = _busy_county(world)
    page = _page(new_page, size)
    login(page, "clerk")
    check_a11y(page)
    _no_horizontal_scroll(page)
    save_screenshot(page, f"cases-workbench-worklist-clerk-{size}")

    visit(page, f"/workbench/cases/{new.pk}/")
    download = page.get_by_role("link", name=re.compile("下载.*申请书"))
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == f"{new.number}-申请书.pdf"
    # a refusal without a reason: the server's field errors (the browser's own check is skipped
    # here to show what a script-free or old browser gets)
    page.locator("details", has_text="不予受理").locator("summary").click()
    form = page.locator("details", has_text="不予受理").locator("form")
    form.evaluate("f => f.noValidate = true")
    form.get_by_role("button", name="不予受理").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_contain_text("请填写不予受理理由")
    check_a11y(page)
    _no_horizontal_scroll(page)
    save_screenshot(page, f"cases-workbench-case-errors-{size}")

    und = _page(new_page, size)
    login(und, "und")
    _no_horizontal_scroll(und)
    save_screenshot(und, f"cases-workbench-worklist-undertaker-{size}")
    und.locator("tbody tr").first.get_by_role("link", name=re.compile("办理")).click()
    und.wait_for_load_state()
    check_a11y(und)
    _no_horizontal_scroll(und)
    save_screenshot(und, f"cases-workbench-case-{size}")

    sup = _page(new_page, size)
    visit(sup, "/accounts/login/?next=/workbench/cases/board/")
    sup.get_by_label("用户名 / 手机号 / 身份证号").fill("sup")
    sup.get_by_label("密码", exact=True).fill(PASSWORD)
    sup.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    sup.wait_for_url(re.compile(r"/workbench/cases/board/$"))
    check_a11y(sup)
    expect(sup.get_by_test_id("total-overdue")).to_have_text("2")
    expect(sup.get_by_test_id("total-warning")).to_have_text("1")
    _no_horizontal_scroll(sup)
    save_screenshot(sup, f"cases-workbench-board-{size}")
