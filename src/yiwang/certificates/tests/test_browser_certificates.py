"""The certificate journey in Chromium (issue 7, "Done when"): a granted case issues a
certificate; the holder sees it in the wallet and downloads the PDF (Chinese text and a QR code
that decodes); the QR URL opens the verify page (有效); the department revokes it; the page says
已注销; and while it was valid a later application fetched it by itself (已自动获取)."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from pypdf import PdfReader

from yiwang.cases import applying
from yiwang.cases.models import Case, CaseMaterial, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.browser_helpers import (
    STEP_ACTION,
    answers,
    load_demo,
    login,
    pdf_bytes,
    staff_for,
    user,
)
from yiwang.catalog.models import ServiceItem
from yiwang.certificates.demo import load_demo_certificate_types
from yiwang.certificates.models import Certificate
from yiwang.core.worker import Worker
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_CARD = "11370812MB9784737W4000104002001"  # 居民身份证申领、换领 → 居民身份证（电子证照）
RESIDENCE = "11370812MB9784737W4000104004001"  # 居住证申领（首次）: needs the 居民身份证


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _granted_case(username: str, code: str) -> Case:
    """Apply and drive the review through the services up to the 准予 decision."""
    from yiwang.cases import handling

    citizen = user(username)
    item = ServiceItem.objects.select_related("current").get(code=code)
    case, _ = applying.create_draft(citizen, code)
    applying.save_form(citizen, case, answers(item.current.form_schema, item.current.form_ui, applicant=citizen))
    for m in case.materials.exclude(status=CaseMaterial.Status.AUTO):
        applying.attach_material(citizen, case, m.material_code,
                                 SimpleUploadedFile(f"{m.name}.pdf", pdf_bytes(), content_type="application/pdf"))
    applying.submit(citizen, case, declaration=True)
    for _ in range(10):
        case.refresh_from_db()
        if case.status == CaseStatus.DECIDED:
            return case
        wi = case.work_items.filter(status=WorkItem.Status.OPEN).select_related("department", "case").first()
        handling.act(staff_for(wi), wi, STEP_ACTION[wi.step], {})
    raise AssertionError(f"not decided: {case.status}")


def _qr_url(pdf: bytes) -> str:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, "the PDF should carry exactly one QR code"
    return codes[0].text


def test_issue_wallet_download_verify_revoke_and_reuse(media, settings, live_server, new_page, tmp_path):
    settings.YIWANG_SITE_URL = live_server.url  # the QR code must open this test server
    load_demo(items=(ID_CARD, RESIDENCE))
    load_demo_certificate_types()

    # 1. a granted case issues the certificate (the worker consumes case.decided) and completes
    case = _granted_case("citizen2", ID_CARD)
    Worker("browser-test").run_until_idle()
    case.refresh_from_db()
    cert = Certificate.objects.get(case=case)
    assert case.status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED) and case.result_code == "0"

    # 2. the holder sees it in the wallet and downloads the PDF
    holder = new_page()
    login(holder, "citizen2", "/certificates/")
    card = holder.locator(".cert-card", has_text="居民身份证")
    expect(card).to_have_count(1)
    expect(card.locator(".cert-status")).to_have_text("有效")
    check_a11y(holder)
    with holder.expect_download() as download:
        card.get_by_role("link", name=re.compile("下载 PDF")).click()
    pdf = (tmp_path / "cert.pdf")
    download.value.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "居民身份证" in text and "王秀英" in text and cert.identifier in text
    pypdfium2.PdfDocument(data)[0].render(scale=1.3).to_pil().save(tmp_path / "cert.png")
    url = _qr_url(data)
    assert url.startswith(live_server.url) and cert.identifier in url

    # 3. the QR code's URL opens the verify page: valid
    visit(holder, url.removeprefix(live_server.url))
    result = holder.locator(".verify-result")
    expect(result.locator(".cert-status")).to_have_text("有效")
    expect(result).to_contain_text("济宁市公安局兖州区分局")
    expect(result).not_to_contain_text(user("citizen2").id_number)
    check_a11y(holder)
    save_screenshot(holder, "certificates-verify-valid")

    # 4. while it is valid, a later application that needs it gets it by itself
    visit(holder, f"/cases/apply/{RESIDENCE}/")
    holder.wait_for_url(re.compile(r"/cases/\d+/edit/$"))
    slot = holder.locator(".material-slot", has_text="居民身份证")
    expect(slot.locator(".material-state")).to_have_text("已自动获取")
    check_a11y(holder)
    later = Case.objects.filter(applicant=user("citizen2"), item__code=RESIDENCE).get()
    assert later.materials.get(source="证照库").reference == cert.identifier
    visit(holder, f"/certificates/{cert.pk}/")
    expect(holder.locator("table", has_text="用证记录").or_(holder.locator(".data-table"))).to_contain_text(
        "办件自动获取")
    check_a11y(holder)

    # … and lends it: a code and QR for a purpose; the third party sees the purpose and a watermarked copy
    holder.get_by_label("用途").fill("向房东出示，办理租房备案")
    holder.get_by_label("有效期（小时）").fill("2")
    holder.get_by_role("button", name="生成授权码").click()
    holder.wait_for_load_state()
    code = holder.locator(".grant-code").inner_text().strip()
    expect(holder.locator("img.grant-qr")).to_be_visible()
    check_a11y(holder)
    save_screenshot(holder, "certificates-grant")
    third = new_page()
    visit(third, f"/certificates/shared/?code={code}")
    expect(third.get_by_label("授权码")).to_have_value(code)
    third.get_by_role("button", name="查看").click()
    third.wait_for_load_state()
    expect(third.get_by_text(re.compile("持证人授权用途：向房东出示，办理租房备案"))).to_be_visible()
    check_a11y(third)
    visit(holder, f"/certificates/{cert.pk}/")
    expect(holder.locator("table", has_text="方式")).to_contain_text("授权查看")

    # 5. the issuing department revokes it, with a reason and a confirmation
    approver = new_page()
    login(approver, "police-approver", f"/certificates/manage/{cert.pk}/")
    check_a11y(approver)
    approver.get_by_label("注销").check()
    approver.get_by_label("理由").fill("证件信息有误，依申请注销")
    approver.get_by_role("button", name="提交").click()
    expect(approver.get_by_text("请选择操作并勾选确认。")).to_be_visible()  # not without the confirmation
    approver.get_by_label("注销").check()
    approver.get_by_label("理由").fill("证件信息有误，依申请注销")
    approver.get_by_label(re.compile("确认执行该操作")).check()
    approver.get_by_role("button", name="提交").click()
    expect(approver.get_by_text("已完成：注销。")).to_be_visible()
    check_a11y(approver)

    # 6. the verify page now says revoked
    visit(holder, url.removeprefix(live_server.url))
    expect(holder.locator(".verify-result .cert-status")).to_have_text("已注销")
    expect(holder.locator(".verify-result")).not_to_contain_text("证件信息有误")  # the reason is not public
    check_a11y(holder)
    visit(holder, f"/certificates/{cert.pk}/")  # … the holder sees it
    expect(holder.locator(".cert-fields")).to_contain_text("证件信息有误，依申请注销")

    # the wallet on a phone-sized screen
    phone = new_page(viewport=MOBILE_VIEWPORT)
    login(phone, "citizen2", "/certificates/")
    expect(phone.locator(".cert-card .cert-status")).to_have_text("已注销")
    check_a11y(phone)
    save_screenshot(phone, "certificates-wallet-mobile")
