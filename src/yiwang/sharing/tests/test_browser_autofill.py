"""Issue 8 Done-when, in Chromium on the demo data: citizen1 applies for 最低生活保障审核确认,
whose form takes 户籍地址 (公安 人口基本信息, 有条件: the civil affairs bureau holds a grant) and
婚姻状况 (民政 婚姻登记信息, 无条件) from shared data. Both appear read-only with their source, the
户口簿 (户籍信息) material is not asked for, and after submitting, 我的数据使用记录 lists both
reads with the purpose and the case number. The window clerk sees where each answer came from."""

import re

import pytest
from playwright.sync_api import expect

from yiwang.cases.models import Case, CaseMaterial
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
from yiwang.sharing.demo import load_demo_sharing
from yiwang.sharing.models import Resource
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIBAO = "11370812MB188355444000106002001"  # 最低生活保障审核确认 (民政局)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_citizen_applies_with_shared_data_and_sees_both_reads(media, new_page):
    load_demo(items=(DIBAO,))
    load_demo_sharing()
    version = ServiceItem.objects.select_related("current").get(code=DIBAO).current
    citizen = user("citizen1")

    page = new_page()
    login(page, "citizen1", f"/cases/apply/{DIBAO}/")
    wait_for(page, r"/cases/\d+/edit/$")
    check_a11y(page)
    case = Case.objects.get(pk=int(re.search(r"/cases/(\d+)/", page.url).group(1)))

    address, marital = page.locator("#f-household_address"), page.locator("#f-marital_status")
    expect(address).to_have_value("山东省济宁市兖州区鼓楼街道建设东路18号")
    expect(marital).to_have_value("已婚")
    for box in (address, marital):
        expect(box).to_have_attribute("readonly", "")
    police = Resource.objects.select_related("provider").get(code="GA-HJRK").provider.name
    expect(page.locator("#f-household_address-source")).to_contain_text(f"数据共享：{police}人口基本信息")
    expect(page.locator("#f-marital_status-source")).to_contain_text("数据共享：")
    expect(page.locator("#f-marital_status-source")).to_contain_text("婚姻登记信息")
    # 户籍信息（居民户口簿）: fetched, no upload slot
    hukou = case.materials.get(name__contains="户籍信息")
    assert hukou.status == CaseMaterial.Status.AUTO
    slot = page.locator(f"#slot-{hukou.material_code}")
    expect(slot).to_contain_text("已自动获取")
    expect(slot.locator('input[type="file"]')).to_have_count(0)
    save_screenshot(page, "sharing-autofill-draft")

    # married (shared 已婚): the spouse fields are asked; everything else typed as usual
    data = answers(version.form_schema, version.form_ui, applicant=citizen,
                   choose={"marital_status": "20", "household_address": "山东省济宁市兖州区鼓楼街道建设东路18号",
                           "spouse_name": "李梅", "spouse_id_number": user("citizen2").id_number})
    data = {k: v for k, v in data.items() if k not in ("household_address", "marital_status")}
    fill_form(page, version.form_schema, version.form_ui, data)
    assert choose_files(page) >= 1
    page.get_by_label("我已阅读并作出以上承诺").check()
    page.get_by_role("button", name="提交申请").click()
    wait_for(page, r"/cases/\d+/receipt/$")
    check_a11y(page)
    number = page.get_by_test_id("case-number").inner_text().strip()
    case.refresh_from_db()
    assert case.number == number and case.form_data["marital_status"] == "20"
    assert case.form_data["household_address"] == "山东省济宁市兖州区鼓楼街道建设东路18号"

    for screen in (page, new_page(viewport=MOBILE_VIEWPORT)):
        if screen is not page:
            login(screen, "citizen1", "/sharing/my-records/")
        else:
            visit(screen, "/sharing/my-records/")
        rows = screen.locator("tbody tr", has_text=number)
        # the two fields, and the one item read to confirm the 户籍信息 material
        expect(rows).to_have_count(3)
        for resource, item in (("人口基本信息", "户籍地址"), ("婚姻登记信息", "婚姻状况")):
            row = rows.filter(has_text=resource).filter(has_text=item)
            expect(row).to_have_count(1)
            expect(row).to_contain_text("办理“最低生活保障审核确认”")
            expect(row).to_contain_text("民政局")
        check_a11y(screen)
    save_screenshot(screen, "sharing-my-records-mobile")

    # the window clerk sees the provenance of every answer
    clerk = new_page()
    login(clerk, "window1", f"/workbench/cases/{case.pk}/")
    check_a11y(clerk)
    values = clerk.locator(".form-values")
    expect(values).to_contain_text(f"来源：数据共享：{police}人口基本信息")
    expect(values).to_contain_text("来源：申请人填写")
