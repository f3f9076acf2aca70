"""Done-when journey: a department admin adds a field to a form and submits a new version, the
catalogue reviewer publishes it, and the public guide shows the new field."""

import re

import pytest
from playwright.sync_api import expect

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.catalog import services
from yiwang.catalog.tests.test_versions import make_item
from yiwang.org.demo import demo_uscc
from yiwang.org.models import Department, Region
from yiwang.testing.browser import check_a11y, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Str0ng!Passw0rd"


def login(page, username):
    visit(page, "/accounts/login/")
    page.get_by_label("用户名 / 手机号 / 身份证号").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))


def staff(username, role, **scope):
    user = User.objects.create_user(username=username, password=PASSWORD, name=username)
    assign_role(user, role, **scope)
    return user


def test_department_admin_adds_field_reviewer_publishes_guide_shows_it(page, new_page):
    province = Region.objects.create(code="370000", name="山东省", level=1)
    city = Region.objects.create(code="370800", name="济宁市", level=2, parent=province)
    county = Region.objects.create(code="370812", name="兖州区", level=3, parent=city)
    org = {
        "county": county,
        "market": Department.objects.create(code="market", name="兖州区市场监督管理局", region=county,
                                            uscc=demo_uscc("market")),
        "approval": Department.objects.create(code="approval", name="兖州区行政审批服务局", region=county,
                                              uscc=demo_uscc("approval"), kind=Department.Kind.APPROVAL_BUREAU),
    }
    item = make_item(None, org)
    services.update_draft(None, item.versions.get(), {
        "form_schema": {"type": "object", "properties": {"enterprise_name": {"type": "string", "maxLength": 100}},
                        "required": ["enterprise_name"]},
        "form_ui": {"order": ["enterprise_name"], "fields": {"enterprise_name": {"label": "企业名称", "widget": "text"}}},
    })
    services.publish(None, item.versions.get(), system=True)
    staff("market-admin", Role.DEPT_ADMIN, department=org["market"])
    staff("catalogue-reviewer", Role.REVIEWER, department=org["approval"])

    # the department admin makes a new version and adds a field
    login(page, "market-admin")
    visit(page, f"/workbench/catalog/items/{item.pk}/")
    page.get_by_role("button", name="新建版本（修改事项）").click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_role("link", name="编辑申请表单").click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_label("字段类型").select_option("text")
    page.get_by_label("字段名（英文）").fill("premises_area")
    page.get_by_label("显示名称").fill("经营场所面积说明")
    page.locator("#add-field").get_by_role("button", name="添加字段").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已添加字段“经营场所面积说明”。")).to_be_visible()
    visit(page, f"/workbench/catalog/items/{item.pk}/")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已提交审核。")).to_be_visible()

    # the catalogue reviewer of the 行政审批服务局 publishes it
    reviewer = new_page()
    login(reviewer, "catalogue-reviewer")
    visit(reviewer, "/workbench/catalog/review/")
    reviewer.get_by_role("link", name="食品经营许可（新办）").click()
    reviewer.wait_for_load_state()
    check_a11y(reviewer)
    reviewer.get_by_label("我已核对以上内容").check()
    reviewer.get_by_role("button", name="发布").click()
    reviewer.wait_for_load_state()
    expect(reviewer.get_by_text("已发布第 2 版。")).to_be_visible()

    # anyone sees the new field on the guide
    visitor = new_page()
    visit(visitor, f"/services/{item.code}/")
    expect(visitor.get_by_text("经营场所面积说明")).to_be_visible()
    expect(visitor.get_by_text("企业名称").first).to_be_visible()
