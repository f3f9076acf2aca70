"""Catalogue search on the database under test (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yiwang.catalog.search.signals  # noqa: F401 - the post_migrate receiver (CatalogConfig.ready imports it too)
from yiwang.catalog import search
from yiwang.catalog.models import BaseItem, ItemVersion, Material, SearchEntry, ServiceItem, Synonym, Theme
from yiwang.catalog.search import SearchFilters
from yiwang.catalog.search.backends import get_backend
from yiwang.org.models import Department, Region

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


@pytest.fixture
def county(db):
    province = Region.objects.create(code="370000000000", name="山东省", level=1)
    city = Region.objects.create(code="370800000000", name="济宁市", level=2, parent=province)
    return Region.objects.create(code="370812000000", name="兖州区", level=3, parent=city)


@pytest.fixture
def departments(county):
    return {
        code: Department.objects.create(code=code, name=name, region=county)
        for code, name in [("market", "兖州区市场监督管理局"), ("hrss", "兖州区人力资源和社会保障局"),
                           ("civil", "兖州区民政局"), ("housing", "兖州区住房和城乡建设局")]
    }


@pytest.fixture
def make_item(departments, county):
    def make(name, *, department="market", aliases=(), summary="", conditions="", materials=(), popularity=0,
             audiences=("1",), item_type="01", case_type="2", online_depth=("1",), tongban="none",
             charges=False, themes=(), legal_basis="", publish=True, number=1):
        n = next(_serial)
        base = BaseItem.objects.create(basic_code=f"{n:012d}", name=name, item_type=item_type)
        item = ServiceItem.objects.create(code=f"11370812MB0123456X4{n:012d}", base=base,
                                          department=departments[department], region=county, popularity=popularity)
        version = ItemVersion.objects.create(
            item=item, number=number, status="published" if publish else "draft", name=name, item_type=item_type,
            case_type=case_type, aliases=list(aliases), summary=summary, conditions=conditions,
            legal_basis=legal_basis, audiences=list(audiences), online_depth=list(online_depth),
            tongban_scope=tongban, charges=charges, promised_limit_value=0 if case_type == "1" else 5,
        )
        for order, material in enumerate(materials):
            Material.objects.create(version=version, code=f"M{order:02d}", name=material, order=order)
        for code in themes:
            theme, _ = Theme.objects.get_or_create(code=code, defaults={"name": code, "audience": "personal"})
            version.themes.add(theme)
        if publish:
            item.current = version
            item.save(update_fields=["current"])
            search.index_version(version)
        return item

    return make


@pytest.fixture
def catalogue(make_item):
    items = {
        "licence": make_item("营业执照办理", aliases=["办执照", "开店"], popularity=50,
                             summary="申请人办理公司营业执照。", audiences=("2",)),
        "licence_change": make_item("营业执照变更登记", popularity=30, audiences=("2",),
                                    materials=["营业执照正本", "变更登记申请书"]),
        "food": make_item("食品经营许可", aliases=["开饭店", "开超市"], popularity=80, audiences=("2",),
                          materials=["营业执照复印件", "食品安全管理制度"], online_depth=("1", "2", "5"),
                          charges=False, themes=("license_permit",)),
        "card": make_item("社会保障卡申领", department="hrss", popularity=40,
                          materials=["居民身份证"], online_depth=("1", "2", "3"), themes=("social_security",)),
        "card_lost": make_item("社会保障卡挂失与补领", department="hrss", popularity=20),
        "pension": make_item("职工退休核准", department="hrss", item_type="07", popularity=25,
                             summary="达到法定退休年龄的职工办理退休手续，核定基本养老金。"),
        "company": make_item("企业开办一件事（公司设立登记）", aliases=["注册公司"], popularity=60, audiences=("2",),
                             case_type="1", tongban="cross_province"),
        "elderly": make_item("高龄津贴发放", department="civil", item_type="05", popularity=10, charges=False,
                             summary="为八十周岁以上老年人发放高龄津贴。"),
        "marriage": make_item("内地居民结婚登记", department="civil", item_type="07", popularity=70),
        "permit": make_item("建筑工程施工许可", department="housing", popularity=15, audiences=("2",), charges=True,
                            summary="建设单位在开工前申请施工许可证。"),
        # a body-only mention of 营业执照 with high popularity: must not outrank title matches
        "body_only": make_item("烟草专卖零售许可证新办", popularity=1000, audiences=("2",),
                               materials=["营业执照复印件", "经营场所证明"]),
    }
    return items


def codes(page) -> list[str]:
    lookup = dict(ServiceItem.objects.filter(id__in=page.item_ids).values_list("id", "code"))
    return [lookup[i] for i in page.item_ids]


def ids(page) -> list[int]:
    return list(page.item_ids)


def test_backend_follows_the_database(db):
    backend = get_backend()
    assert backend.vendor == connection.vendor
    assert backend.installed()


def test_pinyin_initials_find_the_licence_items_first(catalogue):
    page = search.search("yyzz")
    licence_ids = {catalogue["licence"].id, catalogue["licence_change"].id}
    assert set(ids(page)[:2]) == licence_ids
    assert search.search("ＹＹＺＺ").item_ids == page.item_ids
    assert search.search("yingyezhizhao").item_ids[:2] == page.item_ids[:2]


def test_synonym_finds_the_official_name(catalogue):
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, terms="社保卡、社会保障卡")
    page = search.search("社保卡")
    assert page.item_ids[0] in {catalogue["card"].id, catalogue["card_lost"].id}
    assert {catalogue["card"].id, catalogue["card_lost"].id} <= set(page.item_ids)
    lost = search.search("社保卡丢了补领")
    assert lost.item_ids[0] == catalogue["card_lost"].id


def test_one_way_synonym_and_no_reindex_needed(catalogue, make_item):
    advice = make_item("开公司咨询服务", item_type="20", audiences=("2",))
    assert catalogue["company"].id not in search.search("开公司").item_ids
    Synonym.objects.create(kind=Synonym.Kind.ONE_WAY, source="开公司", terms="企业开办, 设立登记")
    assert set(search.search("怎么开公司").item_ids[:2]) == {catalogue["company"].id, advice.id}
    # one way only: the target word does not bring the source's items back
    assert catalogue["company"].id in search.search("企业开办").item_ids
    assert advice.id not in search.search("企业开办").item_ids


def test_title_above_body_even_when_less_popular(catalogue):
    page = search.search("营业执照")
    top = ids(page)
    assert top.index(catalogue["licence"].id) < top.index(catalogue["body_only"].id)
    assert top.index(catalogue["licence_change"].id) < top.index(catalogue["body_only"].id)
    assert catalogue["body_only"].id in top  # body matches are found too


def test_exact_phrase_above_scattered_words(make_item):
    scattered = make_item("变更后的营业执照换发", popularity=90)
    phrase = make_item("营业执照变更", popularity=1)
    page = search.search("营业执照变更")
    assert page.item_ids.index(phrase.id) < page.item_ids.index(scattered.id)


def test_popularity_breaks_ties(make_item):
    low = make_item("婚姻登记证明补发", popularity=1, department="civil")
    high = make_item("婚姻登记档案查询", popularity=500, department="civil")
    assert search.search("婚姻登记").item_ids[:2] == [high.id, low.id]


def test_filters(catalogue):
    everything = search.search("")
    assert everything.total == len(catalogue)
    assert everything.item_ids[0] == catalogue["body_only"].id  # by popularity

    def only(**kw):
        return set(search.search("", SearchFilters(**kw), page_size=100).item_ids)

    assert only(audience="2") == {catalogue[k].id for k in
                                  ("licence", "licence_change", "food", "company", "permit", "body_only")}
    assert only(department="hrss") == {catalogue[k].id for k in ("card", "card_lost", "pension")}
    assert only(theme="social_security") == {catalogue["card"].id}
    assert only(item_type="07") == {catalogue["pension"].id, catalogue["marriage"].id}
    assert only(case_type="1") == {catalogue["company"].id}
    assert only(online="full") == {catalogue["food"].id}
    assert only(online="capable") == {catalogue["food"].id, catalogue["card"].id}
    assert only(tongban="cross_province") == {catalogue["company"].id}
    assert only(charges=True) == {catalogue["permit"].id}
    assert only(department="hrss", item_type="07") == {catalogue["pension"].id}
    assert only(theme="lic%") == set()  # LIKE wildcards are literal
    assert set(search.search("社会保障卡", SearchFilters(department="market")).item_ids) == set()
    page = search.search("营业执照", SearchFilters(audience="2", department="market"))
    assert catalogue["licence"].id in page.item_ids and page.total == len(page.item_ids)


def test_pagination(make_item):
    made = [make_item(f"户口迁移登记第{n}类", department="civil", popularity=n) for n in range(130)]
    seen = []
    for page_number in range(1, 8):
        page = search.search("户口迁移", page=page_number, page_size=20)
        assert page.total == 130 and page.page == page_number and page.page_size == 20
        seen += page.item_ids
    assert sorted(seen) == sorted(i.id for i in made)  # every item once, across the rerank window
    big = search.search("户口迁移", page_size=1000)
    assert big.page_size == 100 and len(big.item_ids) == 100
    assert search.search("户口迁移", page=0, page_size=0).page == 1
    assert search.search("户口迁移", page="x", page_size="y").page_size == 20
    assert search.search("户口迁移", page=99).item_ids == []
    listing = [search.search("", page=p, page_size=50).item_ids for p in (1, 2, 3)]
    assert sorted(sum(listing, [])) == sorted(i.id for i in made)


@pytest.mark.parametrize("query", [
    "", "   ", "？？？！！！", "……——", "😀👍🏻", "营" * 1000, "ＹＹＺＺ", "\x00\x1b", "'\"*:&|!()<->{}[]^-+~",
    "NEAR(a b)", "a OR b AND NOT c", "yy*", "title_tokens:abc", "\\", "营业执照\"", "'); DROP TABLE x; --",
])
def test_bad_queries_answer_normally(catalogue, query):
    page = search.search(query)
    assert page.total >= len(page.item_ids) >= 0
    assert isinstance(search.suggest(query), list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(q=st.text(max_size=300))
def test_any_query_string_answers(catalogue, q):
    page = search.search(q, page_size=5)
    assert len(page.item_ids) <= 5
    search.suggest(q)


def test_stopword_only_and_punctuation_queries_list_by_popularity(catalogue):
    assert search.search("怎么办理？").item_ids == search.search("").item_ids


def test_suggestions(catalogue):
    Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, terms="社保卡、社会保障卡")
    names = [s["name"] for s in search.suggest("yy")]
    assert names[:2] == ["营业执照办理", "营业执照变更登记"] or set(names[:2]) == {"营业执照办理", "营业执照变更登记"}
    assert search.suggest("营业")[0]["name"].startswith("营业执照")
    assert any(s["name"].startswith("社会保障卡") for s in search.suggest("社保"))
    assert len(search.suggest("登记", limit=2)) <= 2
    assert search.suggest("") == []
    first = search.suggest("yy")[0]
    assert set(first) == {"code", "name"}
    code = catalogue["licence"].code
    assert search.suggest(code[:10])[0]["code"].startswith(code[:10])


def test_republish_updates_index_in_the_same_transaction(catalogue):
    item = catalogue["pension"]
    old = item.current
    with transaction.atomic():
        new = ItemVersion.objects.create(item=item, number=2, status="draft", name="职工正常退休核准",
                                         item_type="07", case_type="2", aliases=["办退休"], audiences=["1"])
        ItemVersion.objects.filter(pk=old.pk).update(status="superseded")
        new.status = "published"
        new.save()
        item.current = new
        item.save(update_fields=["current"])
        search.index_version(new)
        assert search.search("办退休").item_ids[0] == item.id  # visible inside the transaction
    assert SearchEntry.objects.get(item=item).version_id == new.id

    before = search.search("养老金").item_ids
    with pytest.raises(RuntimeError), transaction.atomic():
        third = ItemVersion.objects.create(item=item, number=3, status="draft", name="养老金测算服务",
                                           item_type="20", case_type="1", audiences=["1"])
        search.index_version(third)
        assert search.search("测算").item_ids == [item.id]
        raise RuntimeError("publish refused")
    assert search.search("测算").item_ids == []
    assert search.search("办退休").item_ids[0] == item.id
    assert search.search("养老金").item_ids == before
    assert SearchEntry.objects.get(item=item).version_id == new.id


def test_unindex_and_rebuild(catalogue, make_item):
    draft_only = make_item("未发布的草稿事项", publish=False)
    search.unindex_item(catalogue["marriage"])
    assert search.search("结婚登记").item_ids == []
    assert search.rebuild_index() == len(catalogue)
    assert search.search("结婚登记").item_ids == [catalogue["marriage"].id]
    assert draft_only.id not in search.search("草稿").item_ids
    catalogue["marriage"].delete()  # cascade removes the entry (and the FTS row, by trigger)
    assert search.search("结婚登记").item_ids == []
    assert search.rebuild_index() == len(catalogue) - 1


def test_install_is_idempotent(catalogue):
    backend = get_backend()
    backend.install()
    backend.install()
    assert backend.installed()
    assert search.search("yyzz").total >= 2


def test_synonym_validation_and_upsert(db):
    with pytest.raises(ValidationError):
        Synonym(kind=Synonym.Kind.EQUIVALENT, terms="社保卡").full_clean()
    with pytest.raises(ValidationError):
        Synonym(kind=Synonym.Kind.ONE_WAY, source="", terms="企业开办").full_clean()
    defaults = search.default_synonyms()
    assert {"terms": ["社保卡", "社会保障卡"]} in defaults
    assert any(e.get("from") == "开公司" and "企业开办" in e["to"] for e in defaults)
    created = search.seed_default_synonyms()
    assert created == len(defaults) == Synonym.objects.count()
    assert search.seed_default_synonyms() == 0  # idempotent
    assert search.upsert_synonyms([{"from": "开公司", "to": ["企业开办"]}]) == 1
    assert Synonym.objects.get(source="开公司").term_list == ["企业开办"]
    with pytest.raises(ValueError):
        search.upsert_synonyms([{"terms": ["只有一个"]}])
    assert str(Synonym.objects.get(source="开公司")) == "开公司 → 企业开办"


def test_command_line(catalogue, capsys):
    call_command("search", "query", "yyzz")
    out = capsys.readouterr().out
    assert "营业执照" in out and "score" in out.lower()
    call_command("search", "rebuild")
    assert str(len(catalogue)) in capsys.readouterr().out
    call_command("search", "suggest", "yy")
    assert "营业执照" in capsys.readouterr().out


def test_synonyms_export_import_round_trip(db):
    search.import_synonyms([{"terms": ["社保卡", "社会保障卡"]}, {"from": "开公司", "to": ["企业开办", "设立登记"]}])
    exported = search.export_synonyms()
    assert {"terms": ["社保卡", "社会保障卡"]} in exported
    assert {"from": "开公司", "to": ["企业开办", "设立登记"]} in exported
    Synonym.objects.all().delete()
    assert search.import_synonyms(exported) == 2
    assert search.export_synonyms() == exported
    assert search.import_synonyms(None) == 0
    with pytest.raises(ValueError):
        search.import_synonyms({"terms": "x"})


def test_popularity_sync_and_index_item(catalogue):
    item = catalogue["marriage"]
    ServiceItem.objects.filter(pk=item.pk).update(popularity=5000)
    assert search.sync_popularity() == len(catalogue)
    assert search.search("").item_ids[0] == item.id
    item.refresh_from_db()
    assert search.index_item(item).popularity == 5000
    item.current = None
    item.save(update_fields=["current"])
    assert search.index_item(item) is None
    assert item.id not in search.search("").item_ids


def test_traditional_and_full_width_queries_find_the_same(catalogue):
    assert search.search("營業執照").item_ids == search.search("营业执照").item_ids
    assert search.search("社會保障卡").item_ids[:2] == search.search("社会保障卡").item_ids[:2]
