"""Shared helpers of the cases browser journeys: a fast subset of the demo data, logging in,
answers that satisfy an item's form schema and typing them into the server-rendered form, uploads,
and driving work items through the services where a journey is not about the page."""

from __future__ import annotations

import copy
import io
import re
from functools import cache
from typing import Any

from playwright.sync_api import expect

from yiwang.accounts.demo import DEMO_PASSWORD, demo_id_number
from yiwang.cases.demo import blank_pdf as pdf_bytes
from yiwang.cases.forms import html_value, prefill
from yiwang.catalog import formschema
from yiwang.testing.browser import visit

ADDRESS = {"region_code": "370812", "detail": "鼓楼街道建设东路18号"}
STEP_ACTION = {"accept": "accept", "undertake": "pass", "review": "pass", "joint_review": "pass",
               "approve": "decide_grant", "decide": "decide_grant", "accept_instant": "decide_grant",
               "complete": "complete", "deliver": "deliver"}


# --- demo data -----------------------------------------------------------------------------------


@cache
def _demo_document() -> dict:
    import yaml

    from yiwang.catalog.demo import DEMO_FILE

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~4× faster on this 850 kB file
    return yaml.load(DEMO_FILE.read_text(encoding="utf-8"), Loader=loader)  # a safe loader


def load_demo(items: tuple[str, ...] = (), bundles: tuple[str, ...] = ()) -> None:
    """The demo org and accounts, and only the named items and bundles of the demo catalogue (the
    whole file takes ~9 s to import; a handful of items well under one)."""
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.catalog import transfer
    from yiwang.org.demo import load_demo_org

    load_demo_org()
    load_demo_accounts()
    doc = _demo_document()
    wanted_bundles = [b for b in doc["bundles"] if b["code"] in bundles]
    codes = set(items) | {c for b in wanted_bundles for c in b["items"]}
    chosen = [i for i in doc["items"] if i["code"] in codes]
    assert {i["code"] for i in chosen} == codes, f"not in the demo catalogue: {codes - {i['code'] for i in chosen}}"
    bases = {str(i["base"]) for i in chosen}
    transfer.import_catalog(copy.deepcopy({
        "format": doc["format"], "themes": doc["themes"],
        "base_items": [b for b in doc["base_items"] if str(b["basic_code"]) in bases],
        "items": chosen, "bundles": wanted_bundles,
    }), is_demo=True)


def user(username: str):
    from yiwang.accounts.models import User

    return User.objects.get(username=username)


# --- pages ---------------------------------------------------------------------------------------


def login(page, username: str, next_url: str) -> None:
    """Log in on the login page (checked by axe) and land on ``next_url``."""
    visit(page, f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名 / 手机号 / 身份证号").fill(username)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.locator("form:has(input[value=password])").get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.wait_for_load_state()


def wait_for(page, pattern: str) -> None:
    page.wait_for_url(re.compile(pattern))
    page.wait_for_load_state()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 79, 158)).save(buf, format="PNG")
    return buf.getvalue()


def pdf_file(name: str = "材料.pdf") -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def png_file(name: str = "扫描件.png") -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes()}


def choose_files(page, scope=None) -> int:
    """Choose a file in every empty upload slot of the page (or of ``scope``); returns how many.
    Alternates PDF and PNG so both kinds pass the content check."""
    slots = (scope or page).locator('input[type="file"][name^="file-"]')
    n = slots.count()
    for i in range(n):
        slots.nth(i).set_input_files(pdf_file() if i % 2 == 0 else png_file())
    return n


def action_form(page, label: str):
    """The <details> action panel whose summary is ``label`` (补正告知, 受理, 办结 …) on the staff case page."""
    return page.locator("details.action-panel").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def act_on_page(page, label: str, button: str | None = None, opinion: str = "") -> None:
    """Open an action panel on the staff case page, write the opinion, press its button and wait
    for the success message."""
    panel = action_form(page, label)
    expect(panel).to_have_count(1)
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    if opinion:
        panel.get_by_label("办理意见").fill(opinion)
    panel.get_by_role("button", name=button or label, exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile(rf"已办理：{re.escape(label)}"))).to_be_visible()


# --- the application form ------------------------------------------------------------------------


def _triggers(specs) -> dict[str, set[str]]:
    """Values of controlling fields that would show (and require) a conditional field."""
    out: dict[str, set[str]] = {}
    for s in specs:
        if s.condition is not None:
            out.setdefault(s.condition.field, set()).add(html_value(s.condition.equals))
    return out


def _value(spec, avoid: dict[str, set[str]], enterprise) -> Any:
    from yiwang.core.identifiers import make_uscc

    bad = avoid.get(spec.name, set())
    options = [o.value for o in spec.options if html_value(o.value) not in bad] or [o.value for o in spec.options]
    kind = spec.kind
    if kind in ("select", "radio"):
        return options[0]
    if kind == "checkboxes":
        return options[:1]
    if kind == "checkbox":
        return "true" not in bad
    if kind == "id_number":
        return demo_id_number("19900101", "123")
    if kind == "uscc":
        return enterprise.uscc if enterprise is not None else make_uscc("9", "1", "370812", "MA00K7L2")
    if kind == "phone":
        return "13800000009"
    if kind == "email":
        return "test@example.com"
    if kind == "date":
        return "2026-01-05"
    if kind == "number":
        low = spec.minimum if spec.minimum is not None else 1
        return int(max(low, 1)) if spec.maximum is None or spec.maximum >= 1 else spec.maximum
    if kind == "region_code":
        return ADDRESS["region_code"]
    if kind == "address":
        return dict(ADDRESS)
    if kind == "group":
        rows = max(int(spec.min_items or 1), 1)
        child_avoid = _triggers(spec.children)
        return [{c.name: _value(c, child_avoid, enterprise) for c in spec.children
                 if c.required and c.condition is None} for _ in range(rows)]
    text = "测试填写"
    if spec.min_length and len(text) < spec.min_length:
        text = text * spec.min_length
    return text[: spec.max_length or 50]


def answers(schema: dict, ui: dict, *, applicant=None, enterprise=None, choose: dict | None = None) -> dict:
    """Answers that pass the schema: the applicant's profile (prefill) plus a value for every
    required field, avoiding values that would open conditional fields; ``choose`` wins."""
    specs = formschema.fields(schema, ui)
    avoid = _triggers(specs)
    data = prefill(specs, {}, applicant, enterprise) if applicant is not None else {}
    data.update(choose or {})
    for s in specs:
        if s.condition is None and s.required and data.get(s.name) in (None, "", []):
            data[s.name] = _value(s, avoid, enterprise)
    for s in specs:  # conditional fields the chosen values opened
        if s.condition is not None and s.required and s.name not in data \
                and html_value(data.get(s.condition.field)) == html_value(s.condition.equals):
            data[s.name] = _value(s, {}, enterprise)
    errors = formschema.validate(schema, data)
    assert not errors, f"generated answers do not fit the form: {errors}"
    return data


def fill_form(page, schema: dict, ui: dict, data: dict) -> None:
    """Type ``data`` into the draft page's form (top-level names, ``addr-detail``, ``rows-0-x``)."""
    for spec in formschema.fields(schema, ui):
        if spec.name in data:
            _fill(page, spec, data[spec.name], spec.name)


def _fill(page, spec, value: Any, name: str) -> None:
    kind = spec.kind
    box = page.locator(f'[name="{name}"]')
    if kind == "address":
        for part in spec.children:
            if part.name in (value or {}):
                page.locator(f'[name="{name}-{part.name}"]').fill(html_value(value[part.name]))
    elif kind == "group":
        for i, row in enumerate(value or []):
            for child in spec.children:
                if child.name in row:
                    _fill(page, child, row[child.name], f"{name}-{i}-{child.name}")
    elif kind == "select":
        box.select_option(html_value(value))
    elif kind in ("radio", "checkboxes"):
        for v in value if isinstance(value, list) else [value]:
            page.locator(f'[name="{name}"][value="{html_value(v)}"]').check()
    elif kind == "checkbox":
        box.set_checked(value is True)
    else:
        box.fill(html_value(value))


# --- services ------------------------------------------------------------------------------------


def staff_for(work_item):
    """A member of staff holding the work item's role in its department (the demo has one)."""
    from yiwang.accounts.models import User

    found = (User.objects.filter(staff_roles__role=work_item.role, staff_roles__department=work_item.department)
             .order_by("username").first())
    assert found is not None, f"nobody holds {work_item.role} in {work_item.department.code}"
    return found


def drive_to_end(case, *, max_steps: int = 20) -> list[str]:
    """Act on every open work item of ``case`` (accept, pass, grant, complete, deliver at the
    window) until none is left; returns the steps taken."""
    from yiwang.cases import handling
    from yiwang.cases.models import WorkItem

    taken = []
    for _ in range(max_steps):
        wi = case.work_items.filter(status=WorkItem.Status.OPEN).select_related("department", "case").first()
        if wi is None:
            return taken
        data = {"method": "window"} if wi.step == "deliver" else {}
        handling.act(staff_for(wi), wi, STEP_ACTION[wi.step], data)
        taken.append(wi.step)
    raise AssertionError(f"{case.number} still has open work items after {max_steps} steps: {taken}")
