"""Browser tests of the catalogue pages in Chromium, at desktop width and at 375 px: the listing
with a filter, a guide, a 一件事 bundle and the home page with hot items. Every page visited is
checked by axe-core and for CSP violations (``visit``); screenshots go to
``var/screenshots/catalog-*.png`` for a human to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from yiwang.catalog.tests import factories
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": None, "375": MOBILE_VIEWPORT}


@pytest.fixture
def catalogue(db):
    return factories.sample_catalogue()


def _page(new_page, size: str):
    viewport = VIEWPORTS[size]
    return new_page(viewport=dict(viewport)) if viewport else new_page()


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_listing_with_a_filter(new_page, catalogue, size):
    page = _page(new_page, size)
    visit(page, "/services/")
    expect(page.get_by_role("heading", level=1)).to_have_text("办事服务")
    expect(page.locator(".result-count")).to_contain_text("共 5 个事项")
    panel = page.locator("details.filter-panel")
    if size == "375":  # folded by the script on a phone, so the results are in view first
        expect(panel).not_to_have_attribute("open", "")
        page.get_by_text("按条件筛选").click()
    expect(panel).to_have_attribute("open", "")
    page.get_by_label("服务对象").select_option("2")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url("**/services/?*audience=2*")
    check_a11y(page)
    expect(page.locator(".result-count")).to_contain_text("共 2 个事项")
    expect(page.locator(".item-card")).to_have_count(2)
    expect(page.locator(".item-card").first).to_contain_text("企业设立登记")  # most popular first
    expect(panel).to_have_attribute("open", "")  # a chosen filter keeps the panel open
    expect(page.get_by_text("按条件筛选（已选 1 项）")).to_be_visible()
    _no_horizontal_scroll(page)
    save_screenshot(page, f"catalog-list-{size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_guide_page(new_page, catalogue, size):
    page = _page(new_page, size)
    visit(page, f"/services/{catalogue.card.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("社会保障卡申领")
    apply = page.get_by_role("link", name="在线办理").first
    expect(apply).to_have_attribute("href", f"/cases/apply/{catalogue.card.code}/")
    # the print button is an enhancement: shown by the static script, hidden without it
    expect(page.get_by_role("button", name="打印办事指南")).to_be_visible()
    materials = page.get_by_role("table", name="申请材料清单")
    expect(materials).to_contain_text("居民身份证")
    expect(page.locator("#fees")).to_contain_text("社会保障卡工本费")
    expect(page.locator("#time")).to_contain_text("10 个工作日")
    expect(page.locator("#versions")).to_contain_text("第 1 版")
    _no_horizontal_scroll(page)
    save_screenshot(page, f"catalog-guide-{size}")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".guide-actions").first).to_be_hidden()
    if size == "desktop":
        save_screenshot(page, "catalog-guide-print")
    page.emulate_media(media="screen")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_bundle_page(new_page, catalogue, size):
    page = _page(new_page, size)
    visit(page, "/services/bundles/newborn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新生儿出生一件事")
    merged = page.get_by_role("table", name="合并后的申请材料（每项只提交一次）")
    # 居民身份证 (出生医学证明办理, 社会保障卡申领) and 监护人身份证 (same certificate type) are one row
    expect(merged.locator("tbody tr")).to_have_count(4)
    expect(page.locator(".key-facts")).to_contain_text("5 个工作日")
    _no_horizontal_scroll(page)
    save_screenshot(page, f"catalog-bundle-{size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_home_with_hot_items_and_suggestions(new_page, catalogue, size):
    page = _page(new_page, size)
    visit(page, "/")
    hot = page.locator(".hot-list li")
    expect(hot).to_have_count(5)
    expect(hot.first).to_contain_text("企业设立登记")
    expect(page.get_by_role("link", name="新生儿出生一件事")).to_be_visible()
    # suggestions while typing: a native datalist filled by the static script
    box = page.get_by_label("搜索办事服务")
    expect(box).to_have_attribute("list", "hero-q-suggestions")
    with page.expect_response("**/api/v1/catalog/suggest?q=*"):
        box.fill("社会")
    expect(page.locator("#hero-q-suggestions option")).not_to_have_count(0)
    check_a11y(page)
    _no_horizontal_scroll(page)
    save_screenshot(page, f"catalog-home-{size}")
    box.fill("社保卡")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    check_a11y(page)
    expect(page.locator(".item-card").first).to_contain_text("社会保障卡申领")
    _no_horizontal_scroll(page)
    save_screenshot(page, f"catalog-search-{size}")


def test_elder_mode_guide_and_listing(new_page, catalogue):
    page = new_page(viewport=dict(MOBILE_VIEWPORT))
    visit(page, f"/services/{catalogue.insurance.code}/")
    page.get_by_role("button", name="长者模式").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_have_class("portal elder")
    check_a11y(page)
    expect(page.locator("#form")).to_contain_text("其他关系说明")
    _no_horizontal_scroll(page)
    save_screenshot(page, "catalog-guide-elder-375")
    visit(page, "/services/")
    _no_horizontal_scroll(page)
    save_screenshot(page, "catalog-list-elder-375")


def test_pages_work_without_javascript(new_page, catalogue):
    page = new_page(java_script_enabled=False)
    visit(page, "/services/?q=社保卡", a11y=False)  # axe itself needs JavaScript
    expect(page.locator(".item-card").first).to_contain_text("社会保障卡申领")
    page.get_by_label("办件类型").select_option("1")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url("**case_type=1*")
    expect(page.locator(".result-count")).to_contain_text("共 0 个事项")
    visit(page, f"/services/{catalogue.card.code}/", a11y=False)
    expect(page.get_by_role("button", name="打印办事指南")).to_be_hidden()
    expect(page.get_by_role("link", name="在线办理").first).to_be_visible()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_entry_pages(new_page, catalogue, size):
    page = _page(new_page, size)
    for url in ("/personal/", "/enterprise/", "/themes/", "/services/themes/birth_adoption/",
                "/services/life-events/birth/", "/services/bundles/", f"/services/{catalogue.insurance.code}/"):
        visit(page, url)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        _no_horizontal_scroll(page)
    visit(page, "/personal/")
    page.get_by_role("link", name="社会保障", exact=True).click()
    page.wait_for_url("**/services/themes/social_security/")
    check_a11y(page)
    expect(page.locator(".item-card")).to_have_count(2)
    visit(page, "/personal/")
    save_screenshot(page, f"catalog-personal-{size}")
