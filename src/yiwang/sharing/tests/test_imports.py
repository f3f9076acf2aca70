"""Bulk import into platform-hosted resources (issue 8 (a)): CSV / XLSX / JSON files and the
JSON API, incremental by subject, all or nothing with a validation report, the provider's data
steward only, limits, the page, and a round-trip property through the exchange."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.roles import Role
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.identifiers import make_uscc
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import exchange, imports
from yiwang.sharing.models import HostedRecord, ImportBatch, Resource, ShareType

ITEMS = [{"name": "name", "label": "姓名", "type": "string", "sensitivity": "personal"},
         {"name": "birth_date", "label": "出生日期", "type": "date", "sensitivity": "personal"},
         {"name": "months", "label": "缴费月数", "type": "integer", "sensitivity": "personal"},
         {"name": "income", "label": "月收入", "type": "number", "sensitivity": "sensitive"},
         {"name": "insured", "label": "是否参保", "type": "boolean", "sensitivity": "personal"}]
P1, P2, P3 = demo_id_number("19880512", "001"), demo_id_number("19900101", "002"), demo_id_number("19751130", "013")
BAD_CHECK = P1[:17] + ("0" if P1[17] != "0" else "1")


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    market = factories.department("market", name="市场监管局")
    resource = Resource.objects.create(code="RS-IMP", name="社保参保信息", provider=police, items=ITEMS,
                                       share_type=ShareType.UNCONDITIONAL)
    remote = Resource.objects.create(code="RS-HTTP", name="接口资源", provider=police, items=ITEMS[:1],
                                     share_type=ShareType.UNCONDITIONAL, backing=Resource.Backing.HTTP,
                                     endpoint_url="http://127.0.0.1:9/x")
    return {"police": police, "market": market, "resource": resource, "remote": remote,
            "steward": staff("steward-police", Role.DATA_STEWARD, police),
            "other_steward": staff("steward-market", Role.DATA_STEWARD, market),
            "undertaker": staff("und-police", Role.UNDERTAKER, police)}


def read(world, subject: str) -> dict:
    reading = exchange.read(world["resource"], subject, consumer=world["market"], purpose="测试")
    assert reading.ok, reading.reason
    return reading.values


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def import_csv(world, rows: list[list], **kw) -> ImportBatch:
    return imports.import_file(world["steward"], world["resource"], csv_bytes(rows, **kw), filename="data.csv")


def errors_of(batch: ImportBatch) -> list[tuple[int, str]]:
    return [(e["row"], e["field"]) for e in batch.errors]


# --- files ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_creates_then_merges_updates_and_deletes(world):
    first = import_csv(world, [["身份证号", "姓名", "出生日期", "缴费月数", "月收入", "是否参保"],
                               [P1, "张三", "1988-05-12", "126", "5230.5", "是"],
                               [P2, " 李四 ", "1990-01-01", "", "6000", "否"],
                               [P3, "王五", "", "3", "", "1"]])
    assert (first.status, first.rows_total, first.rows_created, first.rows_updated, first.rows_deleted) == (
        "applied", 3, 3, 0, 0)
    assert first.channel == "csv" and first.filename == "data.csv" and first.error_count == 0
    assert read(world, P1) == {"name": "张三", "birth_date": "1988-05-12", "months": 126, "income": 5230.5,
                               "insured": True}
    assert read(world, P2) == {"name": "李四", "birth_date": "1990-01-01", "months": None, "income": 6000,
                               "insured": False}
    # The second batch names items by their names and leaves cells blank: those keep their value.
    second = import_csv(world, [["subject", "months", "income", "_action"],
                                [P1, "127", "", ""],
                                [P2, "", "", "删除"],
                                [demo_id_number("20010203", "044"), "1", "", ""]])
    assert (second.status, second.rows_created, second.rows_updated, second.rows_deleted) == ("applied", 1, 1, 1)
    assert read(world, P1) == {"name": "张三", "birth_date": "1988-05-12", "months": 127, "income": 5230.5,
                               "insured": True}
    assert exchange.read(world["resource"], P2, consumer=world["market"], purpose="测试").result == "not_found"
    assert HostedRecord.objects.filter(resource=world["resource"]).count() == 3
    with connection.cursor() as cursor:  # encrypted at rest, found by blind index
        cursor.execute(f"SELECT subject, subject_index, data FROM {HostedRecord._meta.db_table}")
        raw = cursor.fetchall()
    assert all(subject.startswith("v1$") and data.startswith("v1$") and len(index) == 64
               for subject, index, data in raw)
    actions = list(AuditRecord.objects.filter(action__startswith="sharing.import").values_list("action", flat=True))
    assert actions == ["sharing.import_applied", "sharing.import_applied"] and audit.verify().ok
    event = OutboxEvent.objects.filter(name="sharing.import_applied").order_by("pk").last()
    assert event.payload == {"batch_id": second.pk, "resource": "RS-IMP", "rows_total": 3, "created": 1,
                             "updated": 1, "deleted": 1}


@pytest.mark.django_db
def test_gb18030_csv_and_legacy_15_digit_ids(world):
    legacy = P1[:6] + P1[8:17]  # the 15-digit form of P1: stored under the 18-digit number
    batch = import_csv(world, [["身份证号", "姓名"], [legacy, "赵六"]], encoding="gb18030")
    assert batch.status == "applied"
    assert read(world, P1)["name"] == "赵六"


@pytest.mark.django_db
def test_xlsx_first_sheet_with_typed_cells(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "姓名", "出生日期", "缴费月数", "月收入", "是否参保"])
    sheet.append([P1, "张三", dt.datetime(1988, 5, 12), 126, 5230.5, True])
    sheet.append([None, None, None, None, None, None])  # a blank row: skipped, numbering kept
    sheet.append([P2, 12345, dt.date(1990, 1, 1), 7.0, 6000, "否"])
    book.create_sheet("说明").append(["这张表不读"])
    buf = io.BytesIO()
    book.save(buf)
    batch = imports.import_file(world["steward"], world["resource"], buf.getvalue(), filename="参保.xlsx")
    assert (batch.status, batch.channel, batch.rows_total, batch.rows_created) == ("applied", "xlsx", 2, 2)
    assert read(world, P1) == {"name": "张三", "birth_date": "1988-05-12", "months": 126, "income": 5230.5,
                               "insured": True}
    assert read(world, P2)["name"] == "12345" and read(world, P2)["months"] == 7
    # Row numbers are the sheet's: the bad row is row 4 (row 3 is blank).
    sheet.append([BAD_CHECK, "错", None, None, None, None])
    sheet.cell(row=4, column=4, value="七")
    buf = io.BytesIO()
    book.save(buf)
    bad = imports.import_file(world["steward"], world["resource"], buf.getvalue(), filename="参保.xlsx")
    assert bad.status == "rejected" and errors_of(bad) == [(4, "months"), (5, "subject")]


@pytest.mark.django_db
def test_json_file_array_or_rows_object(world):
    rows = [{"subject": P1, "name": "张三", "months": 3, "insured": False, "income": 1.25}]
    one = imports.import_file(world["steward"], world["resource"], json.dumps(rows).encode(), filename="a.json")
    two = imports.import_file(world["steward"], world["resource"],
                              json.dumps({"rows": [{"subject": P1, "months": "4"}]}).encode(), filename="b.json")
    assert (one.channel, one.rows_created, two.rows_updated) == ("json", 1, 1)
    assert read(world, P1) == {"name": "张三", "birth_date": None, "months": 4, "income": 1.25, "insured": False}


@pytest.mark.django_db
def test_organisation_subjects_by_uscc(world):
    resource = Resource.objects.create(code="SJ-IMP", name="企业登记", provider=world["police"],
                                       subject_kind=Resource.SubjectKind.ORGANISATION, items=ITEMS[:1],
                                       share_type=ShareType.UNCONDITIONAL)
    uscc = make_uscc("9", "1", "370812", "MA00K7L2")
    batch = imports.import_rows(world["steward"], resource, [{"统一社会信用代码": uscc.lower(), "姓名": "某公司"},
                                                             {"subject": P1, "name": "x"}], channel="api")
    assert batch.status == "rejected" and errors_of(batch) == [(2, "subject")]
    batch = imports.import_rows(world["steward"], resource, [{"subject": uscc.lower(), "name": "某公司"}], channel="api")
    assert batch.status == "applied"
    assert exchange.read(resource, uscc, consumer=world["market"], purpose="测试").values == {"name": "某公司"}


# --- all or nothing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_rows_write_nothing_and_the_report_names_rows_and_fields(world):
    import_csv(world, [["subject", "name", "months"], [P1, "张三", "1"]])
    before = list(HostedRecord.objects.values_list("pk", "updated_at"))
    batch = import_csv(world, [
        ["身份证号", "姓名", "出生日期", "缴费月数", "月收入", "是否参保", "操作", "籍贯"],  # 籍贯: unknown column
        [P1, "张三丰", "1988-02-30", "", "", "", "", "山东"],       # 2: no such date
        [BAD_CHECK, "李四", "", "", "", "", "", ""],              # 3: check digit
        [P2, "x" * 501, "", "1.5", "abc", "也许", "", ""],        # 4: too long, not an integer, number, boolean
        [P2, "重复", "", "", "", "", "", ""],                      # 5: duplicate subject
        [P3, "a\x07b", "", "", "", "", "", ""],                   # 6: control character
        [P3[:-1] + "", "", "", "", "", "", "", ""],               # 7: 17 characters
        [demo_id_number("19700101", "009"), "", "", "", "", "", "删除", ""],  # 8: nothing to delete
        [demo_id_number("19700101", "019"), "", "", "", "", "", "改", ""],    # 9: unknown action
        [demo_id_number("19700101", "029"), "", "", "", "", "", "", ""],     # 10: no item given
        ["", "无名", "", "", "", "", "", ""],                                   # 11: no subject
    ])
    assert batch.status == "rejected" and batch.rows_total == 10
    assert (batch.rows_created, batch.rows_updated, batch.rows_deleted) == (0, 0, 0)
    assert errors_of(batch) == [(1, "籍贯"), (2, "birth_date"), (3, "subject"), (4, "name"), (4, "months"),
                                (4, "income"), (4, "insured"), (5, "subject"), (6, "name"), (7, "subject"),
                                (8, "subject"), (9, "_action"), (10, ""), (11, "subject")]
    assert batch.error_count == 14
    messages = {(e["row"], e["field"]): e["message"] for e in batch.errors}
    assert "校验码" in messages[(3, "subject")] and "第 4 行" in messages[(5, "subject")]
    assert "YYYY-MM-DD" not in messages[(2, "birth_date")] and "日期" in messages[(2, "birth_date")]
    assert list(HostedRecord.objects.values_list("pk", "updated_at")) == before
    assert read(world, P1)["name"] == "张三"
    assert AuditRecord.objects.filter(action="sharing.import_rejected").count() == 1
    assert OutboxEvent.objects.get(name="sharing.import_rejected").payload == {
        "batch_id": batch.pk, "resource": "RS-IMP", "rows_total": 10, "error_count": 14}


@pytest.mark.django_db
def test_api_rows_report_unknown_keys_wrong_types_and_non_objects(world):
    batch = imports.import_rows(world["steward"], world["resource"], [
        {"subject": P1, "name": ["a"], "colour": "red"}, "not a row", {"subject": P2, "months": True,
                                                                        "insured": 2, "birth_date": "19900101"},
        {"subject": P3, "name": "ok", "姓名": "twice"}], channel="api")
    assert errors_of(batch) == [(1, "name"), (1, "colour"), (2, ""), (3, "months"), (3, "insured"),
                                (3, "birth_date"), (4, "name")]


@pytest.mark.django_db
def test_the_stored_report_is_capped_but_counts_every_error(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_STORED_ERRORS", 5)
    batch = imports.import_rows(world["steward"], world["resource"],
                                [{"subject": P1, "months": "x"}] * 8, channel="api")
    assert batch.error_count == 15 and len(batch.errors) == 5  # 8 bad months + 7 duplicates
    assert [e["row"] for e in batch.errors] == [1, 2, 2, 3, 3]


@pytest.mark.django_db
def test_large_batches_are_chunked(world, monkeypatch):
    for name, size in (("LOOKUP_CHUNK", 3), ("CREATE_BATCH", 4), ("UPDATE_BATCH", 2), ("DELETE_CHUNK", 3)):
        monkeypatch.setattr(imports, name, size)
    subjects = [demo_id_number("19800101", f"{n:03d}") for n in range(25)]
    made = imports.import_rows(world["steward"], world["resource"],
                               [{"subject": s, "months": n} for n, s in enumerate(subjects)], channel="api")
    rows = [{"subject": s, "income": 1} for s in subjects[:10]] + [
        {"subject": s, "_action": "delete"} for s in subjects[10:17]]
    changed = imports.import_rows(world["steward"], world["resource"], rows, channel="api")
    assert (made.rows_created, changed.rows_updated, changed.rows_deleted) == (25, 10, 7)
    assert HostedRecord.objects.count() == 18
    assert read(world, subjects[9]) | {"name": None} == {"name": None, "birth_date": None, "months": 9,
                                                          "income": 1, "insured": None}


# --- who and what --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_providers_data_steward_imports_hosted_resources(world):
    rows = [{"subject": P1, "name": "张三"}]
    for actor in (world["other_steward"], world["undertaker"]):
        with pytest.raises(PermissionDenied):
            imports.import_rows(actor, world["resource"], rows, channel="api")
        with pytest.raises(PermissionDenied):
            imports.batches(actor, world["resource"])
    with pytest.raises(Conflict) as exc:
        imports.import_rows(world["steward"], world["remote"], rows, channel="api")
    assert exc.value.status == 409 and "接口" in exc.value.message
    assert not ImportBatch.objects.exists() and not HostedRecord.objects.exists()


@pytest.mark.django_db
def test_file_limits_and_unreadable_files(world, settings):
    settings.YIWANG_SHARING_IMPORT_MAX_ROWS = 3
    settings.YIWANG_SHARING_IMPORT_MAX_BYTES = 2000
    too_many = [["subject", "name"]] + [[demo_id_number("19800101", f"{n:03d}"), "x"] for n in range(4)]
    cases = [(csv_bytes(too_many), "a.csv", 413, "too_many_rows"),
             (json.dumps([{"subject": P1}] * 4).encode(), "a.json", 413, "too_many_rows"),
             (b"subject,name\n" + b"x" * 2000, "a.csv", 413, "too_large"),
             (b"PK\x03\x04 not really a zip", "a.xlsx", 400, "bad_file"),
             (b"{\"rows\": [", "a.json", 400, "bad_file"),
             (b"[NaN]", "a.json", 400, "bad_file"),
             (b"{\"rows\": 3}", "a.json", 400, "validation_error"),
             (b"", "a.csv", 400, "empty"),
             (b"subject,name\n", "a.csv", 400, "empty"),
             (b"\xff\xfe\x00\x00", "a.csv", 400, "bad_encoding"),
             (b"a", "a.pdf", 400, "unsupported_format")]
    for content, name, status, code in cases:
        with pytest.raises(ApiError) as exc:
            imports.import_file(world["steward"], world["resource"], content, filename=name)
        assert (exc.value.status, exc.value.code) == (status, code), name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_headers_missing_subject_or_repeated(world):
    batch = import_csv(world, [["姓名", "name", "", "月收入"], ["张三", "x", "stray", "1"]])
    assert errors_of(batch) == [(1, "name"), (1, "subject"), (2, ""), (2, "subject")]
    assert "没有表头" in batch.errors[2]["message"]


# --- API -----------------------------------------------------------------------------------------


URL = "/api/v1/sharing/resources/{}/{}"


@pytest.mark.django_db
def test_api_records_applied_and_rejected_shapes(client, world):
    url = URL.format("RS-IMP", "records")
    ok = client.post(url, {"rows": [{"subject": P1, "name": "张三", "months": 2}]}, content_type="application/json",
                     **bearer(world["steward"]))
    assert ok.status_code == 201
    body = ok.json()
    assert {k: body[k] for k in ("status", "rows_total", "created", "updated", "deleted", "error_count", "errors")} == {
        "status": "applied", "rows_total": 1, "created": 1, "updated": 0, "deleted": 0, "error_count": 0, "errors": []}
    assert ImportBatch.objects.get(pk=body["id"]).channel == "api"
    bad = client.post(url, [{"subject": P1, "months": "two"}], content_type="application/json",
                      **bearer(world["steward"]))
    assert bad.status_code == 400
    report = bad.json()
    assert report["code"] == "import_rejected" and "1 处错误" in report["message"]
    assert report["status"] == "rejected" and report["errors"] == [{"row": 1, "field": "months",
                                                                    "message": "应为整数。"}]
    assert read(world, P1)["months"] == 2
    for who, code, status in ((world["other_steward"], "RS-IMP", 403), (world["steward"], "RS-HTTP", 409),
                              (world["steward"], "NOPE", 404)):
        refused = client.post(URL.format(code, "records"), {"rows": []}, content_type="application/json",
                              **bearer(who))
        assert refused.status_code == status and set(refused.json()) == {"code", "message", "fields"}
    assert client.post(url, b"{oops", content_type="application/json", **bearer(world["steward"])).status_code == 400
    assert client.post(url, {"rows": []}, content_type="application/json",
                       **bearer(world["steward"])).json()["code"] == "empty"
    assert client.post(url, {"rows": [{"subject": P1}]}, content_type="application/json").status_code == 401
    documented = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/sharing/resources/{code}/records"]
    assert "rows" in json.dumps(documented["post"]["requestBody"]) and {"201", "400"} <= set(documented["post"]["responses"])


@pytest.mark.django_db
def test_api_body_larger_than_djangos_form_limit_and_our_limit(client, world, settings):
    url = URL.format("RS-IMP", "records")
    rows = [{"subject": demo_id_number(f"{1950 + n // 1000}0101", f"{n % 1000:03d}"), "name": "名" * 450}
            for n in range(3000)]
    payload = json.dumps({"rows": rows}, ensure_ascii=False).encode()
    assert len(payload) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    answer = client.post(url, payload, content_type="application/json", **bearer(world["steward"]))
    assert answer.status_code == 201 and answer.json()["created"] == 3000
    settings.YIWANG_SHARING_IMPORT_MAX_BYTES = 1000
    too_big = client.post(url, payload, content_type="application/json", **bearer(world["steward"]))
    assert too_big.status_code == 413 and too_big.json()["code"] == "too_large"


@pytest.mark.django_db
def test_api_file_upload_and_history(client, world):
    url = URL.format("RS-IMP", "imports")
    upload = io.BytesIO(csv_bytes([["身份证号", "姓名"], [P1, "张三"]]))
    upload.name = "参保.csv"
    made = client.post(url, {"file": upload}, **bearer(world["steward"]))
    assert made.status_code == 201 and made.json()["created"] == 1
    bad = io.BytesIO(json.dumps([{"subject": BAD_CHECK}]).encode())
    bad.name = "x.json"
    rejected = client.post(url, {"file": bad}, **bearer(world["steward"]))
    assert rejected.status_code == 400 and rejected.json()["errors"][0]["row"] == 1
    listed = client.get(url, **bearer(world["steward"])).json()
    assert listed["total"] == 2 and [b["status"] for b in listed["items"]] == ["rejected", "applied"]
    assert listed["items"][1]["filename"] == "参保.csv" and "errors" not in listed["items"][0]
    detail = client.get(f"{url}/{listed['items'][0]['id']}", **bearer(world["steward"])).json()
    assert detail["error_count"] == 1 and detail["errors"][0]["field"] == "subject"
    assert client.get(url, **bearer(world["other_steward"])).status_code == 403
    assert client.get(f"{url}/{listed['items'][0]['id']}", **bearer(world["other_steward"])).status_code == 403
    assert client.post(url, {}, **bearer(world["steward"])).status_code == 400


# --- the page ------------------------------------------------------------------------------------


PAGE = "/sharing/resources/{}/import/"


@pytest.mark.django_db
def test_page_upload_report_history_and_template(client, world):
    client.force_login(world["steward"])
    page = client.get(PAGE.format("RS-IMP"))
    body = page.content.decode()
    assert page.status_code == 200 and 'type="file"' in body and "template.csv" in body and "还没有导入过数据" in body
    template = client.get(PAGE.format("RS-IMP") + "template.csv")
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode("utf-8-sig").strip() == "身份证号,姓名,出生日期,缴费月数,月收入,是否参保,操作"
    good = io.BytesIO(csv_bytes([["身份证号", "姓名"], [P1, "张三"], [P2, "李四"]]))
    good.name = "good.csv"
    done = client.post(PAGE.format("RS-IMP"), {"file": good, "confirm": "1"}, follow=True)
    assert done.status_code == 200 and "已导入 2 行：新增 2，更新 0，删除 0" in done.content.decode()
    bad = io.BytesIO(csv_bytes([["身份证号", "缴费月数"], [P1, "很多"]]))
    bad.name = "bad.csv"
    shown = client.post(PAGE.format("RS-IMP"), {"file": bad, "confirm": "1"}, follow=True).content.decode()
    assert "未导入任何数据" in shown and "<td>2</td><td>缴费月数</td><td>应为整数。</td>" in shown
    assert "good.csv" in shown and "bad.csv" in shown  # the history
    unconfirmed = io.BytesIO(csv_bytes([["身份证号", "姓名"], [P3, "王五"]]))
    unconfirmed.name = "c.csv"
    refused = client.post(PAGE.format("RS-IMP"), {"file": unconfirmed})
    assert refused.status_code == 400 and "请勾选确认" in refused.content.decode()
    assert ImportBatch.objects.count() == 2


@pytest.mark.django_db
def test_page_is_for_the_providers_steward_and_hosted_resources(client, world, settings):
    assert client.get(PAGE.format("RS-IMP")).status_code == 302  # to the login page
    client.force_login(world["other_steward"])
    assert client.get(PAGE.format("RS-IMP")).status_code == 403
    assert client.get(PAGE.format("RS-IMP") + "template.csv").status_code == 403
    client.force_login(world["steward"])
    remote = client.get(PAGE.format("RS-HTTP")).content.decode()
    assert "不能在这里导入" in remote and 'type="file"' not in remote
    upload = io.BytesIO(b"subject,name\n")
    upload.name = "a.csv"
    assert client.post(PAGE.format("RS-HTTP"), {"file": upload, "confirm": "1"}).status_code == 409
    assert client.get(PAGE.format("NOPE")).status_code == 404
    for odd in ("²", "99999999999999999999", "-1", "x"):
        assert client.get(PAGE.format("RS-IMP"), {"batch": odd}).status_code == 200
    settings.YIWANG_SHARING_IMPORT_MAX_BYTES = 10
    big = io.BytesIO(b"subject,name\n" + b"x" * 100)
    big.name = "big.csv"
    too_big = client.post(PAGE.format("RS-IMP"), {"file": big, "confirm": "1"})
    assert too_big.status_code == 413 and "文件过大" in too_big.content.decode()


# --- property: what is imported is what the exchange reads ---------------------------------------


_counter = itertools.count()
_text = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s != "")
_values = {"name": _text, "birth_date": st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
           "months": st.integers(-(2**53) + 1, 2**53 - 1),
           "income": st.floats(allow_nan=False, allow_infinity=False, width=64) | st.integers(-10**9, 10**9),
           "insured": st.booleans()}
_row = st.sets(st.sampled_from(sorted(_values)), min_size=1).flatmap(
    lambda keys: st.fixed_dictionaries({k: _values[k] for k in keys}))
_batch = st.lists(st.tuples(st.dates(dt.date(1950, 1, 1), dt.date(2010, 12, 31)), st.integers(0, 999), _row),
                  min_size=1, max_size=8, unique_by=lambda t: (t[0], t[1]))


@pytest.mark.django_db
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=_batch, as_csv=st.booleans())
def test_any_valid_batch_round_trips_through_the_exchange(world, batch, as_csv):
    resource = Resource.objects.create(code=f"RT-{next(_counter)}", name="往返", provider=world["police"],
                                       items=ITEMS, share_type=ShareType.UNCONDITIONAL)
    rows = [{"subject": demo_id_number(born.strftime("%Y%m%d"), f"{seq:03d}"), **values}
            for born, seq, values in batch]
    if as_csv:
        header = ["subject", *[i["name"] for i in ITEMS]]
        cells = [[_cell(r.get(h)) for h in header] for r in rows]
        made = imports.import_file(world["steward"], resource, csv_bytes([header, *cells]), filename="p.csv")
    else:
        payload = json.dumps([{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()}
                              for r in rows]).encode()
        made = imports.import_file(world["steward"], resource, payload, filename="p.json")
    assert (made.status, made.rows_created) == ("applied", len(rows)), made.errors
    for r in rows:
        reading = exchange.read(resource, r["subject"], consumer=world["market"], purpose="往返")
        expected = {i["name"]: r.get(i["name"]) for i in ITEMS}
        if expected["birth_date"] is not None:
            expected["birth_date"] = expected["birth_date"].isoformat()
        assert reading.values == expected


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)
