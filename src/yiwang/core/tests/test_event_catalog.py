"""The event list in code, the one in docs/ and the events the code emits and consumes agree."""

import re
from pathlib import Path

from django.template.loader import get_template

from yiwang.core import dispatch
from yiwang.core.event_catalog import BY_NAME, EVENTS, NOTIFY, markdown

SRC = Path(__file__).resolve().parents[2]
ROOT = SRC.parents[1]


def _emitted() -> set[str]:
    names = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'emit\(\s*"([a-z_.]+)"', text))
        for prefix in re.findall(r'emit\(\s*f"([a-z_.]+)\{', text):  # emit(f"case.{state}") → every case.*
            names |= {e.name for e in EVENTS if e.name.startswith(prefix)} or {prefix + "?"}
    return names


def test_docs_table_is_generated_from_the_catalogue():
    assert (ROOT / "docs" / "events.md").read_text(encoding="utf-8") == markdown(), (
        "docs/events.md 与代码不一致：运行 yiwang events --markdown > docs/events.md")


def test_every_emitted_event_is_listed():
    missing = _emitted() - set(BY_NAME)
    assert not missing, f"事件未登记在 core/event_catalog.py：{sorted(missing)}"
    assert len(BY_NAME) == len(EVENTS)


def test_listed_consumers_are_registered_and_have_templates():
    for event in EVENTS:
        registered = bool(dispatch.consumers_of(event.name))
        assert registered == (NOTIFY in event.consumers), event.name
        if NOTIFY in event.consumers:
            for part in ("title", "body", "email"):
                get_template(f"notifications/{event.name}/{part}.txt")
