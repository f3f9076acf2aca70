"""数据导入 in Chromium: the police data steward uploads a CSV with bad rows and reads the
validation report (nothing imported), then a good one and sees the counts and the history;
axe-checked, also on a phone-sized screen."""

import csv
import io

import pytest
from playwright.sync_api import expect

from yiwang.accounts.demo import demo_id_number
from yiwang.cases.tests.browser_helpers import load_demo, login, user
from yiwang.sharing import exchange
from yiwang.sharing.demo import load_demo_sharing
from yiwang.sharing.models import HostedRecord, ImportBatch, Resource
from yiwang.testing.browser import MOBILE_VIEWPORT, check_a11y, save_screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/sharing/resources/GA-HJRK/import/"


def csv_file(name: str, rows: list[list[str]]) -> dict:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return {"name": name, "mimeType": "text/csv", "buffer": buf.getvalue().encode("utf-8-sig")}


def upload(page, file: dict) -> None:
    page.get_by_label("数据文件（CSV、XLSX 或 JSON）").set_input_files(file)
    page.get_by_label("确认导入", exact=False).check()
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state()


def test_steward_uploads_reads_the_report_then_imports(new_page):
    load_demo()
    load_demo_sharing()
    citizen1 = user("citizen1").id_number
    newcomer = demo_id_number("19991231", "066")
    records = HostedRecord.objects.filter(resource__code="GA-HJRK").count()
    page = new_page()
    login(page, "police-steward", URL)
    check_a11y(page)
    expect(page.get_by_role("link", name="下载 CSV 模板")).to_be_visible()

    upload(page, csv_file("人口-有错.csv", [["身份证号", "户籍地址", "籍贯"],
                                           [citizen1, "兖州区新地址1号", ""],
                                           [newcomer[:-1] + ("0" if newcomer[-1] != "0" else "1"), "某地", ""]]))
    report = page.get_by_role("table", name="校验报告（行号与表格中的行号一致：第 1 行为表头）")
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report.locator("tbody tr").nth(0)).to_contain_text("籍贯")
    expect(report.locator("tbody tr").nth(1)).to_contain_text("校验码")
    expect(page.get_by_text("未导入任何数据").first).to_be_visible()
    check_a11y(page)
    save_screenshot(page, "sharing-import-report")
    assert HostedRecord.objects.filter(resource__code="GA-HJRK").count() == records

    upload(page, csv_file("人口.csv", [["身份证号", "姓名", "户籍地址"],
                                      [citizen1, "", "山东省济宁市兖州区新地址1号"],
                                      [newcomer, "新居民", "山东省济宁市兖州区新驿镇"]]))
    expect(page.get_by_text("已导入 2 行：新增 1，更新 1，删除 0。").first).to_be_visible()
    expect(page.locator("#history-caption + thead + tbody tr, table:has(#history-caption) tbody tr")).to_have_count(2)
    check_a11y(page)
    market = Resource.objects.get(code="GA-HJRK").grants.get(status="approved").consumer
    reading = exchange.read("GA-HJRK", citizen1, consumer=market, purpose="核验", items=["name", "household_address"])
    assert reading.values["household_address"] == "山东省济宁市兖州区新地址1号" and reading.values["name"]

    phone = new_page(viewport=MOBILE_VIEWPORT)
    login(phone, "police-steward", URL)
    rejected = ImportBatch.objects.get(status="rejected")
    visit(phone, f"{URL}?batch={rejected.pk}")
    expect(phone.get_by_role("table", name="校验报告（行号与表格中的行号一致：第 1 行为表头）")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= MOBILE_VIEWPORT["width"]
    save_screenshot(phone, "sharing-import-phone")


def test_other_departments_steward_is_refused(new_page):
    load_demo()
    load_demo_sharing()
    page = new_page()
    login(page, "market-steward", "/")
    response = visit(page, URL, a11y=False)
    assert response.status == 403
