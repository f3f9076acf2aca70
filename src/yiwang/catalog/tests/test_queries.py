"""Catalogue read models: filters, cards, the guide, bundles (merged materials, total time),
themes, hot items, and the file downloads that the guide links to."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yiwang.catalog import formschema, queries
from yiwang.catalog.models import Bundle
from yiwang.catalog.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat():
    return factories.sample_catalogue()


# --- small helpers -------------------------------------------------------------------------------


def test_clean_query_never_fails():
    assert queries.clean_query(None) == ""
    assert queries.clean_query("  社保卡 \t 丢了\n") == "社保卡 丢了"
    assert queries.clean_query("a\x00b\x1fc") == "abc"
    assert len(queries.clean_query("营" * 1000)) == 100
    assert queries.clean_query("ＹＹＺＺ") == "ＹＹＺＺ"  # normalising is the search's job


def test_clamp_page():
    assert queries.clamp_page(None, None) == (1, 20)
    assert queries.clamp_page("x", "y") == (1, 20)
    assert queries.clamp_page(-5, 1000) == (1, 100)
    assert queries.clamp_page(10**30, 0)[0] == queries.MAX_PAGE


def test_limit_text():
    assert queries.limit_text(None, "workday") == "无法定时限"
    assert queries.limit_text(0, "workday") == "即时办结"
    assert queries.limit_text(20, "workday") == "20 个工作日"
    assert queries.limit_text(30, "natural_day") == "30 个自然日"


def test_parse_filters(cat):
    clean, errors = queries.parse_filters({
        "audience": "2", "department": "market", "theme": "establishment", "item_type": "01", "case_type": "1",
        "online": "full", "tongban": "cross_province", "charges": "false", "page": "3",
    })
    assert errors == {}
    assert clean == {"audience": "2", "department": "market", "theme": "establishment", "item_type": "01",
                     "case_type": "1", "online": "full", "tongban": "cross_province", "charges": False}
    assert queries.parse_filters({"charges": "yes"})[0] == {"charges": True}
    assert queries.parse_filters({"audience": "", "department": "  "}) == ({}, {})
    clean, errors = queries.parse_filters({
        "audience": "7", "department": "nope", "theme": "x", "item_type": "99", "case_type": "3", "online": "all",
        "tongban": "world", "charges": "maybe",
    })
    assert clean == {}
    assert set(errors) == set(queries.FILTER_NAMES)
    assert all(isinstance(m, str) and m for m in errors.values())


def test_filter_specs_offer_only_departments_and_themes_with_published_items(cat):
    factories.department("civil", "济宁市兖州区民政局")  # no items
    specs = {s.name: s for s in queries.filter_specs()}
    assert [c for c, _label in specs["department"].options] == ["health", "hrss", "market"]
    assert {c for c, _label in specs["theme"].options} == {"establishment", "birth_adoption", "social_security"}
    assert specs["online"].options[0] == ("full", "全程网办")
    assert specs["item_type"].secondary and not specs["department"].secondary


# --- cards and the listing ------------------------------------------------------------------------


def test_find_items_orders_by_popularity_and_filters(cat):
    result = queries.find_items("", {})
    assert result["total"] == 5
    assert [i["name"] for i in result["items"]] == ["企业设立登记", "社会保障卡申领", "出生医学证明办理",
                                                    "新生儿参保登记", "食品经营许可"]
    assert queries.find_items("", {"audience": "2"})["total"] == 2
    assert queries.find_items("", {"online": "full", "case_type": "1"})["items"][0]["name"] == "新生儿参保登记"
    paged = queries.find_items("", {}, page=2, page_size=2)
    assert paged["page"] == 2 and paged["page_size"] == 2 and len(paged["items"]) == 2


def test_find_items_drops_items_no_longer_published(cat):
    from yiwang.catalog import services

    services.withdraw(factories.platform_admin(), cat.food, "停止办理")
    names = [i["name"] for i in queries.find_items("", {})["items"]]
    assert "食品经营许可" not in names


def test_item_card_fields(cat):
    card = queries.item_card(cat.company)
    assert card["department"] == {"code": "market", "name": "济宁市兖州区市场监督管理局"}
    assert card["audiences"] == ["2"] and card["audiences_labels"] == ["企业法人"]
    assert card["online_depth_level"] == 4 and card["fully_online"] and card["online_capable"]
    assert (card["legal_days"], card["promised_days"], card["visits"]) == (15, 3, 0)
    assert card["url"] == f"/services/{cat.company.code}/"
    assert card["tongban_scope_label"] == "跨省通办"


# --- the guide ------------------------------------------------------------------------------------


def test_guide_of_published_items_only(cat):
    assert queries.guide("nope") is None
    draft = factories.item("草稿事项", publish=False)
    assert queries.guide(draft.code) is None
    data = queries.guide(cat.card.code)
    assert data["fees"][0]["name"] == "社会保障卡工本费"
    assert data["legal_limit"] == {"value": 10, "unit": "workday", "unit_label": "工作日"}
    assert data["promised_limit"]["value"] == 5
    assert data["apply_url"] == f"/cases/apply/{cat.card.code}/"
    assert data["version"]["number"] == 1 and data["version"]["published_at"].endswith("+08:00")
    assert [m["code"] for m in data["materials"]] == ["M01", "M02"]


def test_guide_shows_the_new_version_and_history(cat):
    factories.republish(cat.card, promised_limit_value=3, change_note="压缩承诺时限")
    data = queries.guide(cat.card.code)
    assert data["version"]["number"] == 2 and data["promised_days"] == 3
    assert [(v["number"], v["status"]) for v in data["versions"]] == [(2, "published"), (1, "superseded")]
    from yiwang.catalog import services

    services.new_draft(None, cat.card)  # a draft is never public
    assert [v["number"] for v in queries.guide(cat.card.code)["versions"]] == [2, 1]


def test_form_fields_of_the_guide(cat):
    data = queries.guide(cat.insurance.code)
    assert formschema.check_schema(data["form_schema"], data["form_ui"]) == {}
    fields = queries.form_fields(data)
    assert [f.name for f in fields] == ["applicant_name", "id_number", "relation", "relation_other", "children"]
    other = fields[3]
    assert other.condition.field == "relation" and other.condition.equals == "other"
    assert [c.name for c in fields[4].children] == ["name", "birth_date"]
    assert queries.form_fields({"form_schema": {}, "form_ui": {}}) == []
    assert queries.form_fields({"form_schema": {"properties": "broken"}, "form_ui": []}) == []


# --- bundles --------------------------------------------------------------------------------------


def test_bundle_merges_materials_once_by_name_or_certificate_type(cat):
    data = queries.bundle_detail("newborn")
    names = [m["name"] for m in data["materials"]]
    # 居民身份证 (出生医学证明办理 M02, 社会保障卡申领 M01 by name) and 监护人身份证 (新生儿参保登记, same
    # certificate type JMSFZ) are one material
    assert names == ["居民身份证", "住院分娩证明", "出生医学证明", "近期免冠证件照"]
    assert len(set(names)) == len(names)
    id_card = data["materials"][0]
    assert [u["name"] for u in id_card["items"]] == ["出生医学证明办理", "新生儿参保登记", "社会保障卡申领"]
    assert id_card["required"] is True and id_card["necessity"] == "required"  # required beats optional
    assert id_card["copies"] == 2  # the most any item asks for
    assert data["material_count_before_merge"] == 6


def test_bundle_total_time_is_the_longest_item(cat):
    data = queries.bundle_detail("newborn")
    assert data["total_time"]["value"] == 5 and data["total_time"]["unit"] == "workday"
    assert data["total_time"]["item_code"] == cat.card.code and data["total_time"]["rule"] == "longest"
    assert [i["promised_days"] for i in data["items"]] == [0, 0, 5]
    # a natural-day limit is compared in working days: 6 natural days (≈ 4.3 working days) < 5 working days
    slow = factories.item("补办事项", promised_limit_value=6, promised_limit_unit="natural_day",
                          legal_limit_value=30, legal_limit_unit="natural_day")
    members = [cat.card, slow]
    assert queries.bundle_total_time(members)["item_code"] == cat.card.code
    assert queries.bundle_total_time([]) is None


def test_bundle_merged_form_asks_shared_fields_once(cat):
    data = queries.bundle_detail("newborn")
    assert list(data["form_schema"]["properties"]).count("applicant_name") == 1
    owners = data["field_owners"]["applicant_name"]
    assert {o["item_code"] for o in owners} == {cat.birth_cert.code, cat.insurance.code, cat.card.code}


def test_bundles_hide_unpublished_bundles_and_items(cat):
    from yiwang.catalog import services

    services.withdraw(factories.platform_admin(), cat.card, "测试")
    data = queries.bundle_detail("newborn")
    assert [i["name"] for i in data["items"]] == ["出生医学证明办理", "新生儿参保登记"]
    assert queries.bundles().get(code="newborn").item_count == 2
    Bundle.objects.filter(code="newborn").update(published=False)
    assert queries.bundle_detail("newborn") is None
    assert queries.bundle_detail("nope") is None


# --- themes, life events, departments, hot items ------------------------------------------------


def test_themes_with_counts(cat):
    counts = {t["code"]: t["item_count"] for t in queries.themes_with_counts()}
    assert counts == {"establishment": 2, "birth_adoption": 2, "social_security": 2}
    factories.republish(cat.card, change_note="新版")  # a superseded version must not count twice
    assert {t["code"]: t["item_count"] for t in queries.themes_with_counts("personal")} == {
        "birth_adoption": 2, "social_security": 2}
    assert queries.theme_detail("social_security")["item_count"] == 2
    assert queries.theme_detail("nope") is None


def test_themes_with_items_lists_the_most_used(cat):
    themes = {t["code"]: t for t in queries.themes_with_items("personal", per_theme=1)}
    assert [i["name"] for i in themes["social_security"]["items"]] == ["社会保障卡申领"]
    assert [i["name"] for i in themes["birth_adoption"]["items"]] == ["出生医学证明办理"]


def test_hot_items_and_departments(cat):
    assert [i["name"] for i in queries.hot_items(2)] == ["企业设立登记", "社会保障卡申领"]
    assert [i["name"] for i in queries.hot_items(3, "enterprise")] == ["企业设立登记", "食品经营许可"]
    assert [i["name"] for i in queries.hot_items(1, "personal")] == ["社会保障卡申领"]
    depts = queries.departments_with_counts()
    assert {(d["code"], d["item_count"]) for d in depts} == {("market", 2), ("hrss", 2), ("health", 1)}
    assert depts[-1]["url"] == "/services/?department=health"


def test_life_events(cat):
    events = queries.life_events("personal")
    assert events[0]["code"] == "birth" and events[0]["item_count"] == 2
    detail = queries.life_event_detail("birth")
    assert [i["name"] for i in detail["items"]] == ["出生医学证明办理", "新生儿参保登记"]
    assert [b["code"] for b in detail["bundles"]] == ["newborn"]
    assert queries.life_event_detail("nope") is None


# --- downloads ------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_material_blank_form_and_sample_download(client, media):
    blank = default_storage.save("catalog/forms/apply.pdf", ContentFile(b"%PDF-1.4 blank"))
    sample = default_storage.save("catalog/samples/apply.html", ContentFile(b"<script>alert(1)</script>"))
    item = factories.item("婚姻登记", materials=[{"code": "M01", "name": "申请书", "blank_form": blank,
                                                   "sample": sample}])
    data = queries.guide(item.code)
    m = data["materials"][0]
    assert m["blank_form_url"] == f"/services/{item.code}/materials/M01/blank/?v=1"
    response = client.get(m["blank_form_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename" in response["Content-Disposition"]
    response = client.get(m["sample_url"])  # an uploaded HTML file is only ever an attachment
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    # without ?v= the published version; unknown kinds, materials, versions and items are 404
    assert client.get(f"/services/{item.code}/materials/M01/blank/").status_code == 200
    for url in (f"/services/{item.code}/materials/M01/other/", f"/services/{item.code}/materials/M09/blank/",
                f"/services/{item.code}/materials/M01/blank/?v=7", f"/services/{item.code}/materials/M01/blank/?v=x",
                "/services/nope/materials/M01/blank/", f"/services/{item.code}/result-sample/"):
        assert client.get(url).status_code == 404, url


def test_draft_files_are_not_downloadable(client, media):
    blank = default_storage.save("catalog/forms/draft.pdf", ContentFile(b"draft"))
    item = factories.item("草稿", publish=False, materials=[{"code": "M01", "name": "申请书", "blank_form": blank}])
    assert client.get(f"/services/{item.code}/materials/M01/blank/?v=1").status_code == 404
    assert client.get(f"/services/{item.code}/materials/M01/blank/").status_code == 404


def test_missing_file_is_404_not_500(client, media):
    item = factories.item("缺文件", materials=[{"code": "M01", "name": "申请书", "blank_form": "catalog/forms/gone.pdf"}])
    assert client.get(f"/services/{item.code}/materials/M01/blank/").status_code == 404
