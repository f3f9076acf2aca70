"""Shared pytest fixtures for the whole suite.

Browser tests (``@pytest.mark.browser``, run in the browser phase of ``make test``) use:

- ``page``: a fresh Chromium context and page per test (locale zh-CN, 1280×800, ``base_url`` set
  to pytest-django's ``live_server``), monitored for CSP violations and uncaught JS errors;
- ``new_page(**context_options)``: more pages, e.g. ``new_page(viewport=MOBILE_VIEWPORT)`` or a
  second user in its own context;
- ``visit(page, "/path")`` and ``check_a11y(page)`` from ``yiwang.testing.browser``.

When a browser test fails, a full-page screenshot of each of its pages is saved under
``var/screenshots/<test-name>.png``.
"""

from __future__ import annotations

import os

import pytest

from yiwang.testing.browser import (
    DEFAULT_VIEWPORT,
    BrowserCheckError,
    instrument_context,
    launch_chromium,
    monitor,
    save_screenshot,
    screenshot_name,
)


def pytest_collection_modifyitems(config, items):
    """Database-specific tests run only in the phase with that database: deselected elsewhere,
    so no test is ever reported as skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``item.rep_setup``/``rep_call``) for fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _failed(request) -> bool:
    node = request.node
    return any(getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API runs an event loop in this thread; Django's ORM (live_server, test
    # data set up in the test) refuses to run beside one unless told it is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    """Debian's Chromium, headless, launched once per session."""
    chromium = launch_chromium(_playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Factory: ``new_page(**context_options)`` → a monitored page in a new browser context."""
    contexts = []
    pages = []

    def make(**options):
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        options.setdefault("viewport", dict(DEFAULT_VIEWPORT))
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        instrument_context(context)
        contexts.append(context)
        page = context.new_page()
        monitor(page)
        pages.append(page)
        return page

    yield make

    try:
        # Problems that appeared after the last visit()/check (clicks, script changes) fail too.
        late = []
        if not _failed(request):
            for page in pages:
                if not page.is_closed():
                    late += [f"{page.url}: {p}" for p in monitor(page).problems()]
        if late or _failed(request):
            base = screenshot_name(request.node.nodeid)
            for n, page in enumerate(pages, start=1):
                if page.is_closed():
                    continue
                name = base if n == 1 else f"{base}-{n}"
                try:
                    path = save_screenshot(page, name)
                    print(f"screenshot of the failing page: {path}")
                except Exception as exc:  # a crashed page must not hide the test's own failure
                    print(f"could not save screenshot {name}: {exc}")
        if late:
            raise BrowserCheckError(
                "browser reported problems at the end of the test:\n  " + "\n  ".join(late)
            )
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):
    """A monitored Chromium page (zh-CN, 1280×800) whose relative URLs go to the live server."""
    return new_page()
