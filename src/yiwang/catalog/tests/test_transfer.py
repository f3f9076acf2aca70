"""Export → import round trip, idempotency, all-or-nothing with a per-item error report."""

import copy

import pytest
import yaml

from yiwang.catalog import services, transfer
from yiwang.catalog.models import BaseItem, Bundle, ItemVersion, ServiceItem, Theme
from yiwang.catalog.tests.test_versions import ELEMENTS, make_item, org  # noqa: F401  (fixture)


@pytest.fixture
def catalog(org):  # noqa: F811
    Theme.objects.create(code="license_permit", name="准营准办", audience="enterprise")
    item = make_item(None, org)
    v = item.versions.get()
    services.update_draft(None, v, {"form_schema": {"type": "object", "properties": {"enterprise_name": {"type": "string"}},
                                                     "required": ["enterprise_name"]},
                                    "form_ui": {"order": ["enterprise_name"],
                                                "fields": {"enterprise_name": {"label": "企业名称"}}}},
                          themes=list(Theme.objects.all()))
    services.publish(None, v, system=True)
    from yiwang.catalog.models import LifeEvent

    # listed by their order, not their code: the order must survive the round trip
    LifeEvent.objects.create(code="a-operation", name="经营发展", audience="enterprise", order=5).items.add(item)
    LifeEvent.objects.create(code="b-opening", name="企业开办", audience="enterprise", order=1).items.add(item)
    return item


@pytest.mark.django_db
def test_export_import_round_trip_into_empty_catalogue(catalog):
    exported = transfer.export_catalog()
    text = yaml.safe_dump(exported, allow_unicode=True)
    Bundle.objects.all().delete()
    from yiwang.catalog.models import LifeEvent

    LifeEvent.objects.all().delete()
    ServiceItem.objects.update(current=None)
    ItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()
    BaseItem.objects.all().delete()
    Theme.objects.all().delete()
    report = transfer.import_yaml(text)
    assert report.created_items == 1 and report.created_versions == 1
    assert transfer.export_catalog() == exported


@pytest.mark.django_db
def test_import_is_idempotent(catalog):
    text = transfer.export_yaml()
    report = transfer.import_yaml(text)
    assert (report.created_items, report.created_versions, report.skipped_versions) == (0, 0, 1)


@pytest.mark.django_db
def test_changed_published_version_is_an_error_and_nothing_is_imported(catalog):
    data = transfer.export_catalog()
    changed = copy.deepcopy(data)
    changed["items"][0]["versions"][0]["name"] = "改过的名称"
    new_item = copy.deepcopy(data["items"][0])
    new_item["code"] = new_item["code"][:-1] + "1"
    changed["items"].append(new_item)
    with pytest.raises(transfer.ImportFailed) as exc:
        transfer.import_catalog(changed)
    errors = exc.value.report.errors
    assert any(e["item"] == data["items"][0]["code"] and e["field"] == "versions.1" for e in errors)
    assert ServiceItem.objects.count() == 1  # the valid new item was not imported either


@pytest.mark.django_db
def test_bad_file_reports_every_error_with_item_and_field(org):  # noqa: F811
    data = {
        "format": "yiwang-catalog/1",
        "base_items": [{"basic_code": "000000000001", "name": "某事项", "item_type": "01"}],
        "items": [
            {"code": "bad", "base": "000000000001", "department": "market", "region": "370812",
             "versions": [{"number": 1, "status": "published", **ELEMENTS}]},
            {"code": org["market"].uscc + "4000000000001", "base": "000000000001", "department": "nowhere",
             "region": "370812", "versions": []},
            {"code": org["market"].uscc + "4000000000002", "base": "000000000001", "department": "market",
             "region": "370812",
             "versions": [{"number": 1, "status": "published", **ELEMENTS, "promised_limit": {"value": 99},
                           "legal_limit": {"value": 20}}]},
        ],
    }
    with pytest.raises(transfer.ImportFailed) as exc:
        transfer.import_catalog(data)
    fields = {(e["item"], e["field"]) for e in exc.value.report.errors}
    assert ("bad", "code") in fields
    assert (org["market"].uscc + "4000000000001", "department") in fields
    assert (org["market"].uscc + "4000000000002", "promised_limit_value") in fields
    assert not ServiceItem.objects.exists() and not BaseItem.objects.exists()


@pytest.mark.django_db
def test_wrong_format_and_broken_yaml(db):
    with pytest.raises(transfer.ImportFailed):
        transfer.import_yaml("format: other/1\n")
    with pytest.raises(transfer.ImportFailed) as exc:
        transfer.import_yaml("items: [unclosed\n")
    assert exc.value.report.errors[0]["field"] == "yaml"


@pytest.mark.django_db
def test_malformed_synonyms_are_reported_not_raised(catalog):
    data = transfer.export_catalog()
    data["synonyms"] = [{"nonsense": True}]
    with pytest.raises(transfer.ImportFailed) as exc:
        transfer.import_catalog(data)
    assert any(e["field"] == "synonyms" for e in exc.value.report.errors)


@pytest.mark.django_db
def test_demo_loader_reimports_an_edited_file_and_skips_an_unchanged_one(org, tmp_path):  # noqa: F811
    from yiwang.catalog.demo import load_demo_catalogue
    from yiwang.catalog.models import LifeEvent
    from yiwang.core.models import AuditRecord

    item = make_item(None, org)
    services.publish(None, item.versions.get(), system=True)
    data = transfer.export_catalog()
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "已存在 1 个" in load_demo_catalogue(path)
    records = AuditRecord.objects.count()
    assert load_demo_catalogue(path) == "已是最新" and AuditRecord.objects.count() == records
    data["life_events"] = [{"code": "opening", "name": "企业开办", "audience": "enterprise", "items": [item.code]}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_demo_catalogue(path)
    assert LifeEvent.objects.get(code="opening").items.get() == item
