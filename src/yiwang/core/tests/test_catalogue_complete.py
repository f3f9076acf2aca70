"""Every string of the English catalogue is translated and none is fuzzy (fuzzy entries are
ignored at runtime, so the English screen would show Chinese)."""

import re
from pathlib import Path

import yiwang

PO = Path(yiwang.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    return [e for e in PO.read_text(encoding="utf-8").split("\n\n") if e.strip() and not e.startswith("#~")]


def test_no_untranslated_or_fuzzy_entries():
    bad = []
    for entry in entries()[1:]:  # the first entry is the header
        msgid = re.search(r'^msgid "(.*)"$', entry, re.M)
        empty = re.search(r'^msgstr(\[\d\])? ""$', entry, re.M) and not re.search(
            r'^msgstr(\[\d\])? ""\n"', entry, re.M)
        if "#, fuzzy" in entry or empty:
            bad.append(msgid.group(1) if msgid else entry[:80])
    assert not bad, f"{len(bad)} untranslated or fuzzy: {bad[:10]}"
