"""Catalogue pages with Django's client: the listing with filters and pagination, the guide with
every element, bundles, themes, life events, and the portal pages that show the catalogue."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from yiwang.catalog import views
from yiwang.catalog.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def compiled_messages():
    """English needs the compiled catalogue; `make` builds it, this keeps a bare pytest run working."""
    po = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        assert msgfmt, "GNU gettext (msgfmt) is needed to compile translations: apt-get install gettext"
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
        translation.trans_real._translations = {}
        translation.trans_real._default = None


@pytest.fixture
def cat():
    return factories.sample_catalogue()


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def catalogue_urls(cat) -> list[str]:
    return [
        "/", "/personal/", "/enterprise/", "/themes/", "/search/", "/search/?q=社保卡", "/services/",
        "/services/?q=社会&audience=1&online=full", f"/services/{cat.card.code}/", f"/services/{cat.insurance.code}/",
        "/services/bundles/", "/services/bundles/newborn/", "/services/themes/birth_adoption/",
        "/services/life-events/birth/",
    ]


# --- listing ---------------------------------------------------------------------------------------


def test_listing_shows_items_count_and_filters(client, cat):
    html = html_of(client.get("/services/"))
    assert "<h1>办事服务</h1>" in html
    assert "共 5 个事项" in html
    assert html.count('class="item-card"') == 5
    assert '<form class="catalog-filters" method="get" action="/services/"' in html
    for label in ("服务对象", "实施部门", "服务主题", "事项类型", "办件类型", "网上办理", "通办范围", "是否收费"):
        assert f">{label}</label>" in html, label
    assert '<option value="market">济宁市兖州区市场监督管理局</option>' in html
    assert '<option value="full">全程网办</option>' in html
    assert 'aria-label="当前位置"' in html


def test_listing_applies_filters_and_keeps_them_selected(client, cat):
    html = html_of(client.get("/services/", {"department": "hrss", "charges": "no"}))
    assert "共 1 个事项" in html and "新生儿参保登记" in html and "社会保障卡申领" not in html
    assert '<option value="hrss" selected>' in html and '<option value="no" selected>' in html
    assert "清除条件" in html
    html = html_of(client.get("/services/", {"q": "社会保障卡"}))
    assert "“社会保障卡”的搜索结果" in html and 'value="社会保障卡"' in html


def test_listing_ignores_a_bad_filter_and_says_so(client, cat):
    html = html_of(client.get("/services/", {"audience": "9", "department": "market"}))
    assert "共 2 个事项" in html  # the department filter still applies
    assert 'aria-invalid="true" aria-describedby="filter-audience-error"' in html
    assert "服务对象代码无效" in html


def test_listing_paginates(client, cat, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    html = html_of(client.get("/services/", {"audience": "1"}))
    assert "共 3 个事项，第 1 / 2 页" in html
    assert html.count('class="item-card"') == 2
    assert 'href="?audience=1&amp;page=2" rel="next"' in html
    assert 'aria-current="page"><span class="visually-hidden">第 </span>1<span class="visually-hidden"> 页</span>' in html
    html = html_of(client.get("/services/", {"audience": "1", "page": "2"}))
    assert html.count('class="item-card"') == 1 and '<ol class="item-list" start="3">' in html
    assert 'rel="prev"' in html and 'rel="next"' not in html
    html = html_of(client.get("/services/", {"audience": "1", "page": "99"}))  # past the end: the last page
    assert html.count('class="item-card"') == 1
    assert html_of(client.get("/services/", {"page": "abc"}))


def test_listing_without_results(client, cat):
    html = html_of(client.get("/services/", {"q": "不存在的事项名称xyz", "item_type": "02"}))
    assert "共 0 个事项" in html and "没有找到" in html


def test_hostile_queries_are_escaped_and_cut(client, cat):
    html = html_of(client.get("/services/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    html = html_of(client.get("/services/", {"q": "营" * 1000}))
    assert 'value="' + "营" * 100 + '"' in html
    for q in ("😀", "ＹＹＺＺ", "！？。", "\x00", "%_"):
        assert client.get("/services/", {"q": q}).status_code == 200
        assert client.get("/search/", {"q": q}).status_code == 200


# --- the guide -------------------------------------------------------------------------------------


def test_guide_shows_every_element(client, cat):
    html = html_of(client.get(f"/services/{cat.card.code}/"))
    text = text_of(html)
    assert "<h1>社会保障卡申领</h1>" in html
    for fact in ("办事指南", "实施编码", cat.card.code, "基本编码", "事项类型 行政许可", "实施主体 济宁市兖州区人力资源和社会保障局",
                 "服务对象 自然人", "办理形式 窗口办理、网上办理", "Ⅳ级（全程网办）", "通办范围 无",
                 "受理条件", "申请人为完全民事行为能力人", "法定办结时限 10 个工作日", "承诺办结时限 5 个工作日",
                 "办件类型 承诺件", "到办事现场次数 0 次", "社会保障卡工本费", "首次申领免费，补换卡每张 20 元",
                 "《山东省物价局 山东省财政厅关于社会保障卡收费标准的通知》", "设定依据", "《中华人民共和国行政许可法》第二十九条",
                 "结果名称 准予许可决定书", "受理机构 政务服务中心综合窗口", "办理地点 兖州区政务服务中心一楼综合窗口",
                 "办理时间 工作日 9:00–12:00，13:30–17:30", "咨询电话 0537-3461000", "监督电话 0537-12345",
                 "可以委托他人办理吗？", "可以，需提交授权委托书。", "申请表单", "申请人姓名", "身份证号",
                 "第 1 版"):
        assert fact in text, fact
    # steps in order
    steps = text[text.index("办理流程 申请"):]
    assert steps.index("申请 网上或窗口提交") < steps.index("受理") < steps.index("审查") < steps.index("决定")
    # materials table: caption, column and row headers
    assert '<caption id="materials-caption">申请材料清单：共 2 项，其中必要材料 2 项</caption>' in html
    assert '<th scope="col">材料名称</th>' in html and '<th scope="row">居民身份证</th>' in html
    assert 'class="table-wrap" tabindex="0" role="region" aria-labelledby="materials-caption"' in html
    # actions: apply online (a real link), print (hidden until the static script shows it)
    assert f'<a class="button primary big" href="/cases/apply/{cat.card.code}/">在线办理</a>' in html
    assert '<button type="button" class="button" data-print hidden>打印办事指南</button>' in html
    assert 'href="/static/catalog/css/print.css" media="print"' in html
    assert re.search(r'<script src="/static/catalog/js/catalog\.js" defer></script>', html)
    # breadcrumbs through the first theme
    assert 'href="/services/themes/social_security/">社会保障</a>' in html


def test_guide_form_fields_with_condition_and_group(client, cat):
    text = text_of(html_of(client.get(f"/services/{cat.insurance.code}/")))
    assert "与新生儿关系 单选 必填" in text and "可选：父亲、母亲、其他监护人" in text
    assert "其他关系说明 单行文本 条件必填 当“与新生儿关系”为“其他监护人”时填写" in text
    assert "新生儿 重复分组 必填" in text and "出生日期 日期 必填" in text
    assert "即时办结" in text and "本事项不收费。" in text


def test_guide_with_downloads_and_a_visit_reason(client, cat, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("catalog/forms/a.pdf", ContentFile(b"pdf"))
    item = factories.item("户口迁移", materials=[{"code": "M01", "name": "迁移申请表", "blank_form": name,
                                                   "sample": name, "necessity": "deferrable"}])
    html = html_of(client.get(f"/services/{item.code}/"))
    assert f'href="/services/{item.code}/materials/M01/blank/?v=1" download>空白表格' in html
    assert f'href="/services/{item.code}/materials/M01/sample/?v=1" download>示例样表' in html
    assert '<span class="visually-hidden">（迁移申请表）</span>' in html
    assert "容缺后补" in html
    assert "必须到现场的原因：需核验原件" in text_of(html)


def test_guide_of_unknown_or_unpublished_item_is_404(client, cat):
    assert client.get("/services/nope/").status_code == 404
    draft = factories.item("草稿事项", publish=False)
    assert client.get(f"/services/{draft.code}/").status_code == 404


def test_guide_shows_a_new_version(client, cat):
    factories.republish(cat.card, promised_limit_value=3, change_note="承诺时限压缩为 3 个工作日")
    text = text_of(html_of(client.get(f"/services/{cat.card.code}/")))
    assert "承诺办结时限 3 个工作日" in text
    assert "现行版本：第 2 版" in text and "承诺时限压缩为 3 个工作日" in text
    assert "第 1 版 · " in text and "已被新版本替代" in text


# --- bundles, themes, life events ------------------------------------------------------------------


def test_bundle_page(client, cat):
    html = html_of(client.get("/services/bundles/newborn/"))
    text = text_of(html)
    assert "<h1>新生儿出生一件事</h1>" in html
    assert "牵头部门：济宁市兖州区卫生健康局" in text
    assert "总承诺时限 5 个工作日" in text and "取其中最长的一项" in text
    assert "各事项共需 6 份材料，相同的材料只需提交一次，合并后共 4 项" in text
    tbody = html[html.index('id="bundle-materials-caption"'):]
    tbody = tbody[: tbody.index("</table>")]
    for name in ("居民身份证", "住院分娩证明", "出生医学证明", "近期免冠证件照"):
        assert tbody.count(f'<th scope="row">{name}') == 1, name
    assert "监护人身份证" not in tbody
    assert html.count('<span class="tag tag-required">最长</span>') == 1
    assert "用于：出生医学证明办理、新生儿参保登记、社会保障卡申领" in text
    for item in (cat.birth_cert, cat.insurance, cat.card):
        assert f'href="/services/{item.code}/"' in html
    assert client.get("/services/bundles/nope/").status_code == 404


def test_bundle_index_theme_and_life_event_pages(client, cat):
    html = html_of(client.get("/services/bundles/"))
    assert 'href="/services/bundles/newborn/">新生儿出生一件事</a>' in html and "包含 3 个事项" in html
    html = html_of(client.get("/services/themes/birth_adoption/"))
    assert "<h1>生育收养</h1>" in html and html.count('class="item-card"') == 2
    assert 'href="/personal/">个人服务</a>' in html
    assert client.get("/services/themes/nope/").status_code == 404
    html = html_of(client.get("/services/life-events/birth/"))
    assert "<h1>出生</h1>" in html and "新生儿出生一件事" in html and html.count('class="item-card"') == 2
    assert client.get("/services/life-events/nope/").status_code == 404


# --- portal pages that show the catalogue ---------------------------------------------------------


def test_home_shows_hot_items_bundles_themes_events_and_departments(client, cat):
    html = html_of(client.get("/"))
    hot = html[html.index('id="hot-title"'):]
    hot = hot[: hot.index("</ol>")]
    assert re.findall(r'<li><a href="/services/[^"]+/">([^<]+)</a>', hot) == [
        "企业设立登记", "社会保障卡申领", "出生医学证明办理", "新生儿参保登记", "食品经营许可"]
    assert 'href="/services/bundles/newborn/">新生儿出生一件事</a>' in html
    assert 'href="/services/themes/birth_adoption/">生育收养 <span class="count">2<span class="visually-hidden"> 个事项</span></span></a>' in html
    assert '<span class="chip-empty">婚姻登记</span>' in html  # a standard theme without items yet
    assert 'href="/services/life-events/birth/">出生</a>' in html
    assert 'href="/services/?department=hrss">区人社局' in html
    assert "5 个事项，按部门、主题、办理方式筛选" in html
    assert 'data-suggest="/api/v1/catalog/suggest"' in html


def test_home_without_a_catalogue(client):
    html = html_of(client.get("/"))
    assert "热门服务" not in html and "事项目录尚未发布" in html


def test_personal_and_enterprise_list_items_per_theme(client, cat):
    html = html_of(client.get("/personal/"))
    card = html[html.index('id="theme-social_security"'):]
    card = card[: card.index("</li>\n  \n  <li") if "</li>\n  \n  <li" in card else 2000]
    assert 'href="/services/themes/social_security/">社会保障</a></h2>' in html
    assert f'href="/services/{cat.card.code}/">社会保障卡申领</a>' in card
    assert '<li class="theme-card" id="theme-marriage">' in html and "暂未发布事项" in html
    assert "新生儿出生一件事" in html and 'href="/services/life-events/birth/"' in html
    html = html_of(client.get("/enterprise/"))
    assert f'href="/services/{cat.company.code}/">企业设立登记</a>' in html
    assert "新生儿出生一件事" not in html


def test_themes_page_links_theme_pages(client, cat):
    html = html_of(client.get("/themes/"))
    assert '<a href="/services/themes/birth_adoption/">生育收养</a> <span class="muted">2 个事项' in html
    assert 'href="/personal/#theme-marriage"' in html


def test_search_page_is_the_catalogue_listing(client, cat):
    html = html_of(client.get("/search/", {"q": "社会保障卡"}))
    assert html.count('class="item-card"') >= 1 and "社会保障卡申领" in html
    assert '<input type="hidden" name="q" value="社会保障卡">' in html  # the filters keep the query
    assert 'id="filter-department"' in html
    html = html_of(client.get("/search/", {"q": "社会保障卡", "department": "market"}))
    assert "社会保障卡申领" not in html and "清除筛选" in html


# --- the house rules on every catalogue page --------------------------------------------------------


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_inline_styles_or_scripts_and_one_h1(client, cat, elder, language):
    client.post("/i18n/setlang/", {"language": language})
    if elder:
        client.post("/display/elder-mode/", {"elder": "1"})
    for url in catalogue_urls(cat):
        html = html_of(client.get(url))
        assert not re.search(r"\sstyle\s*=", html, re.I), url
        assert not re.search(r"<style[\s>]", html, re.I), url
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), url
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.I | re.S):
            assert "src=" in attrs and not body.strip(), url
        assert html.count("<h1") == 1, url
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
        for input_id in re.findall(r'<(?:input|select) id="([^"]+)"', html):
            assert re.search(rf'<label[^>]* for="{re.escape(input_id)}"', html), (url, input_id)


def test_english_guide_and_listing(client, cat):
    client.post("/i18n/setlang/", {"language": "en"})
    html = html_of(client.get(f"/services/{cat.card.code}/"))
    assert "Apply online" in html and "Service guide" in html and "Required materials" in html
    assert "10 working days" in html
    html = html_of(client.get("/services/"))
    assert "5 services" in html and "Find a service" in html


def test_elder_mode_hides_the_less_used_filters(client, cat):
    client.post("/display/elder-mode/", {"elder": "1"})
    html = html_of(client.get("/services/"))
    assert re.search(r'<div class="form-field secondary">\s*<label for="filter-item-type">', html)
    assert re.search(r'<div class="form-field">\s*<label for="filter-department">', html)
    html = html_of(client.get("/services/", {"item_type": "01"}))  # an active filter stays visible
    assert re.search(r'<div class="form-field">\s*<label for="filter-item-type">', html)


def test_guide_of_a_joint_review_item(client, cat):
    fire = factories.department("fire", "济宁市兖州区消防救援大队")
    item = factories.item("公共场所卫生许可", department_obj=cat.health, process_template="joint",
                          joint_departments=[fire], undertaking_org="卫生监督科", window="综合受理窗口 8 号",
                          tongban_scope="cross_city", supports_appointment=True)
    text = text_of(html_of(client.get(f"/services/{item.code}/")))
    assert "联办机构 济宁市兖州区消防救援大队" in text and "承办机构 卫生监督科" in text
    assert "审批方式：联审（多部门并联审查→决定）" in text
    assert "办理窗口 综合受理窗口 8 号" in text and "支持预约办理 是" in text
    assert "省内跨市通办" in text
    body = client.get(f"/api/v1/catalog/items/{item.code}").json()
    assert body["process_template"] == "joint"
    assert body["joint_departments"] == [{"code": "fire", "name": "济宁市兖州区消防救援大队"}]


def test_guide_of_a_window_only_item_has_no_online_button(client, cat):
    item = factories.item("档案查询", online_depth=["1"], handling_forms=["1"])
    html = html_of(client.get(f"/services/{item.code}/"))
    assert f"/cases/apply/{item.code}/" not in html
    assert "本事项暂不支持网上申请" in html and "Ⅰ级（互联网咨询）" in html


@pytest.mark.django_db
def test_listing_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    """Result cards are built from one query, not one per item (an N+1 here cost 20 queries)."""
    from yiwang.catalog.tests import factories

    factories.sample_catalogue()
    client.get("/services/")  # warm per-process caches (synonym table)
    with django_assert_max_num_queries(10):
        assert client.get("/services/").status_code == 200
