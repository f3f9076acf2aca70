"""The committed demo catalogue (``catalog/data/demo_catalog.yaml``): content requirements of the
catalogue issue, structural checks, and a clean import through the real importer."""

from __future__ import annotations

import functools
from collections import Counter

import pytest
import yaml
from jsonschema import Draft202012Validator

from yiwang.catalog import formschema, transfer
from yiwang.catalog.codes import ON_APPLICATION_TYPES, online_depth_level
from yiwang.catalog.demo import DEMO_FILE
from yiwang.core.identifiers import parse_uscc
from yiwang.org.demo import COUNTY_CODE, DEPARTMENTS
from yiwang.portal.themes import ALL_THEMES

REQUIRED_BUNDLES = {"企业开办一件事", "新生儿出生一件事", "二手房转移登记及水电气过户一件事", "退休一件事", "个体工商户开业一件事"}
DEPARTMENT_USCC = {row["code"]: row["uscc"] for row in DEPARTMENTS}


@functools.cache
def _doc() -> dict:
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def doc() -> dict:
    return _doc()


def _versions(doc):
    for item in doc["items"]:
        for v in item["versions"]:
            yield item, v


def test_format_and_sections(doc):
    assert doc["format"] == transfer.FORMAT
    for section in ("themes", "base_items", "items", "life_events", "bundles", "synonyms"):
        assert doc[section], section


def test_counts_and_coverage(doc):
    items = doc["items"]
    assert len(items) >= 80
    assert len({i["department"] for i in items}) >= 12
    audiences = {a for _i, v in _versions(doc) for a in v["audiences"]}
    assert "1" in audiences and audiences & {"2", "3", "4", "5", "6"}
    assert {v["item_type"] for _i, v in _versions(doc)} <= ON_APPLICATION_TYPES
    assert {"01", "05", "07", "08", "10", "20"} <= {v["item_type"] for _i, v in _versions(doc)}
    joint = [v for _i, v in _versions(doc) if v["process_template"] == "joint"]
    assert len(joint) >= 2 and all(v["joint_departments"] for v in joint)
    instant = [v for _i, v in _versions(doc) if v["case_type"] == "1"]
    assert instant and all(v["promised_limit"]["value"] == 0 and v["process_template"] == "instant" for v in instant)
    fully_online = [v for _i, v in _versions(doc) if online_depth_level(v["online_depth"]) == 4]
    assert fully_online and all(v["visits"] == 0 for v in fully_online)
    assert any(v["visits"] > 0 and v["visits_reason"] for _i, v in _versions(doc))
    assert any(v["charges"] and v["fees"] for _i, v in _versions(doc))


def test_bundles_and_life_events(doc):
    names = {b["name"] for b in doc["bundles"]}
    assert len(doc["bundles"]) >= 5
    assert REQUIRED_BUNDLES <= names
    codes = {i["code"] for i in doc["items"]}
    for b in doc["bundles"]:
        assert len(b["items"]) >= 2, b["code"]
        assert set(b["items"]) <= codes, b["code"]
        assert b["lead_department"] in DEPARTMENT_USCC
    for e in doc["life_events"]:
        assert e["items"] and set(e["items"]) <= codes, e["code"]


def test_codes(doc):
    codes = Counter(i["code"] for i in doc["items"])
    assert not [c for c, n in codes.items() if n > 1]
    bases = Counter(b["basic_code"] for b in doc["base_items"])
    assert not [c for c, n in bases.items() if n > 1]
    for item in doc["items"]:
        code = item["code"]
        assert len(code) == 31, code
        assert parse_uscc(code[:18]).code == code[:18]
        assert code[:18] == DEPARTMENT_USCC[item["department"]], code
        assert code[18] == "4" and code[19:] == item["base"] and item["base"] in bases
        assert item["region"] == COUNTY_CODE
        assert [v["number"] for v in item["versions"]] == [1]
        assert all(v["status"] == "published" for v in item["versions"])


def test_references(doc):
    theme_codes = {t.code for t in ALL_THEMES}
    assert {t["code"] for t in doc["themes"]} == theme_codes
    for item, v in _versions(doc):
        assert item["department"] in DEPARTMENT_USCC
        assert v["themes"] and set(v["themes"]) <= theme_codes, item["code"]
        assert set(v["joint_departments"]) <= set(DEPARTMENT_USCC), item["code"]
        assert v["legal_basis"].strip() and v["audiences"], item["code"]


def test_every_form_is_valid(doc):
    kinds: set[str] = set()
    conditional = False
    for item, v in _versions(doc):
        schema, ui = v["form"]["schema"], v["form"]["ui"]
        assert schema.get("properties"), item["code"]
        Draft202012Validator.check_schema(schema)
        assert formschema.check_schema(schema, ui) == {}, (item["code"], formschema.check_schema(schema, ui))
        specs = list(formschema.iter_fields(formschema.fields(schema, ui)))
        kinds |= {s.kind for s in specs}
        conditional = conditional or any(s.condition for s in specs)
    assert {"text", "textarea", "number", "date", "select", "radio", "checkbox", "checkboxes", "id_number", "uscc",
            "phone", "email", "address", "group"} <= kinds
    assert conditional


def test_bundle_forms_share_fields(doc):
    """Shared concepts use one name and a compatible schema, so a bundle's merged form asks them once."""
    by_code = {i["code"]: i["versions"][0] for i in doc["items"]}
    for b in doc["bundles"]:
        forms = [(c, by_code[c]["form"]["schema"], by_code[c]["form"]["ui"], by_code[c]["name"]) for c in b["items"]]
        schema, ui, owners = formschema.merge(forms)
        assert formschema.check_schema(schema, ui) == {}, b["code"]
        split_apart = [name for name in schema["properties"] if "__" in name]
        assert not split_apart, (b["code"], split_apart)
        assert any(len(o) > 1 for o in owners.values()), b["code"]


def test_limits_and_fees(doc):
    for item, v in _versions(doc):
        legal, promised = v["legal_limit"], v["promised_limit"]
        if legal:
            factor = {"workday": 1.0, "natural_day": 5 / 7}
            assert promised["value"] * factor[promised["unit"]] <= legal["value"] * factor[legal["unit"]], item["code"]
        assert v["charges"] == bool(v["fees"]), item["code"]
        for fee in v["fees"]:
            assert fee["standard"].strip() and fee["basis"].strip()
        material_codes = [m["code"] for m in v["materials"]]
        assert len(material_codes) == len(set(material_codes)), item["code"]
        for m in v["materials"]:
            assert m["source"] != "certificate" or m["certificate_type"], (item["code"], m["code"])
            assert m["source"] != "sharing" or m["sharing_resource"], (item["code"], m["code"])


@pytest.mark.django_db
def test_imports_cleanly_into_the_database():
    from yiwang.catalog.models import Bundle, ItemVersion, ServiceItem
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    data = _doc()
    try:
        report = transfer.import_catalog(data, is_demo=True)
    except transfer.ImportFailed as exc:  # pragma: no cover - the message is the point
        lines = [f"{e['item']} {e['field']}: {e['message']}" for e in exc.report.errors]
        pytest.fail("demo catalogue does not import:\n" + "\n".join(lines))
    assert report.created_items == len(data["items"])
    assert ServiceItem.objects.filter(is_demo=True, current__isnull=False).count() == len(data["items"])
    assert ItemVersion.objects.filter(status="published").count() == len(data["items"])
    assert Bundle.objects.count() >= 5
    again = transfer.import_catalog(data, is_demo=True)
    assert (again.created_items, again.created_versions) == (0, 0)
