"""Form editor pages through the test client: permissions, editing, read-only versions."""

import re

import pytest
from django.urls import include, path, reverse

import yiwang.urls
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.catalog import formeditor, formschema, views_editor
from yiwang.catalog.models import BaseItem, ItemVersion, ServiceItem, VersionStatus
from yiwang.core.models import AuditRecord
from yiwang.org.models import Department, Region

ELEMENTS = {
    "name": "食品经营许可（新办）", "item_type": "01", "case_type": "2", "legal_limit_value": 20,
    "promised_limit_value": 5, "audiences": ["2"], "handling_forms": ["1", "2"], "online_depth": ["1", "2", "3", "4"],
    "visits": 1, "visits_reason": "现场核查经营场所",
}

# The lead mounts the editor under /workbench/catalog/; until then (and regardless) these tests
# use a URLconf that has it.
urlpatterns = list(yiwang.urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "catalog_editor" for p in urlpatterns):
    urlpatterns.insert(0, path("workbench/catalog/", include("yiwang.catalog.urls_editor")))

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def org(db):
    province = Region.objects.create(code="370000", name="山东省", level=1)
    city = Region.objects.create(code="370800", name="济宁市", level=2, parent=province)
    county = Region.objects.create(code="370812", name="兖州区", level=3, parent=city)
    market = Department.objects.create(code="market", name="兖州区市场监督管理局", region=county)
    civil = Department.objects.create(code="civil", name="兖州区民政局", region=county)
    return {"county": county, "market": market, "civil": civil}


def person(username, role=None, **scope):
    user = User.objects.create_user(username=username, password="x", name=username)
    if role:
        assign_role(user, role, **scope)
    return user


@pytest.fixture
def market_admin(org):
    return person("market_admin", Role.DEPT_ADMIN, department=org["market"])


@pytest.fixture
def civil_admin(org):
    return person("civil_admin", Role.DEPT_ADMIN, department=org["civil"])


def starting_form():
    s, u = formeditor.add_field({}, {}, "text", "applicant_name", "申请人姓名", True)
    s, u = formeditor.add_field(s, u, "radio", "marital", "婚姻状况", True, options="single|未婚\nmarried|已婚")
    s, u = formeditor.add_field(s, u, "text", "spouse_name", "配偶姓名", True)
    s, u = formeditor.set_condition(s, u, "spouse_name", "marital", "married")
    s, u = formeditor.add_field(s, u, "group", "members", "家庭成员")
    s, u = formeditor.add_group_child(s, u, "members", "text", "name", "姓名", True)
    return s, u


@pytest.fixture
def item(org):
    base = BaseItem.objects.create(basic_code="000172009000", name="食品经营许可", item_type="01")
    return ServiceItem.objects.create(code="11370812MB0123456X4000172009000", base=base, department=org["market"],
                                      region=org["county"])


def make_version(item, number=1, status=VersionStatus.DRAFT):
    schema, ui = starting_form()
    return ItemVersion.objects.create(item=item, number=number, status=status, **ELEMENTS, form_schema=schema,
                                      form_ui=ui)


@pytest.fixture
def draft(item):
    return make_version(item)


def url(name, version, *args):
    return reverse(f"catalog_editor:{name}", args=[version.pk, *args])


def _rev(version):
    """The revision token the editor puts in its forms."""
    version.refresh_from_db()
    return views_editor.revision(version)


def specs(version):
    version.refresh_from_db()
    return formschema.fields(version.form_schema, version.form_ui)


# --- permissions ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, draft):
    response = client.get(url("form", draft))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_other_department_admin_gets_403(client, draft, civil_admin):
    client.force_login(civil_admin)
    assert client.get(url("form", draft)).status_code == 403
    response = client.post(url("add_field", draft), {"kind": "text", "name": "x", "label": "X"})
    assert response.status_code == 403
    assert client.post(url("move_field", draft), {"name": "marital", "direction": "up"}).status_code == 403
    assert client.get(url("edit_field", draft, "marital")).status_code == 403
    assert client.post(url("delete_field", draft, "marital")).status_code == 403
    assert "x" not in specs(draft)[0].name


def test_citizen_gets_403(client, draft, org):
    client.force_login(person("alice"))
    assert client.get(url("form", draft)).status_code == 403


def test_platform_admin_may_edit(client, draft, org):
    client.force_login(person("pa", Role.PLATFORM_ADMIN, region=org["county"]))
    assert client.get(url("form", draft)).status_code == 200


def test_unknown_version_is_404(client, market_admin):
    client.force_login(market_admin)
    assert client.get(reverse("catalog_editor:form", args=[999999])).status_code == 404


# --- the form page ------------------------------------------------------------------------------


def test_form_page_lists_fields_preview_and_json(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.get(url("form", draft))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("申请人姓名", "婚姻状况", "配偶姓名", "家庭成员", "姓名", "当“婚姻状况”为“已婚”时显示",
                 "可选项：未婚（single）、已婚（married）", "添加字段", "预览", "<details>", "&quot;spouse_name&quot;",
                 url("edit_field", draft, "members.name"), url("delete_field", draft, "marital"),
                 url("add_field", draft) + "?group=members"):
        assert text in html, text
    # strict CSP: no inline scripts or styles
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert 'src="/static/catalog/editor.js"' in html


# --- adding ------------------------------------------------------------------------------


def test_add_field_ends_up_in_schema_and_ui(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.post(url("add_field", draft), {
        "kind": "select", "name": "business_type", "label": "经营类别", "required": "on",
        "help": "按营业执照填写", "options": "retail|食品销售\ncatering|餐饮服务", "after": "applicant_name",
        "revision": _rev(draft),
    })
    assert response.status_code == 302
    assert response["Location"].endswith("#field-business_type")
    draft.refresh_from_db()
    assert draft.form_schema["properties"]["business_type"] == {"type": "string", "enum": ["retail", "catering"]}
    assert "business_type" in draft.form_schema["required"]
    assert draft.form_ui["fields"]["business_type"]["label"] == "经营类别"
    assert draft.form_ui["fields"]["business_type"]["options"][1] == {"value": "catering", "label": "餐饮服务"}
    assert draft.form_ui["order"][:2] == ["applicant_name", "business_type"]
    assert formschema.check_schema(draft.form_schema, draft.form_ui) == {}
    assert AuditRecord.objects.filter(action="catalog.version.updated").exists()
    page = client.get(response["Location"]).content.decode()
    assert "已添加字段“经营类别”" in page


def test_add_field_page_without_javascript(client, draft, market_admin):
    client.force_login(market_admin)
    page = client.get(url("add_field", draft)).content.decode()
    assert 'name="kind"' in page and 'name="options"' in page and 'data-kinds="select radio checkboxes"' in page


def test_add_field_errors_are_shown_and_nothing_changes(client, draft, market_admin):
    client.force_login(market_admin)
    before = (draft.form_schema, draft.form_ui)
    response = client.post(url("add_field", draft), {"kind": "text", "name": "Applicant", "label": "姓名",
                                                      "revision": _rev(draft)})
    assert response.status_code == 400
    assert "字段名须以小写英文字母开头" in response.content.decode()
    response = client.post(url("add_field", draft), {"kind": "text", "name": "applicant_name", "label": "姓名",
                                                      "revision": _rev(draft)})
    assert "已被使用" in response.content.decode()
    response = client.post(url("add_field", draft), {"kind": "radio", "name": "x", "label": "X", "options": "",
                                                      "revision": _rev(draft)})
    assert "请至少填写一个可选项" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.form_schema, draft.form_ui) == before


def test_add_group_child(client, draft, market_admin):
    client.force_login(market_admin)
    page = client.get(url("add_field", draft) + "?group=members").content.decode()
    assert "在“家庭成员”中添加子字段" in page and 'name="group" value="members"' in page
    assert 'value="group"' not in page  # no nested groups
    response = client.post(url("add_field", draft), {"group": "members", "kind": "id_number", "name": "id_number",
                                                      "label": "身份证号", "required": "on", "revision": _rev(draft)})
    assert response.status_code == 302 and response["Location"].endswith("#field-members-id_number")
    members = specs(draft)[3]
    assert [c.name for c in members.children] == ["name", "id_number"]
    assert client.get(url("add_field", draft) + "?group=ghost").status_code == 404


def test_stale_revision_is_refused(client, draft, market_admin):
    client.force_login(market_admin)
    old = _rev(draft)
    client.post(url("move_field", draft), {"name": "marital", "direction": "up", "revision": old})
    response = client.post(url("add_field", draft), {"kind": "text", "name": "x", "label": "X", "revision": old})
    assert response.status_code == 400 and "表单已被其他人修改" in response.content.decode()
    assert "x" not in specs(draft)[0].name
    response = client.post(url("move_field", draft), {"name": "marital", "direction": "down", "revision": old},
                           follow=True)
    assert "表单已被其他人修改" in response.content.decode()


# --- moving, editing, deleting ----------------------------------------------------------------------


def test_move_field(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.post(url("move_field", draft), {"name": "spouse_name", "direction": "up",
                                                       "revision": _rev(draft)})
    assert response.status_code == 302 and response["Location"].endswith("#field-spouse_name")
    assert [s.name for s in specs(draft)] == ["applicant_name", "spouse_name", "marital", "members"]
    client.post(url("move_field", draft), {"name": "applicant_name", "direction": "down", "revision": _rev(draft)})
    assert [s.name for s in specs(draft)] == ["spouse_name", "applicant_name", "marital", "members"]
    assert client.get(url("move_field", draft)).status_code == 405
    response = client.post(url("move_field", draft), {"name": "ghost", "direction": "up"}, follow=True)
    assert "字段“ghost”不存在" in response.content.decode()


def test_edit_field_with_condition(client, draft, market_admin):
    client.force_login(market_admin)
    page = client.get(url("edit_field", draft, "spouse_name")).content.decode()
    assert 'value="配偶姓名"' in page and '<option value="marital" selected>' in page
    assert 'name="options"' not in page  # only inputs that apply to a text field
    response = client.post(url("edit_field", draft, "spouse_name"), {
        "label": "配偶的姓名", "kind": "textarea", "required": "", "help": "如实填写", "max_length": "40",
        "depends_on": "marital", "equals": "已婚", "revision": _rev(draft),
    })
    assert response.status_code == 302
    spouse = specs(draft)[2]
    assert (spouse.label, spouse.kind, spouse.required, spouse.help, spouse.max_length) == (
        "配偶的姓名", "textarea", False, "如实填写", 40)
    assert spouse.condition == formschema.Condition("marital", "married")
    # clear the condition
    client.post(url("edit_field", draft, "spouse_name"), {"label": "配偶的姓名", "required": "on",
                                                          "depends_on": "", "revision": _rev(draft)})
    spouse = specs(draft)[2]
    assert spouse.condition is None and spouse.required
    assert formschema.check_schema(draft.form_schema, draft.form_ui) == {}


def test_edit_options_and_errors(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.post(url("edit_field", draft, "marital"), {
        "label": "婚姻状况", "required": "on", "options": "single|未婚\ndivorced|离异", "revision": _rev(draft)})
    assert response.status_code == 400
    assert "是字段“配偶姓名”的显示条件，不能删除" in response.content.decode()
    response = client.post(url("edit_field", draft, "applicant_name"), {
        "label": "姓名", "depends_on": "marital", "equals": "widowed", "revision": _rev(draft)})
    assert response.status_code == 400 and "可选值之一" in response.content.decode()
    response = client.post(url("edit_field", draft, "marital"), {
        "label": "婚姻状况", "required": "on", "options": "single|未婚\nmarried|已婚\ndivorced|离异",
        "revision": _rev(draft)})
    assert response.status_code == 302
    assert specs(draft)[1].options[2] == formschema.Option("divorced", "离异")


def test_edit_group_child_and_unknown_field(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.post(url("edit_field", draft, "members.name"), {"label": "成员姓名", "required": "on",
                                                                       "revision": _rev(draft)})
    assert response.status_code == 302 and response["Location"].endswith("#field-members-name")
    assert specs(draft)[3].children[0].label == "成员姓名"
    assert client.get(url("edit_field", draft, "ghost")).status_code == 404
    assert client.get(url("edit_field", draft, "members.ghost")).status_code == 404


def test_delete_needs_confirmation(client, draft, market_admin):
    client.force_login(market_admin)
    page = client.get(url("delete_field", draft, "applicant_name"))
    assert page.status_code == 200 and "确定要从申请表单中删除字段“申请人姓名”" in page.content.decode()
    assert "applicant_name" in draft.form_schema["properties"]  # a GET changes nothing
    response = client.post(url("delete_field", draft, "applicant_name"), {"revision": _rev(draft)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "applicant_name" not in draft.form_schema["properties"]
    assert "applicant_name" not in draft.form_ui["fields"]


def test_delete_refused_while_a_condition_depends_on_it(client, draft, market_admin):
    client.force_login(market_admin)
    response = client.post(url("delete_field", draft, "marital"), {"revision": _rev(draft)})
    assert response.status_code == 400
    assert "配偶姓名" in response.content.decode()
    assert "marital" in specs(draft)[1].name


# --- read-only versions ------------------------------------------------------------------------------


def test_published_version_is_read_only(client, item, market_admin):
    published = make_version(item, status=VersionStatus.PUBLISHED)
    client.force_login(market_admin)
    page = client.get(url("form", published)).content.decode()
    assert "申请表单只读" in page
    assert 'action="' + url("add_field", published) not in page
    assert url("edit_field", published, "marital") not in page
    assert "申请人姓名" in page  # still listed and previewed
    before = (published.form_schema, published.form_ui)
    for response in (
        client.post(url("add_field", published), {"kind": "text", "name": "x", "label": "X"}),
        client.post(url("move_field", published), {"name": "marital", "direction": "up"}),
        client.post(url("edit_field", published, "marital"), {"label": "改"}),
        client.post(url("delete_field", published, "marital")),
        client.get(url("edit_field", published, "marital")),
    ):
        assert response.status_code == 302 and response["Location"] == url("form", published)
    published.refresh_from_db()
    assert (published.form_schema, published.form_ui) == before
    assert "只有草稿可以修改" in client.get(url("form", published)).content.decode()


def test_empty_form_page(client, item, market_admin):
    version = ItemVersion.objects.create(item=item, number=1, **ELEMENTS)
    client.force_login(market_admin)
    page = client.get(url("form", version)).content.decode()
    assert "表单还没有字段" in page
    response = client.post(url("add_field", version), {"kind": "text", "name": "applicant_name", "label": "姓名",
                                                        "revision": _rev(version)})
    assert response.status_code == 302
    assert [s.name for s in specs(version)] == ["applicant_name"]


def test_incomplete_draft_is_reported_not_a_500(client, item, market_admin):
    version = ItemVersion.objects.create(item=item, number=1, name="新事项", item_type="01", case_type="2")
    client.force_login(market_admin)
    response = client.post(url("add_field", version), {"kind": "text", "name": "applicant_name", "label": "姓名",
                                                        "revision": _rev(version)})
    assert response.status_code == 400
    version.refresh_from_db()
    html = response.content.decode()
    assert "服务对象：" in html  # the service's field messages, with the element's Chinese name
    assert version.form_schema == {}


# --- in the browser ------------------------------------------------------------------------------


def _browser_login(page, client, live_server, user):
    from django.conf import settings

    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_add_field_edit_condition_and_mobile(page, new_page, client, live_server, draft, market_admin):
    from playwright.sync_api import expect

    from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, visit

    _browser_login(page, client, live_server, market_admin)
    visit(page, url("form", draft))
    add = page.locator("#add-field")
    # the script shows only the inputs that apply to the chosen kind
    expect(add.get_by_label("可选项")).to_be_hidden()
    add.get_by_label("字段类型").select_option("select")
    expect(add.get_by_label("可选项")).to_be_visible()
    expect(add.get_by_label("最多字数")).to_be_hidden()
    add.get_by_label("字段名（英文）").fill("business_type")
    add.get_by_label("显示名称").fill("经营类别")
    add.get_by_label("必填").check()
    add.get_by_label("可选项").fill("retail|食品销售\ncatering|餐饮服务")
    add.get_by_role("button", name="添加字段").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已添加字段“经营类别”")).to_be_visible()
    check_a11y(page)
    # edit: show it only for married applicants
    page.get_by_role("link", name="编辑 经营类别").click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_label("显示条件：仅当字段").select_option("marital")
    page.get_by_label("取值为").fill("已婚")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.get_by_text("当“婚姻状况”为“已婚”时显示").first).to_be_visible()
    spec = next(s for s in specs(draft) if s.name == "business_type")
    assert spec.condition == formschema.Condition("marital", "married") and spec.required
    # delete with a confirmation page
    page.get_by_role("link", name="删除 经营类别").click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_load_state()
    assert "business_type" not in [s.name for s in specs(draft)]
    # 375 px
    mobile = new_page(viewport=MOBILE_VIEWPORT)
    _browser_login(mobile, client, live_server, market_admin)
    visit(mobile, url("form", draft))
    width = mobile.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE_VIEWPORT["width"], width
