"""The public catalogue API (issue 4 "API"): field names and types exactly as specified, the list
envelope, 404/400 envelopes, and queries of any content answered normally."""

from __future__ import annotations

import re

import pytest

from yiwang.catalog import services
from yiwang.catalog.models import Bundle
from yiwang.catalog.tests import factories

pytestmark = pytest.mark.django_db

ISO_SHANGHAI = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
ITEM_KEYS = {"code", "name", "department", "item_type", "case_type", "process_template", "audiences",
             "online_depth_level", "legal_days", "promised_days", "visits"}
MATERIAL_KEYS = {"code", "name", "required", "necessity", "source", "source_label", "certificate_type"}
KPI_KEYS = {"online_rate", "fully_online_rate", "instant_rate", "time_compression_ratio", "avg_visits",
            "zero_visit_rate", "at_most_one_visit_rate", "items"}


@pytest.fixture
def cat():
    return factories.sample_catalogue()


def get(client, url, params=None, status=200):
    response = client.get(f"/api/v1/catalog{url}", params or {})
    assert response.status_code == status, (url, params, response.status_code, response.content[:400])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_error(body, code, fields=()):
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert set(fields) <= set(body["fields"]), body


def assert_envelope(body):
    assert set(body) == {"items", "total", "page", "page_size"}
    assert isinstance(body["items"], list)
    assert all(isinstance(body[k], int) for k in ("total", "page", "page_size"))


# --- items -----------------------------------------------------------------------------------------


def test_item_list_contract(client, cat):
    body = get(client, "/items")
    assert_envelope(body)
    assert (body["total"], body["page"], body["page_size"]) == (5, 1, 20)
    for row in body["items"]:
        assert ITEM_KEYS <= set(row)
        assert isinstance(row["code"], str) and isinstance(row["name"], str)
        assert set(row["department"]) == {"code", "name"}
        assert row["item_type"] in {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"}
        assert row["case_type"] in {"1", "2"}
        assert row["process_template"] in {"instant", "promised", "joint"}
        assert isinstance(row["audiences"], list) and all(a in "123456" and len(a) == 1 for a in row["audiences"])
        assert row["online_depth_level"] in {1, 2, 3, 4}
        assert row["legal_days"] is None or isinstance(row["legal_days"], int)
        assert isinstance(row["promised_days"], int) and isinstance(row["visits"], int)
        assert isinstance(row["item_type_label"], str) and isinstance(row["case_type_label"], str)
    company = body["items"][0]
    assert company["code"] == cat.company.code
    assert company["department"] == {"code": "market", "name": "济宁市兖州区市场监督管理局"}
    assert (company["item_type"], company["case_type"], company["audiences"]) == ("01", "2", ["2"])
    assert (company["online_depth_level"], company["legal_days"], company["promised_days"], company["visits"]) == (
        4, 15, 3, 0)
    birth = next(r for r in body["items"] if r["code"] == cat.birth_cert.code)
    assert birth["legal_days"] is None and birth["case_type"] == "1" and birth["process_template"] == "instant"


@pytest.mark.parametrize(("params", "expected"), [
    ({"audience": "2"}, {"企业设立登记", "食品经营许可"}),
    ({"audience": "1"}, {"出生医学证明办理", "社会保障卡申领", "新生儿参保登记"}),
    ({"department": "hrss"}, {"社会保障卡申领", "新生儿参保登记"}),
    ({"theme": "birth_adoption"}, {"出生医学证明办理", "新生儿参保登记"}),
    ({"item_type": "01"}, {"企业设立登记", "食品经营许可", "出生医学证明办理", "社会保障卡申领", "新生儿参保登记"}),
    ({"item_type": "20"}, set()),
    ({"case_type": "1"}, {"出生医学证明办理", "新生儿参保登记"}),
    ({"online": "full"}, {"企业设立登记", "社会保障卡申领", "新生儿参保登记"}),
    ({"online": "capable"}, {"企业设立登记", "食品经营许可", "出生医学证明办理", "社会保障卡申领", "新生儿参保登记"}),
    ({"tongban": "cross_province"}, {"企业设立登记"}),
    ({"charges": "true"}, {"社会保障卡申领"}),
    ({"audience": "1", "department": "hrss", "case_type": "2"}, {"社会保障卡申领"}),
])
def test_item_filters(client, cat, params, expected):
    body = get(client, "/items", params)
    assert {r["name"] for r in body["items"]} == expected
    assert body["total"] == len(expected)


def test_bad_filter_values_are_400_with_fields(client, cat):
    body = get(client, "/items", {"audience": "9", "department": "nope", "theme": "none", "item_type": "11",
                                  "case_type": "0", "online": "yes", "tongban": "moon", "charges": "perhaps"},
               status=400)
    assert_error(body, "validation_error", ["audience", "department", "theme", "item_type", "case_type", "online",
                                            "tongban", "charges"])
    body = get(client, "/items", {"page": "abc"}, status=400)
    assert_error(body, "validation_error", ["page"])
    body = get(client, "/items", {"page_size": "1.5"}, status=400)
    assert_error(body, "validation_error", ["page_size"])


def test_paging_is_clamped(client, cat):
    body = get(client, "/items", {"page_size": 1000})
    assert body["page_size"] == 100
    body = get(client, "/items", {"page": 0, "page_size": 2})
    assert body["page"] == 1 and len(body["items"]) == 2 and body["total"] == 5
    body = get(client, "/items", {"page": 3, "page_size": 2})
    assert len(body["items"]) == 1
    body = get(client, "/items", {"page": 10**15})
    assert body["items"] == [] and body["total"] == 5


@pytest.mark.parametrize("q", [
    "", " ", "x" * 1000, "营业执照" * 250, "！？。，、；：“”（）《》", "?!.,;:'\"()[]{}<>/\\|`~@#$%^&*-+=_",
    "😀🎉👶", "ＹＹＺＺ", "yyzz", "YYZZ", "' OR 1=1 --", "<script>alert(1)</script>", "社保卡\x00", "%", "_",
    "AND OR NOT", "NEAR(a b)", '"unbalanced', "a*", "^", "0", "繁體字查詢",
])
def test_any_query_is_answered(client, cat, q):
    body = get(client, "/items", {"q": q})
    assert_envelope(body)
    get(client, "/suggest", {"q": q})


def test_query_finds_items(client, cat):
    body = get(client, "/items", {"q": "社会保障卡"})
    assert body["items"][0]["code"] == cat.card.code
    body = get(client, "/items", {"q": "社会保障卡", "audience": "2"})
    assert cat.card.code not in [r["code"] for r in body["items"]]


def test_item_detail_contract(client, cat):
    body = get(client, f"/items/{cat.card.code}")
    assert ITEM_KEYS <= set(body)
    for key in ("form_schema", "form_ui", "materials", "fees", "legal_basis", "legal_limit", "promised_limit",
                "process_steps", "faq", "version", "versions", "place", "hours", "consult_phone",
                "supervise_phone", "conditions", "result", "visits_reason", "apply_url"):
        assert key in body, key
    assert body["form_schema"]["type"] == "object" and "properties" in body["form_schema"]
    assert "order" in body["form_ui"]
    assert body["legal_limit"] == {"value": 10, "unit": "workday", "unit_label": "工作日"}
    assert body["promised_limit"] == {"value": 5, "unit": "workday", "unit_label": "工作日"}
    assert body["fees"] == [{"name": "社会保障卡工本费", "standard": "首次申领免费，补换卡每张 20 元",
                             "basis": "《山东省物价局 山东省财政厅关于社会保障卡收费标准的通知》",
                             "reduction": "首次申领免收"}]
    for m in body["materials"]:
        assert MATERIAL_KEYS <= set(m)
        assert isinstance(m["required"], bool)
        assert m["necessity"] in {"required", "optional", "deferrable"}
        assert m["source"] in {"applicant", "government_issued", "certificate", "sharing"}
        assert isinstance(m["source_label"], str) and m["source_label"]
    id_card = body["materials"][0]
    assert (id_card["source"], id_card["source_label"], id_card["certificate_type"]) == ("certificate", "证照库", "JMSFZ")
    photo = body["materials"][1]
    assert photo["source"] == "applicant" and photo["certificate_type"] is None
    assert body["version"]["number"] == 1 and ISO_SHANGHAI.match(body["version"]["published_at"])
    assert body["versions"][0]["number"] == 1 and ISO_SHANGHAI.match(body["versions"][0]["published_at"])
    assert body["process_steps"][0] == {"name": "申请", "description": "网上或窗口提交"}
    assert body["faq"] == [{"q": "可以委托他人办理吗？", "a": "可以，需提交授权委托书。"}]


def test_item_detail_optional_material_is_not_required(client, cat):
    body = get(client, f"/items/{cat.insurance.code}")
    guardian = body["materials"][1]
    assert (guardian["necessity"], guardian["required"]) == ("optional", False)
    assert body["form_schema"]["allOf"][0]["then"] == {"required": ["relation_other"]}


def test_unknown_or_unpublished_item_is_404(client, cat):
    assert_error(get(client, "/items/nope", status=404), "not_found")
    draft = factories.item("草稿事项", publish=False)
    assert_error(get(client, f"/items/{draft.code}", status=404), "not_found")
    services.withdraw(factories.platform_admin(), cat.food, "停办")
    assert_error(get(client, f"/items/{cat.food.code}", status=404), "not_found")


def test_new_version_is_what_the_api_shows(client, cat):
    factories.republish(cat.card, promised_limit_value=2, change_note="压缩时限")
    body = get(client, f"/items/{cat.card.code}")
    assert body["version"]["number"] == 2 and body["promised_days"] == 2
    assert [v["number"] for v in body["versions"]] == [2, 1]


def test_suggest(client, cat):
    body = get(client, "/suggest", {"q": "社会"})
    assert {"code": cat.card.code, "name": "社会保障卡申领", "url": f"/services/{cat.card.code}/"} in body["items"]
    assert all(set(s) == {"code", "name", "url"} for s in body["items"])
    assert get(client, "/suggest", {"q": ""})["items"] == []
    assert get(client, "/suggest", {"q": "社", "limit": 500})["items"] is not None


# --- bundles, themes, life events ----------------------------------------------------------------


def test_bundles(client, cat):
    body = get(client, "/bundles")
    assert_envelope(body)
    assert body["items"][0]["code"] == "newborn" and body["items"][0]["item_count"] == 3
    assert get(client, "/bundles", {"audience": "enterprise"})["total"] == 0
    assert_error(get(client, "/bundles", {"audience": "martians"}, status=400), "validation_error", ["audience"])
    detail = get(client, "/bundles/newborn")
    assert [i["code"] for i in detail["items"]] == [cat.birth_cert.code, cat.insurance.code, cat.card.code]
    assert all(ITEM_KEYS <= set(i) for i in detail["items"])
    names = [m["name"] for m in detail["materials"]]
    assert len(names) == len(set(names)) == 4
    assert all(MATERIAL_KEYS <= set(m) and isinstance(m["items"], list) for m in detail["materials"])
    assert detail["total_time"]["value"] == 5 and detail["total_time"]["unit"] == "workday"
    assert detail["total_time"]["rule"] == "longest"
    assert detail["form_schema"]["type"] == "object" and "applicant_name" in detail["form_schema"]["properties"]
    assert set(detail["field_owners"]["relation"][0]) == {"item_code", "field"}
    assert_error(get(client, "/bundles/nope", status=404), "not_found")
    Bundle.objects.filter(code="newborn").update(published=False)
    assert_error(get(client, "/bundles/newborn", status=404), "not_found")


def test_themes_and_life_events(client, cat):
    body = get(client, "/themes")
    assert_envelope(body)
    rows = {t["code"]: t for t in body["items"]}
    assert rows["social_security"]["item_count"] == 2 and rows["social_security"]["audience"] == "personal"
    assert set(rows["establishment"]) >= {"code", "name", "audience", "audience_label", "item_count"}
    assert {t["code"] for t in get(client, "/themes", {"audience": "enterprise"})["items"]} == {"establishment"}
    assert_error(get(client, "/themes", {"audience": "x"}, status=400), "validation_error", ["audience"])
    events = get(client, "/life-events")
    assert events["items"][0]["code"] == "birth" and events["items"][0]["item_count"] == 2


# --- KPIs -----------------------------------------------------------------------------------------


def test_kpis(client, cat):
    body = get(client, "/kpis")
    assert KPI_KEYS <= set(body)
    assert body["items"] == 5 and body["fully_online_rate"] == 0.6 and body["instant_rate"] == 0.4
    assert all(isinstance(body[k], float) for k in KPI_KEYS - {"items"})
    market = get(client, "/kpis", {"department": "market"})
    assert market["items"] == 2 and market["scope"] == {"department": "market", "region": None}
    assert get(client, "/kpis", {"region": "370812"})["items"] == 5
    assert get(client, "/kpis", {"region": "370000"})["items"] == 5
    body = get(client, "/kpis", {"department": "nope", "region": "999999"}, status=400)
    assert_error(body, "validation_error", ["department", "region"])


def test_kpis_of_an_empty_scope(client, cat):
    factories.department("civil", "济宁市兖州区民政局")
    body = get(client, "/kpis", {"department": "civil"})
    assert body["items"] == 0 and body["online_rate"] is None


def test_endpoints_are_public_and_documented(client, cat):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/catalog/items", "/api/v1/catalog/items/{code}", "/api/v1/catalog/suggest",
                 "/api/v1/catalog/bundles", "/api/v1/catalog/bundles/{code}", "/api/v1/catalog/themes",
                 "/api/v1/catalog/kpis"):
        assert path in schema["paths"], path
        assert not schema["paths"][path]["get"].get("security"), path
