"""Search synonyms: the defaults shipped in ``data/synonyms.txt`` and the query-time lookup table.

Synonyms are applied at query time only, so editing the table needs no reindex. The table is read
through a per-process cache that is checked against a cheap stamp (row count, last update, last id)
on every search: an edit saved in the admin by one process is seen by every other process on its
next search.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, transaction

from yiwang.catalog.models.search import Synonym, split_terms
from yiwang.core import text

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.txt"


def parse_synonym_lines(lines) -> list[dict]:
    """``a = b = c`` → ``{"terms": [a, b, c]}``; ``a -> b, c`` → ``{"from": a, "to": [b, c]}``."""
    entries: list[dict] = []
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "->" in line:
            source, targets = line.split("->", 1)
            to = split_terms(targets)
            if source.strip() and to:
                entries.append({"from": source.strip(), "to": to})
        elif "=" in line:
            terms = [t.strip() for t in line.split("=") if t.strip()]
            if len(terms) >= 2:
                entries.append({"terms": terms})
    return entries


def default_synonyms() -> list[dict]:
    """The shipped defaults, in the ``synonyms:`` shape of the catalogue file (docs/catalog-format.md):
    ``{"terms": [...]}`` for equivalent terms, ``{"from": word, "to": [...]}`` for one-way mappings."""
    return parse_synonym_lines(SYNONYMS_FILE.read_text(encoding="utf-8").splitlines())


def default_terms() -> list[str]:
    """Every term of the defaults: added to the tokenizer's dictionary so each is cut as one word."""
    terms: list[str] = []
    for entry in default_synonyms():
        terms.extend(entry.get("terms") or [])
        if entry.get("from"):
            terms.append(entry["from"])
        terms.extend(entry.get("to") or [])
    return list(dict.fromkeys(terms))


def _key(terms) -> tuple[str, ...]:
    return tuple(sorted({text.normalize(t, None) for t in terms} - {""}))


@transaction.atomic
def upsert_synonyms(entries) -> int:
    """Write catalogue-file synonym entries into the table, idempotently: an equivalent group is
    matched by its set of terms, a one-way mapping by its source word (its targets are replaced).
    Returns the number of rows created or changed. Raises ``ValueError`` for a malformed entry."""
    existing_groups = {
        _key(row.term_list): row for row in Synonym.objects.filter(kind=Synonym.Kind.EQUIVALENT)
    }
    existing_maps = {
        text.normalize(row.source, None): row for row in Synonym.objects.filter(kind=Synonym.Kind.ONE_WAY)
    }
    changed = 0
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"synonyms[{n}]: 应为 {{terms: [...]}} 或 {{from: 词, to: [...]}}")
        if "from" in entry:
            source = str(entry.get("from") or "").strip()
            targets = split_terms(entry.get("to") or [])
            if not source or not targets:
                raise ValueError(f"synonyms[{n}]: 单向映射须有 from 和至少一个 to")
            row = existing_maps.get(text.normalize(source, None))
            joined = "、".join(targets)
            if row is None:
                row = Synonym(kind=Synonym.Kind.ONE_WAY, source=source, terms=joined)
                row.full_clean()
                row.save()
                existing_maps[text.normalize(source, None)] = row
                changed += 1
            elif row.term_list != targets or not row.active:
                row.terms, row.active = joined, True
                row.full_clean()
                row.save()
                changed += 1
        else:
            terms = split_terms(entry.get("terms") or [])
            if len(terms) < 2:
                raise ValueError(f"synonyms[{n}]: 同义词组须至少有两个词")
            if _key(terms) in existing_groups:
                continue
            row = Synonym(kind=Synonym.Kind.EQUIVALENT, terms="、".join(terms))
            row.full_clean()
            row.save()
            existing_groups[_key(terms)] = row
            changed += 1
    return changed


def seed_default_synonyms() -> int:
    """Load the shipped defaults into the table (idempotent). Called by the demo loader."""
    return upsert_synonyms(default_synonyms())


# --- query-time lookup --------------------------------------------------------------------------------

@dataclass
class SynonymTable:
    """term → the other terms it also looks for (normalised, spaces kept inside a term)."""

    expansions: dict[str, list[str]] = field(default_factory=dict)

    def add(self, source: str, targets) -> None:
        source = text.normalize(source, None)
        if not source:
            return
        bucket = self.expansions.setdefault(source, [])
        for target in targets:
            target = text.normalize(target, None)
            if target and target != source and target not in bucket:
                bucket.append(target)

    def lookup(self, term: str) -> list[str]:
        return self.expansions.get(term, [])

    def phrase_sources(self) -> list[str]:
        """Terms matched inside a query as substrings: Chinese terms of two or more characters
        (ASCII and one-character terms only match a whole query word)."""
        return [t for t in self.expansions if len(t.replace(" ", "")) >= 2 and text.has_cjk(t)]

    @classmethod
    def from_rows(cls, rows) -> SynonymTable:
        table = cls()
        for kind, source, terms in rows:
            term_list = split_terms(terms)
            if kind == Synonym.Kind.ONE_WAY:
                table.add(source, term_list)
            else:
                for term in term_list:
                    table.add(term, [t for t in term_list if t != term])
        return table


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple, SynonymTable]] = {}


def synonym_table(using: str = "default") -> SynonymTable:
    table_name = Synonym._meta.db_table
    with connections[using].cursor() as cursor:  # plain SQL: this runs before every search
        cursor.execute(f"SELECT COUNT(*), MAX(updated_at), MAX(id) FROM {table_name} WHERE active = %s", [True])
        stamp = tuple(cursor.fetchone())
    cached = _cache.get(using)
    if cached and cached[0] == stamp:
        return cached[1]
    rows = Synonym.objects.using(using).filter(active=True).values_list("kind", "source", "terms")
    table = SynonymTable.from_rows(rows)
    with _cache_lock:
        _cache[using] = (stamp, table)
    return table


def export_synonyms() -> list[dict]:
    """The active synonym table in the catalogue file's ``synonyms:`` shape (stable order)."""
    entries: list[dict] = []
    for row in Synonym.objects.filter(active=True).order_by("kind", "source", "terms", "id"):
        if row.kind == Synonym.Kind.ONE_WAY:
            entries.append({"from": row.source, "to": row.term_list})
        else:
            entries.append({"terms": row.term_list})
    return entries


def import_synonyms(entries) -> int:
    """The importer's entry point: ``upsert_synonyms`` for the file's ``synonyms:`` section.
    Raises ``ValueError`` (Chinese message naming ``synonyms[n]``) for a malformed entry."""
    if entries in (None, ""):
        return 0
    if not isinstance(entries, list):
        raise ValueError("synonyms: 应为列表")
    return upsert_synonyms(entries)
