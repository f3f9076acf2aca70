"""Issue 8 Done-when in Chromium: the market department's data steward requests a 有条件 item of
人口基本信息, the police steward sees it with its reply date and approves it after a confirmation;
the market department can then read exactly that item, and a read beyond it is refused and logged.
Every page is axe-checked; the police steward works on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from yiwang.cases.tests.browser_helpers import load_demo, login, user, wait_for
from yiwang.org.models import Department
from yiwang.sharing import exchange
from yiwang.sharing.demo import load_demo_sharing
from yiwang.sharing.models import AccessRecord, Grant, Resource
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PURPOSE = "食品经营许可：核验经营者性别（浏览器测试）"


def test_conditional_request_approved_then_read_exactly_the_granted_items(new_page):
    load_demo()
    load_demo_sharing()
    market = Department.objects.get(code="market")

    # the consumer's steward asks for 性别
    asker = new_page()
    login(asker, "market-steward", "/sharing/grants/")
    check_a11y(asker)
    asker.get_by_label("共享资源", exact=True).select_option("GA-HJRK")
    asker.get_by_role("button", name="下一步：选择数据项").click()
    wait_for(asker, r"/sharing/grants/new/\?resource=GA-HJRK")
    check_a11y(asker)
    asker.get_by_label("性别").check()
    asker.get_by_label("用途").fill(PURPOSE)
    asker.get_by_label("依据").fill("《食品经营许可和备案管理办法》第十一条")
    asker.get_by_label("使用期限（天）").fill("180")
    asker.get_by_role("button", name="提交申请").click()
    wait_for(asker, r"/sharing/grants/\?view=sent")
    expect(asker.get_by_role("status").filter(has_text="已提交申请")).to_be_visible()
    mine = asker.locator("tbody tr").filter(has_text=PURPOSE)
    expect(mine).to_contain_text("待审批")
    check_a11y(asker)
    grant = Grant.objects.get(purpose=PURPOSE)
    assert (grant.consumer, grant.items, grant.status) == (market, ["gender"], "requested")

    # the provider's steward, on a phone, sees it with its reply date and approves it
    steward = new_page(viewport=MOBILE_VIEWPORT)
    login(steward, "police-steward", "/sharing/grants/")
    check_a11y(steward)
    row = steward.locator("tbody tr").filter(has_text=PURPOSE)
    expect(row).to_contain_text(market.name)
    expect(row).to_contain_text("性别")
    expect(row).to_contain_text(grant.decide_by.isoformat())
    expect(steward.get_by_role("columnheader", name="答复期限")).to_have_count(1)
    save_screenshot(steward, "sharing-steward-grants-375")
    row.get_by_role("link", name=re.compile("审批")).click()
    wait_for(steward, rf"/sharing/grants/{grant.pk}/$")
    check_a11y(steward)
    steward.get_by_label("批准", exact=True).check()
    steward.get_by_label("审批意见（不予批准时必填）").fill("同意，仅限核验经营者身份")
    steward.get_by_role("button", name="下一步：确认").click()
    expect(steward.get_by_role("heading", name="确认批准")).to_be_visible()
    check_a11y(steward)
    grant.refresh_from_db()
    assert grant.status == "requested"  # not before the confirmation
    steward.get_by_role("button", name="确认批准").click()
    wait_for(steward, r"/sharing/grants/$")
    expect(steward.get_by_role("status").filter(has_text="已批准")).to_be_visible()
    expect(steward.locator("tbody tr").filter(has_text=PURPOSE)).to_contain_text("已批准")
    check_a11y(steward)
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == user("police-steward")

    # the consumer reads exactly what was granted; more is refused and logged
    citizen1 = user("citizen1").id_number
    reading = exchange.read("GA-HJRK", citizen1, consumer=market, purpose=PURPOSE, items=["gender"])
    assert reading.ok and reading.values == {"gender": "男"} and reading.record.grant_id == grant.pk
    beyond = exchange.read("GA-HJRK", citizen1, consumer=market, purpose=PURPOSE, items=["gender", "ethnicity"])
    assert beyond.result == "refused" and beyond.values == {}
    logged = AccessRecord.objects.get(pk=beyond.record.pk)
    assert (logged.result, logged.consumer, logged.items) == ("refused", market, ["gender", "ethnicity"])


def test_catalogue_objection_and_steward_editing(new_page):
    """The citizen finds 人口基本信息 in the catalogue, sees their own 户籍地址 and objects; the
    police steward corrects it after a confirmation and edits the catalogue entry."""
    load_demo()
    load_demo_sharing()
    citizen = new_page(viewport=MOBILE_VIEWPORT)
    login(citizen, "citizen1", "/sharing/resources/")
    check_a11y(citizen)
    citizen.get_by_label("名称、代码或提供部门").fill("人口")
    citizen.get_by_role("search", name="搜索共享资源").get_by_role("button", name="搜索").click()
    wait_for(citizen, r"/sharing/resources/\?q=")
    check_a11y(citizen)
    citizen.get_by_role("link", name="人口基本信息").click()
    wait_for(citizen, r"/sharing/resources/GA-HJRK/$")
    expect(citizen.get_by_text("有条件共享").first).to_be_visible()
    expect(citizen.get_by_role("link", name="编辑")).to_have_count(0)
    check_a11y(citizen)
    citizen.get_by_role("link", name=re.compile("我的数据有误.*户籍地址")).click()
    wait_for(citizen, r"/sharing/objections/new/")
    expect(citizen.get_by_text("山东省济宁市兖州区鼓楼街道建设东路18号")).to_be_visible()
    check_a11y(citizen)
    citizen.get_by_label("正确的值").fill("山东省济宁市兖州区鼓楼街道建设东路20号")
    citizen.get_by_label("哪里有误").fill("门牌号登记错误，应为20号")
    citizen.get_by_role("button", name="提交纠错").click()
    wait_for(citizen, r"/sharing/objections/$")
    expect(citizen.locator("tbody tr").first).to_contain_text("待处理")
    check_a11y(citizen)
    save_screenshot(citizen, "sharing-objections-375")

    steward = new_page()
    login(steward, "police-steward", "/sharing/objections/inbox/")
    check_a11y(steward)
    steward.locator("tbody tr").filter(has_text="户籍地址").get_by_role("link", name=re.compile("处理")).click()
    wait_for(steward, r"/sharing/objections/\d+/$")
    check_a11y(steward)
    steward.get_by_label("已更正").check()
    expect(steward.get_by_label("更正后的值")).to_have_value("山东省济宁市兖州区鼓楼街道建设东路20号")
    steward.get_by_label("处理说明").fill("经核对户籍档案，已更正门牌号")
    steward.get_by_role("button", name="下一步：确认").click()
    expect(steward.get_by_role("button", name="确认提交")).to_be_visible()
    check_a11y(steward)
    steward.get_by_role("button", name="确认提交").click()
    wait_for(steward, r"/sharing/objections/inbox/$")
    expect(steward.get_by_role("status").filter(has_text="已处理该纠错")).to_be_visible()
    market = Department.objects.get(code="market")
    reading = exchange.read("GA-HJRK", user("citizen1").id_number, consumer=market, purpose="核验",
                            items=["household_address"])
    assert reading.values == {"household_address": "山东省济宁市兖州区鼓楼街道建设东路20号"}

    steward.goto("/sharing/resources/GA-HJRK/")
    steward.get_by_role("link", name=re.compile("编辑")).click()
    wait_for(steward, r"/sharing/resources/GA-HJRK/edit/$")
    check_a11y(steward)
    steward.get_by_label("更新周期").fill("每日")
    steward.get_by_role("button", name="保存").click()
    wait_for(steward, r"/sharing/resources/GA-HJRK/$")
    expect(steward.get_by_role("status").filter(has_text="版本更新为 1.1")).to_be_visible()
    check_a11y(steward)


def test_a_steward_publishes_a_new_resource_on_a_phone(new_page):
    """The police steward, at 375 px, opens 发布共享资源 from the catalogue, gets the errors of an
    incomplete form (axe-checked too) and publishes the entry."""
    load_demo()
    load_demo_sharing()
    steward = new_page(viewport=MOBILE_VIEWPORT)
    login(steward, "police-steward", "/sharing/resources/")
    steward.get_by_role("link", name="发布共享资源").click()
    wait_for(steward, r"/sharing/resources/new/$")
    expect(steward.get_by_label("提供部门")).to_have_value("police")
    check_a11y(steward)
    steward.get_by_label("资源代码").fill("GA-HJQY")
    steward.get_by_label("资源名称").fill("户籍迁移信息")
    steward.get_by_label("共享类型").select_option("conditional")
    steward.get_by_role("button", name="发布").click()
    wait_for(steward, r"/sharing/resources/new/$")
    expect(steward.get_by_role("alert")).to_be_visible()
    expect(steward.get_by_label("资源名称")).to_have_value("户籍迁移信息")
    expect(steward.get_by_label("数据主体")).to_have_attribute("aria-invalid", "true")
    check_a11y(steward)
    save_screenshot(steward, "sharing-resource-new-375")
    steward.get_by_label("数据主体").select_option("person")
    steward.get_by_label("共享依据").fill("《户口登记条例》第十条")
    steward.get_by_label("第 1 行代码").fill("moved_on")
    steward.get_by_label("第 1 行名称").fill("迁移日期")
    steward.get_by_label("第 1 行类型").select_option("date")
    steward.get_by_role("button", name="发布").click()
    wait_for(steward, r"/sharing/resources/GA-HJQY/$")
    expect(steward.get_by_role("status").filter(has_text="已发布共享资源")).to_be_visible()
    check_a11y(steward)
    resource = Resource.objects.get(code="GA-HJQY")
    assert (resource.provider.code, resource.item_names(), resource.share_type) == (
        "police", ["moved_on"], "conditional")
