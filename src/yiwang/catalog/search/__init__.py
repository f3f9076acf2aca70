"""Catalogue search (事项检索): jieba segmentation with a project dictionary and stop words, pinyin,
query-time synonyms, SQLite FTS5 or PostgreSQL tsvector behind one interface (ADR 0007).

Public API — other apps code against these names:

- ``index_version(version)``: upsert the entry of ``version.item`` from that version; called by the
  publish service inside its transaction. ``unindex_item(item)``; ``rebuild_index() -> int``.
- ``search(q, filters=None, page=1, page_size=20) -> SearchPage(item_ids, total, page, page_size)``
  with ``SearchFilters(audience, department, theme, item_type, case_type, online, tongban, charges)``.
- ``suggest(q, limit=8) -> [{"code", "name"}]``.
- ``default_synonyms()`` (the shipped defaults, catalogue-file shape), ``upsert_synonyms(entries)``,
  ``seed_default_synonyms()``; ``export_synonyms()`` / ``import_synonyms(entries)`` for the
  catalogue file's ``synonyms:`` section.
"""

from yiwang.catalog.search.dictionary import ensure_registered
from yiwang.catalog.search.engine import SearchFilters, SearchPage, search, suggest
from yiwang.catalog.search.indexing import (
    index_item,
    index_version,
    rebuild_index,
    sync_popularity,
    unindex_item,
)
from yiwang.catalog.search.synonyms import (
    default_synonyms,
    export_synonyms,
    import_synonyms,
    seed_default_synonyms,
    upsert_synonyms,
)

# The catalogue's dictionary and stop words, registered with the kernel tokenizer before any use.
ensure_registered()

__all__ = [
    "SearchFilters", "SearchPage", "default_synonyms", "export_synonyms", "import_synonyms", "index_item",
    "index_version", "rebuild_index", "search", "seed_default_synonyms", "suggest", "sync_popularity",
    "unindex_item", "upsert_synonyms",
]
