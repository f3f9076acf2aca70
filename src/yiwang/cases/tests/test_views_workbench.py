"""Staff workbench pages: access (403, audited), worklist with claim/release and 409, acting
through the case page (field errors keep values and change nothing), material viewer and
unmasking (audited), the 电子监察 board counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.cases import applying, handling
from yiwang.cases.models import Case, DeliveryMethod, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import open_item, staff, submitted_case
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.tests import factories
from yiwang.core.clock import today
from yiwang.core.models import AuditRecord

WORKLIST = reverse("cases_workbench:worklist")
BOARD = reverse("cases_workbench:board")


def case_url(case):
    return reverse("cases_workbench:case", args=[case.pk])


def act_url(wi):
    return reverse("cases_workbench:act", args=[wi.pk])


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def item(world):
    return factories.item("食品小作坊登记", department_obj=world["market"])


@pytest.fixture
def case(world, item):
    return submitted_case(world, item)


def pdf_bytes() -> bytes:
    writer, buf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=100, height=100)
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_only_case_staff_get_the_pages(client, world, case):
    resp = client.get(WORKLIST)
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    login(client, world["citizen"])
    for url in (WORKLIST, BOARD, case_url(case)):
        resp = client.get(url)
        assert resp.status_code == 403 and "无权访问" in resp.content.decode()
    login(client, world["clerk"])
    assert client.get(BOARD).status_code == 403  # the board is for supervisors and leaders


@pytest.mark.django_db
def test_clerk_sees_the_accept_item_with_masked_applicant(client, world, case):
    body = login(client, world["clerk"]).get(WORKLIST).content.decode()
    assert case.number in body and "受理" in body and "食品小作坊登记" in body
    assert "张*" in body and "张三" not in body
    assert "签收" in body
    # filters and search
    assert case.number in client.get(WORKLIST, {"q": case.number}).content.decode()
    assert case.number in client.get(WORKLIST, {"q": case.number[:8]}).content.decode()
    assert case.number in client.get(WORKLIST, {"q": "张三"}).content.decode()
    assert case.number not in client.get(WORKLIST, {"q": "李四"}).content.decode()
    assert case.number not in client.get(WORKLIST, {"step": "review"}).content.decode()
    assert case.number in client.get(WORKLIST, {"item": case.item_id}).content.decode()
    assert case.number not in client.get(WORKLIST, {"status": "done"}).content.decode()
    assert client.get(WORKLIST, {"status": "bogus", "page": "x"}).status_code == 200
    # the undertaker has nothing yet
    assert case.number not in login(client, world["undertaker"]).get(WORKLIST).content.decode()


@pytest.mark.django_db
def test_claim_release_and_conflicts(client, world, case):
    wi = open_item(case, "accept")
    claim = reverse("cases_workbench:claim", args=[wi.pk])
    release = reverse("cases_workbench:release", args=[wi.pk])
    resp = login(client, world["clerk"]).post(claim, {"next": WORKLIST + "?status=todo"})
    assert resp.status_code == 302 and resp["Location"] == WORKLIST + "?status=todo"
    wi.refresh_from_db()
    assert wi.assignee == world["clerk"]
    assert "本人" in client.get(WORKLIST).content.decode()

    other = login(client, world["clerk2"])
    resp = other.post(claim, {"next": "https://evil.example/"}, follow=True)
    assert resp.redirect_chain[-1][0] == WORKLIST  # an outside "next" is ignored
    assert "该待办已被他人签收" in resp.content.decode()
    resp = other.post(act_url(wi), {"action": "accept"}, follow=True)
    assert "该待办已被他人签收" in resp.content.decode()
    page = other.get(case_url(case)).content.decode()
    assert "该待办已由 clerk 签收" in page and 'name="action"' not in page
    wi.refresh_from_db()
    case.refresh_from_db()
    assert wi.assignee == world["clerk"] and case.status == CaseStatus.SUBMITTED

    login(client, world["clerk"]).post(release)
    wi.refresh_from_db()
    assert wi.assignee is None
    resp = client.post(release, follow=True)
    assert "该待办尚未签收" in resp.content.decode()
    assert AuditRecord.objects.filter(action="case.workitem_claimed").exists()


@pytest.mark.django_db
def test_accept_through_the_case_page_moves_the_case(client, world, case):
    login(client, world["clerk"])
    page = client.get(case_url(case)).content.decode()
    for text in ("受理", "不予受理", "补正告知", "办理流程", "申请材料", "办理记录", "当前环节"):
        assert text in page
    resp = client.post(act_url(open_item(case, "accept")), {"action": "accept", "opinion": "材料齐全"}, follow=True)
    assert resp.redirect_chain[-1][0] == case_url(case)
    assert "已办理" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW and case.due_date
    assert case.timeline.filter(step="受理", opinion="材料齐全").exists()
    # the same item again: it is done now
    resp = client.post(act_url(WorkItem.objects.get(case=case, step="accept")), {"action": "accept"}, follow=True)
    assert "已办理完毕" in resp.content.decode()
    # the undertaker now sees 承办 and its form
    login(client, world["undertaker"])
    assert "承办" in client.get(WORKLIST).content.decode()
    page = client.get(case_url(case)).content.decode()
    assert "通过，转下一环节" in page and "不予受理" not in page


@pytest.mark.django_db
def test_refuse_without_reason_shows_field_errors_and_changes_nothing(client, world, case):
    wi = open_item(case, "accept")
    login(client, world["clerk"])
    resp = client.post(act_url(wi), {"action": "refuse", "legal_basis": "《行政许可法》第三十二条"})
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "请填写不予受理理由" in body and "请勾选确认后再提交" in body
    assert "《行政许可法》第三十二条" in body  # the entered value is kept
    case.refresh_from_db()
    wi.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and wi.status == WorkItem.Status.OPEN
    assert not case.timeline.filter(step="不予受理").exists()
    resp = client.post(act_url(wi), {"action": "request_correction"})
    assert resp.status_code == 400 and "请勾选需补正的材料" in resp.content.decode()
    client.post(act_url(wi), {"action": "request_correction", "missing": ["M01"], "missing_other": "申请表缺签字"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    assert "申请表缺签字" in case.timeline.get(step="补正告知").opinion


@pytest.mark.django_db
def test_refuse_with_confirmation(client, world, case):
    login(client, world["clerk"]).post(act_url(open_item(case, "accept")), {
        "action": "refuse", "reason": "不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条", "confirm": "on"})
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED


@pytest.mark.django_db
def test_service_errors_come_back_as_field_errors(client, world, item):
    case = submitted_case(world, item, delivery=DeliveryMethod.WINDOW)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass")
    handling.act(world["reviewer"], open_item(case, "review"), "pass")
    login(client, world["approver"])
    page = client.get(case_url(case)).content.decode()
    assert "准予许可" in page and "不予许可" in page and "确认作出不予许可决定" in page
    client.post(act_url(open_item(case, "approve")), {"action": "decide_grant"})
    handling.act(world["undertaker"], open_item(case, "complete"), "complete")
    wi = open_item(case, "deliver")
    login(client, world["clerk"])
    page = client.get(case_url(case)).content.decode()
    assert 'value="window" checked' in page  # the applicant's chosen method is the default
    resp = client.post(act_url(wi), {"action": "deliver", "method": "post", "opinion": "已寄出"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "请填写快递单号" in body and "已寄出" in body
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    client.post(act_url(wi), {"action": "deliver", "method": "post", "tracking_number": "SF123"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.tracking_number == "SF123"
    assert "已办理完毕" in client.post(act_url(wi), {"action": "deliver"}, follow=True).content.decode()


@pytest.mark.django_db
def test_unknown_action_is_refused_without_change(client, world, case):
    resp = login(client, world["clerk"]).post(act_url(open_item(case, "accept")), {"action": "decide_grant"},
                                              follow=True)
    assert "该环节不能执行此操作" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


@pytest.mark.django_db
def test_other_department_gets_403_and_the_attempt_is_audited(client, world, case):
    police = factories.department("police", name="公安局")
    outsider = staff("police-und", Role.UNDERTAKER, police)
    login(client, outsider)
    resp = client.get(case_url(case))
    assert resp.status_code == 403
    assert AuditRecord.objects.filter(action="case.access_denied", object_id=str(case.pk),
                                      actor_id=outsider.pk).exists()
    wi = open_item(case, "accept")
    assert client.post(act_url(wi), {"action": "accept"}).status_code == 403
    assert client.post(reverse("cases_workbench:claim", args=[wi.pk])).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert client.get(reverse("cases_workbench:case", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_material_viewer_is_permission_checked_and_audited(client, world, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft, _ = applying.create_draft(world["citizen"], item.code)
    complete(draft)
    applying.attach_material(world["citizen"], draft, "M01", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    case = applying.submit(world["citizen"], Case.objects.get(pk=draft.pk), declaration=True)
    m = case.materials.get(material_code="M01")
    url = reverse("cases_workbench:material", args=[case.pk, m.pk])
    login(client, world["clerk"])
    page = client.get(case_url(case)).content.decode()
    assert url in page
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("inline") and "no-store" in resp["Cache-Control"]
    assert b"".join(resp.streaming_content) == pdf_bytes()
    resp = client.get(url + "?download=1")
    assert resp["Content-Disposition"].startswith("attachment") and "sandbox" in resp["Content-Security-Policy"]
    assert AuditRecord.objects.filter(action="case.material_viewed", actor_id=world["clerk"].pk).count() == 2
    other = case.materials.get(material_code="M02")  # no file (marked uploaded without one)
    assert client.get(reverse("cases_workbench:material", args=[case.pk, other.pk])).status_code == 404
    outsider = staff("civil-rev", Role.REVIEWER, factories.department("civil", name="民政局"))
    assert login(client, outsider).get(url).status_code == 403
    assert AuditRecord.objects.filter(action="case.access_denied", actor_id=outsider.pk).exists()
    # a material of another case under this case's address: 404
    second = submitted_case(world, item)
    wrong = reverse("cases_workbench:material", args=[second.pk, m.pk])
    assert login(client, world["clerk"]).get(wrong).status_code == 404


@pytest.mark.django_db
def test_unmasking_personal_data_is_audited(client, world, case):
    full_id = case.form_data["id_number"]
    login(client, world["clerk"])
    page = client.get(case_url(case)).content.decode()
    assert full_id not in page and full_id[:6] + "********" + full_id[-4:] in page
    assert "138****0001" in page and "显示完整信息" in page
    assert "张*" in page and "张三" not in page
    resp = client.post(reverse("cases_workbench:unmask", args=[case.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200 and full_id in body and "13800000001" in body and "张三" in body
    assert AuditRecord.objects.filter(action="case.unmask", actor_id=world["clerk"].pk,
                                      object_id=str(case.pk)).exists()
    assert full_id not in client.get(case_url(case)).content.decode()  # back to masked
    supervisor = User.objects.create_user(username="sup", password="x", name="监察员")
    assign_role(supervisor, Role.SUPERVISOR, region=world["market"].region)
    login(client, supervisor)
    assert client.get(WORKLIST)["Location"] == BOARD  # no worklist of their own
    page = client.get(case_url(case)).content.decode()
    assert "显示完整信息" not in page and full_id not in page
    assert client.post(reverse("cases_workbench:unmask", args=[case.pk])).status_code == 403


@pytest.mark.django_db
def test_board_counts_warning_and_overdue_open_cases(client, world, item):
    supervisor = User.objects.create_user(username="sup", password="x", name="监察员")
    assign_role(supervisor, Role.SUPERVISOR, region=world["market"].region)
    day = today()
    cases = {}
    for label, due, status in [("overdue", day - dt.timedelta(days=3), CaseStatus.IN_REVIEW),
                               ("today", day, CaseStatus.IN_REVIEW),
                               ("far", day + dt.timedelta(days=60), CaseStatus.IN_REVIEW),
                               ("paused", day - dt.timedelta(days=3), CaseStatus.SUSPENDED),
                               ("done", day - dt.timedelta(days=3), CaseStatus.COMPLETED),
                               ("accepted", day - dt.timedelta(days=1), CaseStatus.ACCEPTED)]:
        c = submitted_case(world, item)
        Case.objects.filter(pk=c.pk).update(due_date=due, status=status)
        cases[label] = c
    login(client, supervisor)
    resp = client.get(BOARD)
    body = resp.content.decode()
    assert resp.status_code == 200
    counts = resp.context["counts"]
    assert [(r["department"].code, r["warning"], r["overdue"]) for r in counts] == [("market", 1, 2)]
    assert resp.context["totals"] == {"warning": 1, "overdue": 2}
    for label in ("overdue", "today", "accepted"):
        assert cases[label].number in body
    for label in ("far", "paused", "done"):
        assert cases[label].number not in body
    assert "红灯" in body and "黄灯" in body
    overdue = client.get(BOARD, {"level": "overdue", "department": world["market"].pk}).content.decode()
    assert cases["overdue"].number in overdue and cases["today"].number not in overdue
    warning = client.get(BOARD, {"level": "warning"}).content.decode()
    assert cases["today"].number in warning and cases["overdue"].number not in warning
    # a supervisor elsewhere sees none of them
    other_region = factories.department("far", name="外县", region=_other_county()).region
    elsewhere = User.objects.create_user(username="sup2", password="x")
    assign_role(elsewhere, Role.SUPERVISOR, region=other_region)
    assert login(client, elsewhere).get(BOARD).context["counts"] == []


def _other_county():
    from yiwang.org.models import Region

    factories.county()
    return Region.objects.get_or_create(code="370811", defaults={"name": "任城区", "level": 3,
                                                                  "parent_id": "370800"})[0]


@pytest.mark.django_db
def test_special_procedure_and_extension_through_the_page(client, world, case):
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    wi = open_item(case, "undertake")
    login(client, world["undertaker"])
    page = client.get(case_url(case)).content.decode()
    assert "启动特别程序" in page and "检验检测" in page and "延期" not in page.split("办理流程")[0]
    resp = client.post(act_url(wi), {"action": "start_special", "kind": "nonsense"})
    assert resp.status_code == 400 and "请从列表中选择" in resp.content.decode()
    client.post(act_url(wi), {"action": "start_special", "kind": "testing", "opinion": "送检"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    page = client.get(case_url(case)).content.decode()
    assert "结束特别程序" in page and "通过，转下一环节" not in page and "计时暂停" in page
    resp = client.post(act_url(wi), {"action": "end_special"})
    assert resp.status_code == 400 and "请填写特别程序结果" in resp.content.decode()
    client.post(act_url(wi), {"action": "end_special", "result": "检测合格"})
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    # 延期 is offered to the approver of the department (at the 批准 step)
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass")
    handling.act(world["reviewer"], open_item(case, "review"), "pass")
    login(client, world["approver"])
    approve = open_item(case, "approve")
    assert "延长工作日数" in client.get(case_url(case)).content.decode()
    resp = client.post(act_url(approve), {"action": "extend", "working_days": "abc", "reason": "需补充现场核查"})
    assert resp.status_code == 400 and "请输入整数" in resp.content.decode() and "需补充现场核查" in resp.content.decode()
    before = case.due_date
    client.post(act_url(approve), {"action": "extend", "working_days": "5", "reason": "需补充现场核查"})
    case.refresh_from_db()
    assert case.due_date > before and case.extensions.count() == 1
    # the done tab lists what the undertaker did
    done = login(client, world["undertaker"]).get(WORKLIST, {"status": "done"}).content.decode()
    assert case.number in done and "通过" in done
