"""``search()`` and ``suggest()``: query planning, backend, re-ranking, pagination."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.catalog.models import SearchEntry
from yiwang.catalog.search.backends import Filters, get_backend
from yiwang.catalog.search.query import RERANK_WINDOW, Hit, QueryPlan, build_plan, rerank
from yiwang.catalog.search.synonyms import synonym_table
from yiwang.core import text

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000
ONLINE_VALUES = {"full", "capable"}


@dataclass
class SearchFilters:
    """Listing filters; ``None`` (or blank) means "any". Values are the national codes as strings
    (DESIGN §4.1): ``audience`` 服务对象 "1"…"6", ``department`` the department code, ``theme`` a
    theme code, ``item_type`` "01"…"20", ``case_type`` "1"/"2", ``online`` "full" (全程网办) or
    "capable" (网上可办), ``tongban`` 通办范围 code, ``charges`` 是否收费."""

    audience: str | None = None
    department: str | None = None
    theme: str | None = None
    item_type: str | None = None
    case_type: str | None = None
    online: str | None = None
    tongban: str | None = None
    charges: bool | None = None

    def cleaned(self) -> SearchFilters:
        def clean(value):
            if value is None:
                return None
            value = str(value).strip()[:100]
            return value or None

        online = clean(self.online)
        charges = self.charges
        if isinstance(charges, str):
            charges = {"true": True, "1": True, "false": False, "0": False}.get(charges.strip().lower())
        return SearchFilters(
            audience=clean(self.audience), department=clean(self.department), theme=clean(self.theme),
            item_type=clean(self.item_type), case_type=clean(self.case_type),
            online=online if online in ONLINE_VALUES else None, tongban=clean(self.tongban),
            charges=None if charges is None else bool(charges),
        )


@dataclass
class SearchPage:
    item_ids: list[int]
    total: int
    page: int
    page_size: int


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def clamp_paging(page, page_size) -> tuple[int, int]:
    page = min(max(_int(page, 1), 1), MAX_PAGE)
    page_size = _int(page_size, DEFAULT_PAGE_SIZE)
    page_size = DEFAULT_PAGE_SIZE if page_size < 1 else min(page_size, MAX_PAGE_SIZE)
    return page, page_size


@dataclass
class SearchResult:
    """What the command line shows: the plan, the hits with their scores, the total."""

    plan: QueryPlan
    hits: list[Hit]
    item_ids: list[int]
    total: int
    page: int
    page_size: int


def _ordered(backend, plan: QueryPlan, where: Filters, start: int, stop: int) -> tuple[list[tuple[int, float]], int]:
    """Rows ``[start, stop)`` of the backend order (title/alias matches, then body-only matches),
    as (entry id, backend score), and the total number of matches."""
    rows = backend.title_matches(plan, where, limit=stop - start, offset=start)
    if len(rows) == stop - start:  # the page is all title matches; how many more does not matter
        return rows, backend.count(plan, where)
    if start == 0:  # every title match is in hand
        title_total, exclude = len(rows), [entry_id for entry_id, _ in rows]
    else:
        title_total = start + len(rows) if rows else backend.title_count(plan, where)
        exclude = None
    body_offset = max(0, start - title_total)
    body_limit = stop - max(start, title_total)
    body, body_total = backend.body_matches(plan, where, limit=body_limit, offset=body_offset, exclude=exclude)
    total = title_total + body_total if body_total is not None else backend.count(plan, where)
    return rows + body, total


def run_search(q, filters: SearchFilters | None = None, page=1, page_size=DEFAULT_PAGE_SIZE) -> SearchResult:
    page, page_size = clamp_paging(page, page_size)
    backend = get_backend()
    where = Filters.build(filters.cleaned() if filters else None)
    offset = (page - 1) * page_size
    end = offset + page_size
    plan = build_plan(q if isinstance(q, str) else "", synonym_table())
    if plan.empty:
        item_ids, total = backend.listing(where, page_size, offset)
        return SearchResult(plan, [], item_ids, total, page, page_size)
    with backend.reading():
        if offset < RERANK_WINDOW:
            rows, total = _ordered(backend, plan, where, 0, max(end, RERANK_WINDOW))
            hits = backend.hits(rows)
            hits = (rerank(plan, hits[:RERANK_WINDOW]) + hits[RERANK_WINDOW:])[offset:end]
        else:
            rows, total = _ordered(backend, plan, where, offset, end)
            hits = backend.hits(rows)
    return SearchResult(plan, hits, [h.item_id for h in hits], total, page, page_size)


def search(q: str, filters: SearchFilters | None = None, page: int = 1,
           page_size: int = DEFAULT_PAGE_SIZE) -> SearchPage:
    """Ranked item ids for a resident's query, with filters and pagination. Never raises on any
    query string; ``page_size`` is clamped to 1…100; an empty (or punctuation-only, or stop-words
    only) query lists the filtered items by popularity."""
    result = run_search(q, filters, page, page_size)
    return SearchPage(item_ids=result.item_ids, total=result.total, page=result.page, page_size=result.page_size)


def _pinyin_starts(name: str, prefix: str) -> bool:
    return any(form.startswith(prefix) for form in text.pinyin_forms(name)[:2])


def suggest(q: str, limit: int = 8) -> list[dict]:
    """Suggestions while typing: ``[{"code", "name"}]``. Pinyin or initials (``yy`` → 营业执照…),
    name prefixes, names containing the text, synonyms of what was typed (``社保`` → 社会保障卡…),
    then the best search results."""
    limit = min(max(_int(limit, 8), 1), 20)
    normalized = text.normalize(q if isinstance(q, str) else "")
    compact = normalized.replace(" ", "")
    if not compact:
        return []
    backend = get_backend()
    found: dict[str, str] = {}

    def take(hits) -> bool:
        for hit in hits:
            found.setdefault(hit.code, hit.name)
            if len(found) >= limit:
                return True
        return False

    if compact.isascii() and compact.isalnum():
        if any(ch.isdigit() for ch in compact):  # an item code being typed
            rows = (SearchEntry.objects.filter(code__startswith=compact.upper())
                    .order_by("-popularity", "code").values_list("code", "name")[:limit])
            for code, name in rows:
                found.setdefault(code, name)
        else:
            hits = backend.prefix(compact, 50)
            hits.sort(key=lambda h: (not _pinyin_starts(h.name, compact), -h.popularity, h.code))
            take(hits)
        if len(found) >= limit:
            return [{"code": c, "name": n} for c, n in found.items()]
    else:
        if take(backend.names_like(compact, limit)) or take(backend.names_like(compact, limit, anywhere=True)):
            return [{"code": c, "name": n} for c, n in found.items()]
        table = synonym_table()
        for source, targets in table.expansions.items():
            if source.replace(" ", "").startswith(compact) and text.has_cjk(source):
                for term in (source, *targets):
                    if take(backend.names_like(term.replace(" ", ""), limit, anywhere=True)):
                        return [{"code": c, "name": n} for c, n in found.items()]
    result = run_search(normalized, page_size=limit)
    take(result.hits)
    return [{"code": c, "name": n} for c, n in found.items()][:limit]
