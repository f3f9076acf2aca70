"""Whole journeys of 办件 in Chromium on the demo data, each page checked by axe-core and for CSP
violations (``visit``/``check_a11y``):

- a 承诺件 from the citizen's application through 补正, 受理, 承办, 审核, 批准, 办结 to 送达 at the
  window, the citizen seeing the status and who handles it after each step, and the anonymous
  progress query at the end;
- a 联审 item reviewed by two departments in the order not listed, the 决定 step reaching the lead
  department's approver only after both;
- 企业开办一件事: one submission by the legal representative → a child case in each department,
  and the parent finishing when the last child does;
- 帮办代办: the township proxy agent applies for ``citizen2``, who sees the case as their own;
- 窗口收件: a window clerk registers a walk-in applicant, fills in, scans and submits.

Only a few items of the demo catalogue are imported per test (``browser_helpers.load_demo``), so
the file runs in well under a minute."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from yiwang.accounts.models import VerificationLevel
from yiwang.accounts.policies import enterprises_of
from yiwang.cases import applying, bundles, handling
from yiwang.cases.models import Case, DeliveryMethod, WorkItem
from yiwang.cases.status import CaseStatus, Outcome
from yiwang.cases.tests.browser_helpers import (
    act_on_page,
    action_form,
    answers,
    choose_files,
    drive_to_end,
    fill_form,
    load_demo,
    login,
    pdf_bytes,
    png_file,
    user,
    wait_for,
)
from yiwang.catalog.models import Bundle, ServiceItem
from yiwang.testing.browser import check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 社会保障卡申领: a personal 承诺件 of 人社局, accepted at the 综合窗口, with two materials and a
# 结果领取方式 question.
PROMISED = "11370812MB2291497U4000111003001"
# 娱乐场所经营许可: 联审 by 应急管理局 and 公安局, decided by 文化和旅游局 (an enterprise item).
JOINT = "11370812MB0810652H4000120001001"
# 高龄津贴申领: what the township proxy agent applies for on behalf of an elderly citizen.
ELDERLY_ALLOWANCE = "11370812MB188355444000106003001"
BUNDLE = "enterprise-opening"
WALK_IN_ID = "37081219520307046X"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads of the test stay out of var/media
    return tmp_path


def _case_on(page) -> Case:
    return Case.objects.get(pk=int(re.search(r"/cases/(\d+)/", page.url).group(1)))


def _declare_and_submit(page) -> tuple[str, str]:
    """Tick the declaration, submit, and read the receipt's number and query password."""
    page.get_by_label("我已阅读并作出以上承诺").check()
    page.get_by_role("button", name="提交申请").click()
    wait_for(page, r"/cases/\d+/receipt/$")
    check_a11y(page)
    number = page.get_by_test_id("case-number").inner_text().strip()
    password = page.get_by_test_id("query-password").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z-]{10,50}", number) and re.fullmatch(r"\d{6}", password)
    return number, password


def _citizen_sees(page, case: Case, status: str, steps: str | None) -> None:
    """The applicant's detail page: the status, and the current step with its department (— if none)."""
    visit(page, f"/cases/{case.pk}/")
    expect(page.get_by_test_id("case-status")).to_have_text(re.compile(rf"^{re.escape(status)}"))
    if steps is None:
        expect(page.get_by_test_id("current-steps")).to_have_text("—")
    else:
        expect(page.get_by_test_id("current-steps")).to_contain_text(steps)


def _open_from_worklist(page, number: str, step: str, case: Case) -> None:
    visit(page, "/workbench/cases/")
    row = page.locator("tbody tr", has_text=number)
    expect(row).to_contain_text(step)
    row.get_by_role("link", name=re.compile("办理")).click()
    wait_for(page, rf"/workbench/cases/{case.pk}/$")
    check_a11y(page)


def test_promised_item_from_application_to_delivery(media, new_page):
    load_demo(items=(PROMISED,))
    item = ServiceItem.objects.select_related("current", "department").get(code=PROMISED)
    version, lead = item.current, item.department.name
    window = applying.accepting_department(item).name
    materials = list(version.materials.order_by("order", "id"))

    # the citizen applies online, choosing to collect the result at the window
    citizen = new_page()
    login(citizen, "citizen1", f"/cases/apply/{PROMISED}/")
    wait_for(citizen, r"/cases/\d+/edit/$")
    check_a11y(citizen)
    data = answers(version.form_schema, version.form_ui, applicant=user("citizen1"),
                   choose={"delivery_method": DeliveryMethod.WINDOW.value})
    fill_form(citizen, version.form_schema, version.form_ui, data)
    assert choose_files(citizen) == len(materials)
    number, password = _declare_and_submit(citizen)
    case = Case.objects.get(number=number)
    assert case.form_data["delivery_method"] == "window"
    assert case.delivery_method == DeliveryMethod.WINDOW  # the applicant's choice on the form
    _citizen_sees(citizen, case, "已申报", f"受理：{window}")

    # the window clerk asks for 补正 of the second material (one notice listing it)
    clerk = new_page()
    login(clerk, "window1", "/workbench/cases/")
    check_a11y(clerk)
    _open_from_worklist(clerk, number, "受理", case)
    panel = action_form(clerk, "补正告知")
    panel.locator("summary").click()
    panel.get_by_label(materials[-1].name, exact=True).check()
    panel.get_by_label("办理意见").fill("照片不清晰，请重新上传")
    panel.get_by_role("button", name="补正告知").click()
    clerk.wait_for_load_state()
    expect(clerk.get_by_text("“受理”已办理：补正告知。")).to_be_visible()
    check_a11y(clerk)

    # the citizen sees the notice and re-supplies only that material
    _citizen_sees(citizen, case, "补齐补正", None)
    correction = citizen.locator("#correction")
    expect(correction.locator(".correction-list")).to_contain_text(materials[-1].name)
    slots = correction.locator('input[type="file"]')
    expect(slots).to_have_count(1)
    slots.set_input_files(png_file("照片.png"))
    correction.get_by_role("button", name="提交补正").click()
    expect(citizen.get_by_text("补正材料已提交，等待窗口重新审核。")).to_be_visible()
    check_a11y(citizen)
    expect(citizen.get_by_test_id("case-status")).to_have_text("已申报")
    expect(citizen.get_by_test_id("current-steps")).to_contain_text(f"受理：{window}")

    # 受理 → 承办 (undertaker) → 审核 (reviewer) → 批准 (approver)
    visit(clerk, f"/workbench/cases/{case.pk}/")
    act_on_page(clerk, "受理", opinion="补正后材料齐全，予以受理")
    check_a11y(clerk)
    _citizen_sees(citizen, case, "审查中", f"承办：{lead}")
    expect(citizen.get_by_role("link", name="受理通知书")).to_be_visible()

    undertaker = new_page()
    login(undertaker, "hrss-undertaker", "/workbench/cases/")
    _open_from_worklist(undertaker, number, "承办", case)
    act_on_page(undertaker, "通过", button="通过，转下一环节", opinion="符合办理条件")
    _citizen_sees(citizen, case, "审查中", f"审核：{lead}")

    reviewer = new_page()
    login(reviewer, "hrss-reviewer", "/workbench/cases/")
    _open_from_worklist(reviewer, number, "审核", case)
    act_on_page(reviewer, "通过", button="通过，转下一环节", opinion="审核通过")
    _citizen_sees(citizen, case, "审查中", f"批准：{lead}")

    approver = new_page()
    login(approver, "hrss-approver", "/workbench/cases/")
    _open_from_worklist(approver, number, "批准", case)
    act_on_page(approver, "准予许可", opinion="同意")
    check_a11y(approver)
    _citizen_sees(citizen, case, "已决定（准予）", f"办结：{lead}")

    # 办结 by the undertaker, 送达 at the window
    _open_from_worklist(undertaker, number, "办结", case)
    act_on_page(undertaker, "办结")
    _citizen_sees(citizen, case, "已办结", f"送达：{window}")

    _open_from_worklist(clerk, number, "送达", case)
    expect(action_form(clerk, "送达").get_by_label("窗口领取")).to_be_checked()
    act_on_page(clerk, "送达", opinion="申请人已当场领取社会保障卡")
    check_a11y(clerk)
    expect(clerk.locator(".process-current")).to_have_count(0)

    _citizen_sees(citizen, case, "已送达（准予）", None)
    expect(citizen.locator(".info-list")).to_contain_text("窗口领取")
    timeline = citizen.locator(".case-timeline")
    for step in ("申报", "补正告知", "补正提交", "受理", "承办", "审核", "批准", "办结", "送达"):
        expect(timeline).to_contain_text(step)
    save_screenshot(citizen, "cases-journey-delivered")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.delivery_method) == (
        CaseStatus.DELIVERED, Outcome.GRANT, DeliveryMethod.WINDOW)

    anonymous = new_page()
    visit(anonymous, "/cases/progress/")
    anonymous.get_by_label("办件编号").fill(number)
    anonymous.get_by_label("查询密码").fill(password)
    anonymous.get_by_role("button", name="查询").click()
    anonymous.wait_for_load_state()
    check_a11y(anonymous)
    expect(anonymous.get_by_test_id("progress-status")).to_have_text("已送达")
    expect(anonymous.locator(".progress-result")).to_contain_text("张*")
    expect(anonymous.locator(".progress-result")).not_to_contain_text("张明")


def test_joint_review_reaches_the_decision_only_after_both_departments(media, new_page):
    load_demo(items=(JOINT,))
    item = ServiceItem.objects.select_related("current", "department").get(code=JOINT)
    version, lead = item.current, item.department
    listed = sorted(d.code for d in version.joint_departments.all())
    assert len(listed) == 2
    corp = user("corp1")
    enterprise = enterprises_of(corp).get()
    data = answers(version.form_schema, version.form_ui, applicant=corp, enterprise=enterprise)
    case, _created = applying.create_draft(corp, JOINT, data, enterprise=enterprise)
    for m in case.materials.all():
        applying.attach_material(corp, case, m.material_code, SimpleUploadedFile("材料.pdf", pdf_bytes()))
    case = applying.submit(corp, case, declaration=True)
    accept = case.work_items.get(step="accept")
    handling.act(user("window1"), accept, "accept")
    joint = {w.department.code: w.department.name
             for w in case.work_items.filter(step="joint_review", status=WorkItem.Status.OPEN)}
    assert sorted(joint) == listed
    first, second = listed[1], listed[0]  # not the order the item lists them in

    approver = new_page()
    login(approver, f"{lead.code}-approver", "/workbench/cases/")
    check_a11y(approver)
    expect(approver.locator("tbody tr", has_text=case.number)).to_have_count(0)

    reviewer_b = new_page()
    login(reviewer_b, f"{first}-reviewer", "/workbench/cases/")
    _open_from_worklist(reviewer_b, case.number, "联审", case)
    act_on_page(reviewer_b, "通过", button="通过，转下一环节", opinion="消防（治安）条件符合要求")
    # only the other department's review is current now
    current = reviewer_b.locator(".process-current")
    expect(current).to_contain_text("联审")
    expect(current).to_contain_text(joint[second])
    expect(current).not_to_contain_text(joint[first])

    visit(approver, "/workbench/cases/")
    expect(approver.locator("tbody tr", has_text=case.number)).to_have_count(0)
    assert not case.work_items.filter(step="decide").exists()

    reviewer_a = new_page()
    login(reviewer_a, f"{second}-reviewer", "/workbench/cases/")
    _open_from_worklist(reviewer_a, case.number, "联审", case)
    act_on_page(reviewer_a, "通过", button="通过，转下一环节", opinion="同意")

    _open_from_worklist(approver, case.number, "决定", case)
    timeline = approver.locator(".timeline-table")
    expect(timeline).to_contain_text("消防（治安）条件符合要求")
    act_on_page(approver, "准予许可", opinion="两部门联审均通过，准予许可")
    check_a11y(approver)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.DECIDED, Outcome.GRANT)
    assert case.work_items.get(step="complete", status=WorkItem.Status.OPEN).department == lead
    save_screenshot(approver, "cases-journey-joint-decided")


def test_enterprise_opening_bundle_one_submission_many_departments(media, new_page):
    load_demo(bundles=(BUNDLE,))
    bundle = Bundle.objects.get(code=BUNDLE)
    members = bundles.member_items(bundle)
    corp = user("corp1")
    enterprise = enterprises_of(corp).get()

    page = new_page()
    login(page, "corp1", f"/cases/bundle/{BUNDLE}/")
    # an enterprise bundle asks first in whose name (the one verified enterprise is preselected)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label(re.compile(re.escape(enterprise.name)))).to_be_checked()
    page.get_by_role("button", name="开始填写").click()
    wait_for(page, r"/cases/\d+/edit/$")
    check_a11y(page)
    parent = _case_on(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(bundle.name)
    expect(page.get_by_text(f"分送 {len(members)} 个事项")).to_be_visible()
    schema, ui = applying.form_of(parent)
    fill_form(page, schema, ui, answers(schema, ui, applicant=corp, enterprise=enterprise))
    assert choose_files(page) == parent.materials.count()
    save_screenshot(page, "cases-journey-bundle-draft")
    number, _password = _declare_and_submit(page)
    expect(page.locator(".receipt")).to_contain_text(f"您的“{bundle.name}”申请已提交")

    parent.refresh_from_db()
    assert parent.number == number and parent.status == CaseStatus.SUBMITTED
    children = list(Case.objects.filter(parent=parent).select_related("department", "accepting_department")
                    .order_by("id"))
    assert sorted(c.item.code for c in children) == sorted(i.code for i in members)
    assert {c.department.code for c in children} == {i.department.code for i in members}
    assert len({c.department_id for c in children}) == len(members)  # one department each
    for child in children:
        assert child.status == CaseStatus.SUBMITTED and child.enterprise == enterprise
        assert child.work_items.get(step="accept", status=WorkItem.Status.OPEN).department == \
            child.accepting_department
        assert not child.materials.filter(required=True, status="missing").exists()

    visit(page, "/cases/")
    expect(page.locator(".result-count")).to_have_text(f"共 {len(children) + 1} 件")
    expect(page.locator(".case-card", has_text=number).get_by_role("heading")).to_have_text(bundle.name)
    for child in children:
        card = page.locator(".case-card", has_text=child.number)
        expect(card.get_by_role("heading")).to_have_text(child.item_version.name)
        expect(card).to_contain_text(f"受理（{child.accepting_department.name}）")
    # the parent's page lists the child cases and who handles each
    _citizen_sees(page, parent, "已申报", None)
    expect(page.get_by_role("heading", level=1)).to_have_text(bundle.name)
    listed = page.locator("#children .case-card")
    expect(listed).to_have_count(len(children))
    for child in children:
        expect(listed.filter(has_text=child.number)).to_contain_text(
            f"受理（{child.accepting_department.name}）")
    _citizen_sees(page, children[0], "已申报", f"受理：{children[0].accepting_department.name}")

    # the departments handle their own cases; the parent follows and finishes with the last one
    for child in children[:-1]:
        drive_to_end(child)
    parent.refresh_from_db()
    assert parent.status == CaseStatus.IN_REVIEW
    _citizen_sees(page, parent, "审查中", None)
    steps = drive_to_end(children[-1])
    assert steps[0] == "accept" and steps[-1] in ("complete", "deliver")
    for child in children:
        child.refresh_from_db()
        assert child.status == CaseStatus.DELIVERED, child.item.code
    parent.refresh_from_db()
    assert parent.status == CaseStatus.DELIVERED
    _citizen_sees(page, parent, "已送达", None)
    expect(page.locator(".case-timeline")).to_contain_text("一件事：已送达")
    for child in children:
        expect(page.locator("#children .case-card", has_text=child.number)).to_contain_text("已送达")
    save_screenshot(page, "cases-journey-bundle-parent")
    visit(page, "/cases/?status=done")
    expect(page.locator(".result-count")).to_have_text(f"共 {len(children) + 1} 件")


def test_proxy_agent_applies_for_citizen2_who_sees_the_case(media, new_page):
    load_demo(items=(ELDERLY_ALLOWANCE,))
    item = ServiceItem.objects.select_related("current").get(code=ELDERLY_ALLOWANCE)
    version = item.current
    principal, agent = user("citizen2"), user("proxy1")
    assert agent.level >= VerificationLevel.IDENTITY  # the demo proxy agent is real-name verified

    page = new_page()
    login(page, "proxy1", f"/cases/apply/{ELDERLY_ALLOWANCE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(version.name)
    check_a11y(page)
    page.get_by_role("link", name=re.compile(rf"代 {principal.name}")).click()
    wait_for(page, r"/cases/\d+/edit/$")
    check_a11y(page)
    expect(page.get_by_text(f"您正在代 {principal.name} 申请")).to_be_visible()
    case = _case_on(page)
    assert (case.applicant, case.proxy_agent, case.channel) == (principal, agent, "proxy")
    # prefilled from the principal's profile, not the agent's
    expect(page.locator('[name="applicant_name"]')).to_have_value(principal.name)
    fill_form(page, version.form_schema, version.form_ui,
              answers(version.form_schema, version.form_ui, applicant=principal))
    choose_files(page)
    number, _password = _declare_and_submit(page)
    visit(page, "/cases/")
    expect(page.locator(".case-card", has_text=number)).to_contain_text("已申报")

    citizen = new_page()
    login(citizen, "citizen2", "/cases/")
    check_a11y(citizen)
    card = citizen.locator(".case-card", has_text=number)
    expect(card).to_contain_text("已申报")
    card.get_by_role("link", name=version.name).click()
    wait_for(citizen, rf"/cases/{case.pk}/$")
    check_a11y(citizen)
    expect(citizen.get_by_test_id("case-number")).to_have_text(number)
    expect(citizen.get_by_test_id("current-steps")).to_contain_text("受理")


def test_window_clerk_registers_a_walk_in_case(media, new_page):
    load_demo(items=(PROMISED,))
    item = ServiceItem.objects.select_related("current").get(code=PROMISED)
    version = item.current

    page = new_page()
    login(page, "window1", "/workbench/cases/walk-in/")
    wait_for(page, r"/workbench/cases/walk-in/$")
    check_a11y(page)
    page.get_by_label("办理事项").select_option(PROMISED)
    page.get_by_label("申请人姓名").fill("赵桂兰")
    page.get_by_label("居民身份证号码").fill(WALK_IN_ID)
    page.get_by_label("手机号码").fill("13800000077")
    page.get_by_label("已当面核验申请人身份证原件，人证一致").check()
    page.get_by_role("button", name="登记申请人并开始收件").click()
    wait_for(page, r"/cases/\d+/edit/$")
    check_a11y(page)
    expect(page.get_by_text("窗口收件：为现场核验身份的申请人 赵桂兰 代录")).to_be_visible()
    case = _case_on(page)
    person = case.applicant
    assert (person.name, person.id_number, case.registered_by, case.channel) == (
        "赵桂兰", WALK_IN_ID, user("window1"), "window")
    expect(page.locator('[name="applicant_id_number"]')).to_have_value(WALK_IN_ID)
    fill_form(page, version.form_schema, version.form_ui,
              answers(version.form_schema, version.form_ui, applicant=person))
    slots = page.locator('input[type="file"][name^="file-"]')
    for i in range(slots.count()):  # the scanned paper materials
        slots.nth(i).set_input_files(png_file(f"扫描件{i + 1}.png"))
    number, _password = _declare_and_submit(page)
    expect(page.locator(".receipt")).to_contain_text("赵桂兰")
    save_screenshot(page, "cases-journey-walk-in-receipt")

    visit(page, "/workbench/cases/")
    row = page.locator("tbody tr", has_text=number)
    expect(row).to_contain_text("受理")
    expect(row).to_contain_text("赵*")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert all(m.content_kind == "png" for m in case.materials.exclude(file=""))
