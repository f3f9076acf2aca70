"""Applicant pages through the Django test client: 在线办理 (login, level, drafts that resume,
saving invalid answers, submission errors per field and per material, uploads), the receipt,
notices, withdrawal, 补正, 我的办件 and the anonymous progress query."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import Enterprise, EnterpriseMembership, User
from yiwang.accounts.roles import Role
from yiwang.cases import handling
from yiwang.cases.models import Case, CaseMaterial, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import staff
from yiwang.cases.tests.test_materials_progress import pdf_bytes
from yiwang.catalog.tests import factories
from yiwang.core.models import AuditRecord
from yiwang.org.models import Department

ID_NUMBER = demo_id_number("19880512", "001")

SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "maxLength": 50},
        "id_number": {"type": "string", "format": "id_number"},
        "phone": {"type": "string", "format": "phone"},
        "delivery_method": {"type": "string", "enum": ["window", "post"]},
        "postal_address": {
            "type": "object",
            "properties": {"region_code": {"type": "string", "format": "region_code"},
                           "detail": {"type": "string", "maxLength": 200}},
            "required": ["region_code", "detail"],
        },
        "members": {"type": "array", "items": {
            "type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
                                             "age": {"type": "integer", "minimum": 0}},
            "required": ["name"]}},
    },
    "required": ["applicant_name", "id_number", "delivery_method"],
    "allOf": [{"if": {"properties": {"delivery_method": {"const": "post"}}, "required": ["delivery_method"]},
               "then": {"required": ["postal_address"]}}],
}
UI = {
    "order": ["applicant_name", "id_number", "phone", "delivery_method", "postal_address", "members"],
    "fields": {
        "applicant_name": {"label": "申请人姓名", "prefill": "profile.name"},
        "id_number": {"label": "身份证号", "prefill": "profile.id_number"},
        "phone": {"label": "联系电话"},
        "delivery_method": {"label": "领取方式", "widget": "radio", "options": [
            {"value": "window", "label": "窗口领取"}, {"value": "post", "label": "邮寄"}]},
        "postal_address": {"label": "邮寄地址"},
        "members": {"label": "家庭成员", "order": ["name", "age"],
                    "fields": {"name": {"label": "姓名"}, "age": {"label": "年龄"}}},
    },
}
MATERIALS = [
    {"code": "M01", "name": "申请书", "necessity": "required", "source": "applicant", "originals": 1},
    {"code": "M02", "name": "场所证明", "necessity": "deferrable", "source": "applicant", "originals": 1},
]


@pytest.fixture
def world(db):
    approval = factories.department("approval", name="行政审批服务局", kind=Department.Kind.APPROVAL_BUREAU)
    market = factories.department("market", name="市场监管局")
    item = factories.item("食品小作坊登记", department_obj=market, materials=MATERIALS, form_schema=SCHEMA,
                          form_ui=UI)
    citizen = User.objects.create_user(username="zhang", password="x", name="张三", level=2, id_number=ID_NUMBER,
                                       phone="13800000001")
    return {"approval": approval, "market": market, "item": item, "citizen": citizen,
            "other": User.objects.create_user(username="li", password="x", name="李四", level=2),
            "clerk": staff("clerk", Role.WINDOW_CLERK, approval)}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client, item) -> Case:
    resp = client.get(reverse("cases:apply", args=[item.code]))
    assert resp.status_code == 302, resp.content[:500]
    case_id = int(re.search(r"/cases/(\d+)/edit/", resp["Location"]).group(1))
    return Case.objects.get(pk=case_id)


def valid_form(**extra) -> dict:
    return {"applicant_name": "张三", "id_number": ID_NUMBER, "phone": "13800000001",
            "delivery_method": "window", **extra}


def pdf(name="申请书.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def edit_url(case) -> str:
    return reverse("cases:draft", args=[case.pk])


def submitted(world, media) -> Case:
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    resp = client.post(edit_url(case), {**valid_form(), "file-M01": pdf(), "file-M02": pdf("场所证明.pdf"),
                                        "declaration": "yes", "action": "submit"})
    assert resp.status_code == 302 and resp["Location"] == reverse("cases:receipt", args=[case.pk])
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    return case


def accept_item(case) -> WorkItem:
    return WorkItem.objects.get(case=case, step="accept", status=WorkItem.Status.OPEN)


# --- 在线办理 ------------------------------------------------------------------------------------


def test_apply_needs_login(client, world):
    url = reverse("cases:apply", args=[world["item"].code])
    resp = client.get(url)
    assert resp.status_code == 302 and resp["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_level_one_is_sent_to_identity_verification(world):
    low = User.objects.create_user(username="low", password="x", level=1)
    resp = logged_in(low).get(reverse("cases:apply", args=[world["item"].code]))
    assert resp.status_code == 403
    text = resp.content.decode()
    assert "实名核验" in text and reverse("accounts:profile") in text
    assert not Case.objects.exists()


def test_unknown_item_is_a_404_page(world):
    resp = logged_in(world["citizen"]).get(reverse("cases:apply", args=["no-such-item"]))
    assert resp.status_code == 404 and "事项不存在或未发布" in resp.content.decode()


def test_draft_is_created_prefilled_and_resumed(world):
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    assert start(client, world["item"]).pk == case.pk  # resumed, not a second draft
    assert Case.objects.count() == 1
    assert case.form_data["applicant_name"] == "张三" and case.form_data["id_number"] == ID_NUMBER
    page = client.get(edit_url(case)).content.decode()
    assert f'value="{ID_NUMBER}"' in page and 'value="13800000001"' in page  # phone guessed by name + format
    assert 'data-autosave="/api/v1/cases/' in page and "draft.js" in page
    assert page.count('type="file"') == 2


def test_guide_page_links_to_apply(client, world):
    page = client.get(reverse("catalog:guide", args=[world["item"].code])).content.decode()
    assert f'href="{reverse("cases:apply", args=[world["item"].code])}"' in page


def test_save_keeps_invalid_answers_and_drops_hidden_conditional_ones(world):
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    resp = client.post(edit_url(case), {"applicant_name": "张三", "id_number": "12345", "delivery_method": "window",
                                        "postal_address-detail": "不应保存", "members-0-name": "甲",
                                        "members-3-name": "乙", "members-3-age": "7", "action": "save"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.form_data["id_number"] == "12345"  # saved as typed, checked only at submission
    assert "postal_address" not in case.form_data
    assert case.form_data["members"] == [{"name": "甲"}, {"name": "乙", "age": 7}]
    page = client.get(edit_url(case)).content.decode()
    assert 'value="12345"' in page
    assert 'name="members-2-name"' in page and 'name="members-3-name"' not in page  # two rows + one blank
    assert 'data-show-field="delivery_method" data-show-value="post"' in page


def test_submit_errors_per_field_and_per_material_keep_everything(world):
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    resp = client.post(edit_url(case), {"applicant_name": "张三", "id_number": "12345", "delivery_method": "post",
                                        "action": "submit"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'id="error-summary"' in page
    assert 'id="f-id_number-error"' in page and 'aria-invalid="true"' in page
    assert 'href="#f-id_number"' in page
    assert 'id="f-postal_address-error"' in page  # required because 邮寄 was chosen
    assert 'id="file-M01-error"' in page and 'href="#file-M01"' in page
    assert 'id="file-M02-error"' in page  # a deferrable material is uploaded or deferred, not skipped
    assert "请阅读并勾选申请人承诺" in page and 'href="#declaration"' in page
    assert 'value="12345"' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.form_data["id_number"] == "12345"


def test_rejected_upload_leaves_other_materials_and_answers_intact(world, media):
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    resp = client.post(edit_url(case), {**valid_form(), "file-M01": pdf(), "action": "upload"})
    assert resp.status_code == 302 and resp["Location"].endswith("#materials")
    good = case.materials.get(material_code="M01")
    assert good.status == CaseMaterial.Status.UPLOADED
    exe = SimpleUploadedFile("场所证明.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf", content_type="application/pdf")
    resp = client.post(edit_url(case), {**valid_form(phone="13900000009"), "file-M02": exe, "action": "upload"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert 'id="file-M02-error"' in page and "有文件未能上传" in page
    assert case.materials.get(material_code="M01").sha256 == good.sha256
    assert case.materials.get(material_code="M02").status == CaseMaterial.Status.MISSING
    case.refresh_from_db()
    assert case.form_data["phone"] == "13900000009"  # the answers were saved before the upload


def test_deferrable_material_can_be_deferred(world):
    client = logged_in(world["citizen"])
    case = start(client, world["item"])
    page = client.get(edit_url(case)).content.decode()
    assert 'value="defer:M02"' in page and 'value="defer:M01"' not in page
    resp = client.post(edit_url(case), {**valid_form(), "action": "defer:M02"})
    assert resp.status_code == 302
    assert case.materials.get(material_code="M02").status == CaseMaterial.Status.DEFERRED
    resp = client.post(edit_url(case), {**valid_form(), "action": "defer:M01"})
    assert resp.status_code == 400 and "不能容缺后补" in resp.content.decode()


def test_submit_and_receipt_for_the_party_only(world, media):
    case = submitted(world, media)
    client = logged_in(world["citizen"])
    page = client.get(reverse("cases:receipt", args=[case.pk])).content.decode()
    assert case.number in page and case.query_password in page
    assert reverse("cases:progress") in page
    assert client.get(edit_url(case))["Location"] == reverse("cases:detail", args=[case.pk])
    for outsider in (world["other"], world["clerk"]):
        resp = logged_in(outsider).get(reverse("cases:receipt", args=[case.pk]))
        assert resp.status_code == 403 and case.query_password not in resp.content.decode()
    assert AuditRecord.objects.filter(action="case.access_denied", actor_label="li").exists()
    assert logged_in(world["other"]).get(reverse("cases:detail", args=[case.pk])).status_code == 403
    assert logged_in(world["other"]).post(edit_url(case), {"action": "save"}).status_code == 403


def test_autosave_through_the_api_uses_the_session_and_csrf(world):
    citizen = world["citizen"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    case = start(client, world["item"])
    page = client.get(edit_url(case)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = f"/api/v1/cases/{case.pk}/form"
    body = {"form": {"applicant_name": "张三丰"}}
    assert client.put(url, body, content_type="application/json").status_code in (401, 403)
    resp = client.put(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert resp.status_code == 200, resp.content
    case.refresh_from_db()
    assert case.form_data == {"applicant_name": "张三丰"}


# --- after submission ----------------------------------------------------------------------------


def test_notices_only_once_reached_and_for_those_who_may_see(world, media):
    case = submitted(world, media)
    citizen = logged_in(world["citizen"])
    url = reverse("cases:notice", args=[case.pk, "accept"])
    assert citizen.get(url).status_code == 404
    assert citizen.get(reverse("cases:notice", args=[case.pk, "nonsense"])).status_code == 404
    handling.act(world["clerk"], accept_item(case), "accept", {})
    case.refresh_from_db()
    page = citizen.get(url).content.decode()
    assert "受理通知书" in page and case.due_date.strftime("%Y-%m-%d") in page
    assert logged_in(world["clerk"]).get(url).status_code == 200  # staff of the accepting unit
    assert logged_in(world["other"]).get(url).status_code == 403
    assert citizen.get(reverse("cases:notice", args=[case.pk, "refuse"])).status_code == 404
    assert citizen.get(reverse("cases:notice", args=[case.pk, "decision"])).status_code == 404
    detail = citizen.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in detail and "承办" in detail and "市场监管局" in detail  # current step and who handles it


def test_refusal_notice_has_reason_basis_and_rights(world, media):
    case = submitted(world, media)
    handling.act(world["clerk"], accept_item(case), "refuse",
                 {"reason": "不属于本机关职权范围", "legal_basis": "《中华人民共和国行政许可法》第三十二条"})
    page = logged_in(world["citizen"]).get(reverse("cases:notice", args=[case.pk, "refuse"])).content.decode()
    assert "不予受理通知书" in page and "不属于本机关职权范围" in page and "第三十二条" in page
    assert "六十日内" in page and "行政复议" in page and "六个月内" in page and "人民政府" in page


def test_decision_notice_after_review(world, media):
    case = submitted(world, media)
    handling.act(world["clerk"], accept_item(case), "accept", {})
    market = world["market"]
    for step, role, action, data in (("undertake", Role.UNDERTAKER, "pass", {}), ("review", Role.REVIEWER, "pass", {}),
                                     ("approve", Role.APPROVER, "decide_deny", {"reason": "场所面积不符合要求"})):
        work = WorkItem.objects.get(case=case, step=step, status=WorkItem.Status.OPEN)
        handling.act(staff(f"{step}-user", role, market), work, action, data)
    client = logged_in(world["citizen"])
    page = client.get(reverse("cases:notice", args=[case.pk, "decision"])).content.decode()
    assert "不予行政许可决定书" in page and "场所面积不符合要求" in page and "六十日内" in page
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "不予行政许可决定书" in detail and reverse("cases:withdraw", args=[case.pk]) not in detail


def test_withdraw_needs_confirmation(world, media):
    case = submitted(world, media)
    client = logged_in(world["citizen"])
    url = reverse("cases:withdraw", args=[case.pk])
    assert url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.get(url).status_code == 200
    resp = client.post(url, {"reason": "不办了"})
    assert resp.status_code == 400 and "请勾选确认后再撤回" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert client.post(url, {"reason": "不办了", "confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url not in page and "已撤回" in page
    assert client.get(url).status_code == 302  # no second withdrawal


def test_correction_resupplies_only_the_named_materials(world, media):
    case = submitted(world, media)
    handling.act(world["clerk"], accept_item(case), "request_correction", {"missing": ["M01"]})
    case.refresh_from_db()
    client = logged_in(world["citizen"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "补正告知" in page and "申请书" in page and case.correction_due.strftime("%Y-%m-%d") in page
    assert 'name="file-M01"' in page and 'name="file-M02"' not in page
    notice = client.get(reverse("cases:notice", args=[case.pk, "correction"])).content.decode()
    assert "补正材料告知书" in notice and "申请书" in notice
    url = reverse("cases:correction", args=[case.pk])
    resp = client.post(url, {"action": "resupply"})
    assert resp.status_code == 400 and 'id="file-M01-error"' in resp.content.decode()
    resp = client.post(url, {"action": "resupply", "file-M01": pdf()})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_my_cases_list_with_status_groups(world, media):
    done = submitted(world, media)
    client = logged_in(world["citizen"])
    draft = start(client, world["item"])
    assert draft.pk != done.pk  # a new draft after a submission
    page = client.get(reverse("cases:mine")).content.decode()
    assert done.number in page and edit_url(draft) in page
    assert "受理（行政审批服务局）" in page and "已申报" in page
    assert reverse("cases:progress") in page
    only_drafts = client.get(reverse("cases:mine") + "?status=draft").content.decode()
    assert done.number not in only_drafts and edit_url(draft) in only_drafts
    active = client.get(reverse("cases:mine") + "?status=active").content.decode()
    assert done.number in active and edit_url(draft) not in active
    assert done.number not in client.get(reverse("cases:mine") + "?status=done").content.decode()
    assert client.get(reverse("cases:mine") + "?page=abc&status=zzz").status_code == 200
    assert done.number not in logged_in(world["other"]).get(reverse("cases:mine")).content.decode()


def test_enterprise_item_asks_which_enterprise(world):
    corp_item = factories.item("企业事项", department_obj=world["market"], audiences=["2"])
    citizen = world["citizen"]
    client = logged_in(citizen)
    url = reverse("cases:apply", args=[corp_item.code])
    page = client.get(url).content.decode()
    assert reverse("accounts:enterprise") in page and not Case.objects.exists()
    ent = Enterprise.objects.create(name="示范公司", uscc="91350100M000100Y43", legal_rep_name="张三",
                                    created_by=citizen, status=Enterprise.Status.VERIFIED)
    EnterpriseMembership.objects.create(enterprise=ent, user=citizen, kind=EnterpriseMembership.Kind.LEGAL_REP)
    assert "示范公司" in client.get(url).content.decode() and not Case.objects.exists()
    assert client.post(url, {"enterprise": "999"}).status_code == 400
    resp = client.post(url, {"enterprise": str(ent.pk)})
    assert resp.status_code == 302
    assert Case.objects.get().enterprise == ent


# --- anonymous progress query ---------------------------------------------------------------------


def test_progress_page(client, world, media):
    case = submitted(world, media)
    url = reverse("cases:progress")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    resp = client.post(url, {"number": case.number, "password": case.query_password})
    page = resp.content.decode()
    assert resp.status_code == 200 and "已申报" in page and "张*" in page and "张三" not in page
    wrong = "000000" if case.query_password != "000000" else "111111"
    resp = client.post(url, {"number": case.number, "password": wrong})
    assert resp.status_code == 404 and "办件编号或查询密码不正确" in resp.content.decode()
    codes = [client.post(url, {"number": case.number, "password": wrong}).status_code for _ in range(12)]
    assert codes[-1] == 429
    assert "15 分钟" in client.post(url, {"number": case.number, "password": wrong}).content.decode()
