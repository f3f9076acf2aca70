"""在线办理 in Chromium on the demo data: citizen1 opens a 承诺件 guide, clicks 在线办理, logs in,
fills the server-rendered form (autosaved by the page script), uploads materials, declares and
submits, sees the receipt with the number and query password; the anonymous progress query then
shows 已申报. Every page is checked by axe-core and for CSP violations (``visit``/``check_a11y``);
screenshots at desktop width and at 375 px (elder mode) go to ``var/screenshots/cases-*.png``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from yiwang.accounts.demo import DEMO_PASSWORD
from yiwang.cases.forms import html_value
from yiwang.cases.tests.test_materials_progress import pdf_bytes
from yiwang.catalog import codes, formschema
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLABLE = {"text", "textarea", "select", "radio", "date", "number", "checkbox", "checkboxes", "id_number", "phone",
            "email"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads of the test stay out of var/media
    return tmp_path


@pytest.fixture
def demo(db, media):
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.catalog.demo import load_demo_catalogue
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    load_demo_accounts()
    load_demo_catalogue()


def promised_item() -> ServiceItem:
    """A personal 承诺件 that can be applied for online, with the fewest materials and a form whose
    required fields a test can fill without knowing the item."""
    candidates = []
    for item in (ServiceItem.objects.select_related("current")
                 .filter(current__status=VersionStatus.PUBLISHED, current__process_template="promised")):
        v = item.current
        if set(v.audiences or []) != {"1"} or not codes.is_online_capable(v.online_depth):
            continue
        specs = formschema.fields(v.form_schema, v.form_ui)
        if all(s.kind in FILLABLE for s in specs if s.required and s.condition is None):
            candidates.append((v.materials.count(), item.code, item))
    assert candidates, "the demo catalogue has no suitable 承诺件"
    return min(candidates, key=lambda c: c[:2])[2]


def triggers(specs) -> dict[str, set[str]]:
    """Values of controlling fields that would make a conditional field required."""
    out: dict[str, set[str]] = {}
    for s in specs:
        if s.condition is not None:
            out.setdefault(s.condition.field, set()).add(html_value(s.condition.equals))
    return out


def fill_required(page, item: ServiceItem) -> None:
    v = item.current
    specs = formschema.fields(v.form_schema, v.form_ui)
    avoid = triggers(specs)
    for s in specs:
        if not s.required or s.condition is not None:
            continue
        box = page.locator(f"#f-{s.html_name}")
        values = [o.value if isinstance(o.value, str) else str(o.value) for o in s.options]
        allowed = [x for x in values if x not in avoid.get(s.name, set())] or values
        if s.kind in ("text", "textarea", "id_number", "phone", "email"):
            if not box.input_value():
                box.fill({"phone": "13800000001", "email": "zhang@example.com"}.get(s.kind, "测试")[:s.max_length or 50])
        elif s.kind == "select":
            box.select_option(allowed[0])
        elif s.kind in ("radio", "checkboxes"):
            n = values.index(allowed[0]) + 1
            page.locator(f"#f-{s.html_name}-{n}").check()
        elif s.kind == "date":
            box.fill("2026-01-05")
        elif s.kind == "number":
            box.fill(str(int(s.minimum or 1)))
        elif s.kind == "checkbox" and "true" not in avoid.get(s.name, set()):
            box.check()


def no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def login(page) -> None:
    page.get_by_label("用户名 / 手机号 / 身份证号").fill("citizen1")
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()


def test_citizen_applies_online_and_queries_progress(demo, new_page):
    item = promised_item()
    page = new_page()
    visit(page, f"/services/{item.code}/")
    page.get_by_role("link", name="在线办理").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    check_a11y(page)
    login(page)
    page.wait_for_url(re.compile(r"/cases/\d+/edit/"))
    check_a11y(page)
    edit_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(item.current.name)
    # prefilled from citizen1's profile
    expect(page.locator("#f-applicant_name")).to_have_value("张明")

    fill_required(page, item)
    # the page script saves the draft a few seconds after a change, through the API
    expect(page.locator("[data-autosave-status]")).to_contain_text("已自动保存", timeout=15_000)
    check_a11y(page)
    visit(page, edit_url)  # a reload keeps what was typed: the draft lives on the server
    fill_required(page, item)

    materials = list(item.current.materials.order_by("order", "id"))
    first = materials[0]
    page.locator(f'input[name="file-{first.code}"]').set_input_files(
        {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()})
    page.locator(f"#slot-{first.code}").get_by_role("button", name="上传").click()
    page.wait_for_url(re.compile(r"/edit/#materials$"))
    check_a11y(page)
    expect(page.locator(f"#slot-{first.code} .material-state")).to_have_text("已上传")
    for m in materials[1:]:
        page.locator(f'input[name="file-{m.code}"]').set_input_files(
            {"name": f"{m.code}.png", "mimeType": "image/png", "buffer": png_bytes()})
    save_screenshot(page, "cases-draft-desktop")
    page.get_by_label("我已阅读并作出以上承诺").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/\d+/receipt/"))
    check_a11y(page)
    number = page.get_by_test_id("case-number").inner_text().strip()
    password = page.get_by_test_id("query-password").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z-]{10,50}", number) and re.fullmatch(r"\d{6}", password)
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    save_screenshot(page, "cases-receipt-desktop")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".doc-actions")).to_be_hidden()
    save_screenshot(page, "cases-receipt-print")
    page.emulate_media(media="screen")

    visit(page, "/cases/")
    expect(page.locator(".case-card").first).to_contain_text(number)
    expect(page.locator(".case-card").first).to_contain_text("已申报")
    save_screenshot(page, "cases-mine-desktop")

    anonymous = new_page()
    visit(anonymous, "/cases/progress/")
    anonymous.get_by_label("办件编号").fill(number)
    anonymous.get_by_label("查询密码").fill(password)
    anonymous.get_by_role("button", name="查询").click()
    anonymous.wait_for_load_state()
    check_a11y(anonymous)
    expect(anonymous.get_by_test_id("progress-status")).to_have_text("已申报")
    expect(anonymous.locator(".progress-result")).to_contain_text("张*")
    expect(anonymous.locator(".progress-result")).not_to_contain_text("张明")
    save_screenshot(anonymous, "cases-progress-desktop")


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 79, 158)).save(buf, format="PNG")
    return buf.getvalue()


def valid_answers(item: ServiceItem, citizen) -> dict:
    """Answers to the item's required fields (what fill_required types), for cases made directly."""
    from yiwang.cases.forms import prefill

    v = item.current
    specs = formschema.fields(v.form_schema, v.form_ui)
    avoid = triggers(specs)
    data = prefill(specs, {}, citizen)
    for s in specs:
        if not s.required or s.condition is not None or s.name in data:
            continue
        allowed = [o.value for o in s.options if html_value(o.value) not in avoid.get(s.name, set())]
        data[s.name] = {"select": (allowed or [None])[0], "radio": (allowed or [None])[0],
                        "checkboxes": allowed[:1], "date": "2026-01-05", "number": s.minimum or 1,
                        "checkbox": False}.get(s.kind, "测试")
    return data


def submitted_case(citizen, item: ServiceItem, key: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.cases import applying

    case = applying.create_draft(citizen, item.code, valid_answers(item, citizen), idempotency_key=key)[0]
    for m in case.materials.all():
        applying.attach_material(citizen, case, m.material_code, SimpleUploadedFile("材料.pdf", pdf_bytes()))
    return applying.submit(citizen, case, declaration=True)


def window_clerk_of(case):
    from yiwang.accounts.models import User
    from yiwang.cases.models import WorkItem

    work = WorkItem.objects.get(case=case, step="accept", status=WorkItem.Status.OPEN)
    clerk = User.objects.filter(staff_roles__role="window_clerk", staff_roles__department=work.department).first()
    return clerk, work


def test_phone_width_in_elder_mode(demo, new_page):
    """The draft and its errors, 我的办件, a case's detail (accepted; 补正), the 受理通知书 and the
    progress query at 375 px in elder mode."""
    from yiwang.accounts.models import User
    from yiwang.cases import applying, handling

    citizen = User.objects.get(username="citizen1")
    card = ServiceItem.objects.filter(code="11370812MB2291497U4000111003001").first() or promised_item()
    page = new_page(viewport=dict(MOBILE_VIEWPORT))
    visit(page, "/accounts/login/")
    login(page)
    page.wait_for_url(re.compile(r"/accounts/profile/"))
    page.get_by_role("button", name="长者模式").click()
    page.wait_for_load_state()
    case = applying.create_draft(citizen, card.code, idempotency_key="phone")[0]
    visit(page, f"/cases/{case.pk}/edit/")
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-draft-375-elder")
    # conditional fields follow their controlling field (page script)
    conditional = page.locator("[data-show-field]")
    if conditional.count():
        control = conditional.first.get_attribute("data-show-field")
        value = conditional.first.get_attribute("data-show-value")
        target = page.locator(f'[name="{control}"][value="{value}"]')
        if target.count() and target.first.get_attribute("type") == "radio":
            expect(conditional.first).to_be_hidden()
            target.first.check()
            expect(conditional.first).to_be_visible()
            check_a11y(page)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    check_a11y(page)
    expect(page.locator("#error-summary")).to_be_visible()
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-draft-errors-375-elder")

    item = promised_item()
    accepted = submitted_case(citizen, item, "accepted")
    clerk, work = window_clerk_of(accepted)
    handling.act(clerk, work, "accept", {"opinion": "材料齐全"})
    visit(page, f"/cases/{accepted.pk}/")
    expect(page.get_by_test_id("case-status")).to_have_text("审查中")
    expect(page.get_by_test_id("current-steps")).to_contain_text("承办")
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-detail-375-elder")
    page.get_by_role("link", name="受理通知书").click()
    page.wait_for_url(re.compile(r"/notice/accept/"))
    check_a11y(page)
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-notice-accept-375-elder")

    correcting = submitted_case(citizen, item, "correcting")
    clerk, work = window_clerk_of(correcting)
    first = correcting.materials.first().material_code
    handling.act(clerk, work, "request_correction", {"missing": [first, "申请表“工作单位”请填写全称"]})
    visit(page, f"/cases/{correcting.pk}/")
    expect(page.locator("#correction")).to_contain_text("工作单位")
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-detail-correction-375-elder")

    visit(page, "/cases/")
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-mine-375-elder")
    visit(page, "/cases/progress/")
    no_horizontal_scroll(page)
    save_screenshot(page, "cases-progress-375-elder")
