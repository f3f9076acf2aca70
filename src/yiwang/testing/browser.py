"""Playwright + axe-core helpers for the browser tests (``@pytest.mark.browser``).

The fixtures in ``yiwang/conftest.py`` give each test a fresh browser context in Debian's Chromium
(``/usr/bin/chromium``; never a browser downloaded by Playwright). Every page they create is
monitored: console messages are recorded, and a Content-Security-Policy violation or an uncaught
JavaScript error fails the test.

Use ``visit(page, "/path")`` to open a page: it navigates, fails on CSP violations and runs the
axe-core check, so every page a test opens is checked. After a client-side change (a toggle, a
form error shown by script, …) call ``check_a11y(page)`` again.

axe-core comes from ``node_modules/axe-core`` (``npm ci``, pinned by package-lock.json) and is
injected with ``page.evaluate(source)``: a ``<script>`` tag would be refused by our CSP, and the
CSP is never loosened for tests.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("YIWANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_DIR = Path(__file__).resolve().parents[3]
AXE_PATH = Path(os.environ.get("YIWANG_AXE_JS", REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"))
SCREENSHOT_DIR = Path(os.environ.get("YIWANG_SCREENSHOT_DIR", REPO_DIR / "var" / "screenshots"))
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
MOBILE_VIEWPORT = {"width": 375, "height": 812}
FAILING_IMPACTS = ("serious", "critical")

CSP_PATTERNS = re.compile(r"Content[- ]Security[- ]Policy|Refused to", re.IGNORECASE)

# Reported by a listener added before any page script runs (``add_init_script`` is not subject to
# the page's CSP): Chromium also logs violations to the console, but the event is the sure signal.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('Content Security Policy violation: ' + e.violatedDirective +
                ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class BrowserCheckError(AssertionError):
    """A browser check failed (CSP violation, JavaScript error, accessibility violation)."""


@dataclass
class PageMonitor:
    """What one page reported: console messages, CSP violations and uncaught errors."""

    console: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_console(self, msg) -> None:
        text = msg.text
        self.console.append(f"[{msg.type}] {text}")
        if CSP_PATTERNS.search(text):
            self.csp_violations.append(text)

    def on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def clear(self) -> None:
        self.console.clear()
        self.csp_violations.clear()
        self.page_errors.clear()

    def problems(self) -> list[str]:
        return [f"CSP violation: {v}" for v in self.csp_violations] + [
            f"JavaScript error: {e}" for e in self.page_errors
        ]

    def assert_clean(self, where: str = "") -> None:
        problems = self.problems()
        if problems:
            suffix = f" on {where}" if where else ""
            raise BrowserCheckError(f"browser reported problems{suffix}:\n  " + "\n  ".join(problems))


_monitors: dict[int, PageMonitor] = {}


def monitor(page) -> PageMonitor:
    """Attach (once) and return the monitor of ``page``."""
    key = id(page)
    found = _monitors.get(key)
    if found is None:
        found = PageMonitor()
        _monitors[key] = found
        page.on("console", found.on_console)
        page.on("pageerror", found.on_page_error)
        page.on("close", lambda *_: _monitors.pop(key, None))
    return found


def instrument_context(context) -> None:
    """Make every page of ``context`` report CSP violations (call before opening pages)."""
    context.add_init_script(_CSP_LISTENER)
    context.on("page", monitor)


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: apt-get install chromium (make install-test)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} not found: run `npm ci` (make install-test)")
    return AXE_PATH.read_text(encoding="utf-8")


def format_violations(violations: list[dict[str, Any]], url: str = "") -> str:
    lines = [f"axe-core: {len(violations)} serious/critical accessibility violation(s) on {url}"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v.get('help', '')} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
        if len(v.get("nodes", [])) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def run_axe(page, context: Any = None, options: dict | None = None) -> dict:
    """Inject axe-core (if needed) and return its raw results for ``context`` (default: the page)."""
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(axe_source())
    return page.evaluate(
        "async ([context, options]) => await window.axe.run(context || document, options)",
        [context, options or {"resultTypes": ["violations"]}],
    )


def check_a11y(page, context: Any = None, options: dict | None = None, impacts=FAILING_IMPACTS) -> list[dict]:
    """Fail on axe-core violations of the given impacts; returns all violations found.

    ``context`` is an axe context (a selector such as ``"#dialog"`` or ``{"exclude": [...]}``).
    """
    results = run_axe(page, context, options)
    violations = results.get("violations", [])
    failing = [v for v in violations if v.get("impact") in impacts]
    if failing:
        raise BrowserCheckError(format_violations(failing, page.url))
    return violations


def visit(page, url: str, *, a11y: bool = True, wait_until: str = "load", **goto_kwargs):
    """Open ``url`` (absolute, or relative to the live server), check CSP and accessibility.

    Returns Playwright's response of the navigation.
    """
    response = page.goto(url, wait_until=wait_until, **goto_kwargs)
    monitor(page).assert_clean(page.url)
    if a11y:
        check_a11y(page)
    return response


def screenshot_name(nodeid_or_name: str) -> str:
    """A file-system-safe name for a test (``tests/test_x.py::test_y[375]`` → ``test_x-test_y-375``)."""
    name = nodeid_or_name.rsplit("/", 1)[-1].replace(".py::", "-").replace("::", "-")
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


def save_screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
