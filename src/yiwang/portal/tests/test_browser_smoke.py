"""Browser smoke tests: the home page in Chromium at desktop and phone width, plus self-tests of
the browser rig (CSP violations and accessibility violations are really caught)."""

import pytest
from playwright.sync_api import expect

from yiwang.testing.browser import (
    MOBILE_VIEWPORT,
    SCREENSHOT_DIR,
    BrowserCheckError,
    check_a11y,
    monitor,
    visit,
)

pytestmark = pytest.mark.browser


def _assert_generic_structure(page, response):
    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[-1].split(";", 1)[0], csp
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("main")).to_have_count(1)


def test_home_desktop(page):
    response = visit(page, "/")
    _assert_generic_structure(page, response)


def test_home_phone_width(new_page):
    page = new_page(viewport=dict(MOBILE_VIEWPORT))
    response = visit(page, "/")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "home-375.png"), full_page=True)
    _assert_generic_structure(page, response)
    # Usable at 375 px: nothing forces a horizontal scroll bar.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"home page is {overflow}px wider than a 375px screen"


# --- the rig itself ------------------------------------------------------------------------------

RIG_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
)


def _serve(page, url, body):
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": RIG_CSP},
            body=body,
        ),
    )


def test_rig_fails_on_csp_violation(page, live_server):
    url = f"{live_server.url}/__rig__/csp"
    _serve(
        page,
        url,
        '<!doctype html><html lang="zh-CN"><head><title>t</title></head>'
        "<body><main><h1>t</h1><script>document.title = 'inline ran';</script></main></body></html>",
    )
    with pytest.raises(BrowserCheckError, match="CSP violation"):
        visit(page, url)
    assert page.title() == "t"  # the inline script really was blocked
    monitor(page).clear()


def test_rig_fails_on_serious_axe_violation(page, live_server):
    url = f"{live_server.url}/__rig__/axe"
    _serve(
        page,
        url,
        '<!doctype html><html lang="zh-CN"><head><title>t</title></head>'
        '<body><main><h1>t</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text"></main></body></html>',
    )
    with pytest.raises(BrowserCheckError) as failure:
        visit(page, url)
    message = str(failure.value)
    assert "image-alt [critical]" in message and "label [critical]" in message, message
    # After a client-side fix the page passes (axe is already injected, the CSP still holds).
    page.locator("img").evaluate("img => img.setAttribute('alt', '图')")
    page.locator("input").evaluate("input => input.setAttribute('aria-label', '姓名')")
    check_a11y(page)
