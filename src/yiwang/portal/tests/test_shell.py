"""The web shell: layout, language switch, elder mode, departments, search, security headers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from yiwang.org.models import Department, Region
from yiwang.portal.middleware import ELDER_COOKIE

pytestmark = pytest.mark.django_db

PAGES = ["/", "/personal/", "/enterprise/", "/themes/", "/departments/", "/search/", "/search/?q=民政"]


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
def county(db):
    city = Region.objects.create(code="370800", name="济宁市", level=Region.Level.CITY)
    county = Region.objects.create(code="370812", name="兖州区", level=Region.Level.COUNTY, parent=city)
    Region.objects.create(code="370812001", name="鼓楼街道", level=Region.Level.TOWNSHIP, parent=county)
    return county


@pytest.fixture
def civil_affairs(county):
    return Department.objects.create(
        code="yz-mzj",
        name="济宁市兖州区民政局",
        short_name="区民政局",
        region=county,
        kind=Department.Kind.DEPARTMENT,
        phone="0537-3412345",
        address="兖州区建设东路 1 号",
    )


@pytest.fixture
def township_centre(county):
    township = Region.objects.get(code="370812001")
    return Department.objects.create(
        code="yz-gljd-bmfw",
        name="鼓楼街道便民服务中心",
        region=township,
        kind=Department.Kind.SERVICE_CENTRE,
        phone="0537-3400001",
        address="鼓楼街道中御桥北路 8 号",
    )


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def body_classes(html: str) -> list[str]:
    match = re.search(r'<body class="([^"]*)"', html)
    assert match, "no <body class=…>"
    return match.group(1).split()


# --- Layout ------------------------------------------------------------------------------------


def test_home_renders_the_chinese_layout(client, civil_affairs):
    html = html_of(client.get("/"))
    assert '<html lang="zh-CN"' in html
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html
    assert re.search(r"<header[ >]", html) and re.search(r"<footer[ >]", html)
    assert re.search(r'<nav [^>]*aria-label="主导航"', html)
    for text in (
        "一网 · 一体化政务服务平台",
        "个人服务",
        "法人服务",
        "部门",
        "主题",
        "主办单位",
        "12345",
        "网站标识码",
    ):
        assert text in html
    assert "1 个部门和便民服务中心" in html
    assert 'role="search"' in html


def test_every_page_has_labelled_controls_and_one_main(client, civil_affairs):
    for url in PAGES:
        html = html_of(client.get(url))
        assert html.count('<main id="main"') == 1, url
        for input_id in re.findall(r'<input id="([^"]+)" type="search"', html):
            assert (
                f'<label class="visually-hidden" for="{input_id}">' in html
                or f'<label for="{input_id}">' in html
            )


def test_demo_mode_marks_the_placeholders(client, settings):
    settings.DEMO_MODE = True
    html = html_of(client.get("/"))
    assert 'class="demo-badge"' in html
    assert "鲁ICP备00000000号" in html and "公网安备" in html
    assert html.count('class="demo-mark"') >= 3


def test_outside_demo_mode_no_fake_registration_numbers(client, settings):
    settings.DEMO_MODE = False
    html = html_of(client.get("/"))
    assert "demo-badge" not in html
    assert "鲁ICP备00000000号" not in html
    assert "待配置" in html


def test_anonymous_and_signed_in_header(client, django_user_model):
    html = html_of(client.get("/"))
    assert "退出登录" not in html
    assert (
        '<button type="submit" class="tool-button" name="language" value="en" lang="en">English</button>'
        in html
    )
    user = django_user_model.objects.create_user(username="zhangsan", password="Yiwang@2026x", name="张三")
    client.force_login(user)
    html = html_of(client.get("/"))
    assert "张三" in html
    logout = re.search(
        r'<form class="inline-form" action="([^"]+)" method="post">(.*?)</form>',
        html[html.index("张三") :],
        re.S,
    )
    assert logout and "退出登录" in logout.group(2) and "csrfmiddlewaretoken" in logout.group(2)


def test_workbench_layout_renders_its_blocks():
    template = engines["django"].from_string(
        '{% extends "portal/workbench_base.html" %}'
        "{% block title %}待办{% endblock %}{% block page_title %}待办事项{% endblock %}"
        '{% block workbench_nav %}<li><a href="/x/" aria-current="page">待办</a></li>{% endblock %}'
        "{% block content %}<p>没有待办事项。</p>{% endblock %}"
    )
    request = RequestFactory().get("/workbench/")
    request.elder_mode = False
    request.user = None
    html = template.render({}, request)
    assert '<main id="main"' in html and 'aria-label="工作台导航"' in html
    assert "<h1>待办事项</h1>" in html and "没有待办事项。" in html
    assert 'href="#main"' in html
    assert "长者模式" in html


# --- Language ----------------------------------------------------------------------------------


def test_english_switch(client, civil_affairs):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/departments/"})
    assert response.status_code == 302 and response["Location"] == "/departments/"
    html = html_of(client.get("/"))
    assert '<html lang="en"' in html
    assert "Skip to main content" in html and "跳到主要内容" not in html
    assert "Personal services" in html and "Business services" in html
    assert "Sponsor:" in html
    assert 'lang="zh-CN">中文</button>' in html
    # and back
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN"' in html_of(client.get("/"))


# --- Elder mode --------------------------------------------------------------------------------


def test_elder_mode_toggle_is_remembered(client):
    assert "elder" not in body_classes(html_of(client.get("/")))
    response = client.post("/display/elder-mode/", {"elder": "1", "next": "/departments/"})
    assert response.status_code == 302 and response["Location"] == "/departments/"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    for _ in range(2):  # remembered across requests
        html = html_of(client.get("/personal/"))
        assert "elder" in body_classes(html)
        assert '<html lang="zh-CN" class="elder">' in html
        assert "退出长者模式" in html
    response = client.post("/display/elder-mode/", {"elder": "0", "next": "/"})
    assert response.cookies[ELDER_COOKIE].value == ""
    assert "elder" not in body_classes(html_of(client.get("/")))


def test_elder_mode_flips_without_a_value_and_confirms(client):
    response = client.post("/display/elder-mode/", {"next": "/"}, follow=True)
    html = html_of(response)
    assert "elder" in body_classes(html)
    assert 'role="status">已开启长者模式' in html


def test_elder_mode_refuses_get_and_foreign_next(client):
    assert client.get("/display/elder-mode/").status_code == 405
    response = client.post("/display/elder-mode/", {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post("/display/elder-mode/", {"elder": "1", "next": "//evil.example/x"})
    assert response["Location"] == "/"


def test_elder_mode_cookie_is_secure_when_sessions_are(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post("/display/elder-mode/", {"elder": "1"})
    assert response.cookies[ELDER_COOKIE]["secure"]


def test_elder_mode_needs_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/display/elder-mode/", {"elder": "1"}).status_code == 403


# --- Departments, themes and search ------------------------------------------------------------


def test_departments_page_lists_departments_by_region(client, civil_affairs, township_centre):
    html = html_of(client.get("/departments/"))
    assert "济宁市兖州区民政局" in html and "0537-3412345" in html and "兖州区建设东路 1 号" in html
    assert "鼓楼街道便民服务中心" in html
    # county group before the township group
    assert html.index('id="region-370812"') < html.index('id="region-370812001"')
    assert 'id="dept-yz-mzj"' in html


def test_inactive_departments_are_hidden(client, civil_affairs):
    civil_affairs.active = False
    civil_affairs.save()
    html = html_of(client.get("/departments/"))
    assert "济宁市兖州区民政局" not in html
    assert "部门名录尚未录入" in html


def test_theme_pages_list_the_standard_themes(client):
    personal = html_of(client.get("/personal/"))
    for label in (
        "生育收养",
        "户籍办理",
        "婚姻登记",
        "社会保障",
        "就业创业",
        "住房保障",
        "教育",
        "医疗卫生",
        "养老服务",
        "残疾人服务",
    ):
        assert f"<h2>{label}</h2>" in personal
    enterprise = html_of(client.get("/enterprise/"))
    for label in ("设立变更", "准营准办", "税收财务", "工程建设", "人力资源", "注销歇业"):
        assert f"<h2>{label}</h2>" in enterprise
    themes = html_of(client.get("/themes/"))
    assert (
        'href="/personal/#theme-marriage"' in themes and 'href="/enterprise/#theme-deregistration"' in themes
    )


def test_search_finds_departments_and_themes(client, civil_affairs, township_centre):
    html = html_of(client.get("/search/", {"q": "民政"}))
    assert "济宁市兖州区民政局" in html and "鼓楼街道便民服务中心" not in html
    assert 'value="民政"' in html
    html = html_of(client.get("/search/", {"q": "兖州 民政"}))
    assert "济宁市兖州区民政局" in html
    html = html_of(client.get("/search/", {"q": "鼓楼"}))
    assert "鼓楼街道便民服务中心" in html
    html = html_of(client.get("/search/", {"q": "婚姻"}))
    assert 'href="/personal/#theme-marriage"' in html


def test_search_without_results_and_hostile_input(client, civil_affairs):
    html = html_of(client.get("/search/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "没有找到" in html
    html = html_of(client.get("/search/", {"q": "x" * 5000}))
    echoed = re.search(r'<input id="search-q" type="search" name="q" value="([^"]*)"', html).group(1)
    assert echoed == "x" * 100
    assert html_of(client.get("/search/", {"q": "   "}))


def test_org_queries(civil_affairs, township_centre):
    from yiwang.org.queries import department_count, departments_for_listing, search_departments

    groups = departments_for_listing()
    assert [g.region.code for g in groups] == ["370812", "370812001"]
    assert groups[0].departments == [civil_affairs]
    assert search_departments("") == []
    assert search_departments("区民政局") == [civil_affairs]
    assert search_departments("兖州") == [civil_affairs]  # region name or department name
    assert department_count() == 2
    government = Department.objects.create(
        code="yz-gov",
        name="济宁市兖州区人民政府",
        region=civil_affairs.region,
        kind=Department.Kind.GOVERNMENT,
    )
    assert search_departments("民政") == [civil_affairs]  # not 人民政府
    assert search_departments("政府") == [government]
    assert search_departments("人民政府") == [government]
    assert search_departments("区人民政府") == [government]


# --- Security headers and CSP-safe markup ------------------------------------------------------


def test_security_headers_on_every_page(client, civil_affairs):
    for url in PAGES:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"]
    response = client.post("/display/elder-mode/", {"elder": "1"})
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_inline_styles_or_scripts(client, civil_affairs, elder, language, settings):
    settings.DEMO_MODE = True
    client.post("/i18n/setlang/", {"language": language})
    if elder:
        client.post("/display/elder-mode/", {"elder": "1"})
    for url in PAGES:
        html = html_of(client.get(url))
        assert not re.search(r"\sstyle\s*=", html, re.I), url
        assert not re.search(r"<style[\s>]", html, re.I), url
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), url
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.I | re.S):
            assert "src=" in attrs and not body.strip(), url
        assert "javascript:" not in html.lower()


def test_forms_carry_csrf_tokens(client):
    html = html_of(client.get("/"))
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S)
    assert len(forms) >= 2
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form


def test_chinese_by_default_whatever_the_browser_asks(client):
    html = html_of(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="zh-CN"' in html and "跳到主要内容" in html
