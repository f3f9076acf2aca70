"""Writing the search index: one ``SearchEntry`` per implementing item with a published version.

``index_version`` runs inside the publishing transaction (DESIGN §3): the entry — and, through the
database's own triggers or generated columns, the full-text index — commits or rolls back with the
publication. Nothing is deferred to a worker.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Subquery

from yiwang.catalog.models import ItemVersion, Material, SearchEntry, ServiceItem, Theme, VersionStatus
from yiwang.catalog.search.backends import get_backend
from yiwang.core import text


class _Segmenter:
    """tokenize()/pinyin_forms() with a memo: catalogues repeat material names, laws and conditions."""

    def __init__(self, memo: bool = False):
        self.memo: dict | None = {} if memo else None

    def tokens(self, value: str) -> list[str]:
        if not value:
            return []
        if self.memo is None:
            return text.tokenize(value)
        key = ("t", value)
        if key not in self.memo:
            self.memo[key] = text.tokenize(value)
        return self.memo[key]

    def pinyin(self, value: str) -> list[str]:
        if not value:
            return []
        if self.memo is None:
            return text.pinyin_forms(value)
        key = ("p", value)
        if key not in self.memo:
            self.memo[key] = text.pinyin_forms(value)
        return self.memo[key]


def _joined(values) -> str:
    return " ".join(v for v in values if v)


def _bar(values) -> str:
    values = [str(v) for v in values if v not in (None, "")]
    return ("|" + "|".join(values) + "|") if values else ""


def entry_fields(version: ItemVersion, segmenter: _Segmenter | None = None) -> dict:
    """The column values of the search entry for ``version``'s item."""
    seg = segmenter or _Segmenter()
    item = version.item
    aliases = [a for a in (version.aliases or []) if isinstance(a, str) and a.strip()]
    materials = [m.name for m in version.materials.all()]
    themes = list(version.themes.all())
    department = item.department

    title = seg.tokens(version.name)
    alias_texts = [*aliases, version.result_name]
    if item.base_id and item.base.name and item.base.name != version.name:
        alias_texts.append(item.base.name)
    alias: list[str] = []
    for value in alias_texts:
        alias.extend(seg.tokens(value))
    for value in (version.name, *aliases):
        alias.extend(seg.pinyin(value))
    body: list[str] = []
    for value in (version.summary, version.conditions, *materials, version.legal_basis,
                  *(t.name for t in themes), department.name, department.short_name):
        body.extend(seg.tokens(value))

    return {
        "version": version,
        "code": item.code,
        "name": version.name,
        "name_key": text.normalize(version.name, None)[:200],
        "department_code": department.code,
        "region_code": item.region_id or "",
        "audiences": _bar(sorted({str(a) for a in version.audiences or []})),
        "themes": _bar(t.code for t in themes),
        "item_type": version.item_type,
        "case_type": version.case_type,
        "online_level": version.online_depth_level,
        "online_capable": version.online_capable,
        "tongban_scope": version.tongban_scope or "",
        "charges": bool(version.charges),
        "popularity": item.popularity or 0,
        "title_tokens": _joined(title),
        "alias_tokens": _joined(alias),
        "body_tokens": _joined(body),
    }


def index_version(version: ItemVersion) -> SearchEntry:
    """Upsert the search entry of ``version.item`` from ``version`` (the version being published).

    Call it inside the publishing transaction; it joins that transaction, so a rollback leaves the
    index as it was."""
    with transaction.atomic():
        fields = entry_fields(version)
        entry, _ = SearchEntry.objects.update_or_create(item_id=version.item_id, defaults=fields)
    return entry


def index_item(item: ServiceItem) -> SearchEntry | None:
    """Index ``item.current`` if it is published, otherwise remove the item from the index."""
    version = item.current
    if version is not None and version.status == VersionStatus.PUBLISHED:
        return index_version(version)
    unindex_item(item)
    return None


def unindex_item(item: ServiceItem | int) -> None:
    """Remove an item from the index (withdrawn, or no longer published)."""
    item_id = item if isinstance(item, int) else item.pk
    SearchEntry.objects.filter(item_id=item_id).delete()


def published_versions():
    """Every current published version, with what indexing reads, fetched in few queries."""
    return (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .filter(item__current_id=F("id"))
        .select_related("item", "item__department", "item__base")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.only("id", "version_id", "name")),
                          Prefetch("themes", queryset=Theme.objects.only("id", "code", "name")))
        .order_by("item_id")
    )


def build_entries(versions, segmenter: _Segmenter | None = None) -> list[SearchEntry]:
    seg = segmenter or _Segmenter(memo=True)
    return [SearchEntry(item_id=v.item_id, **entry_fields(v, seg)) for v in versions]


@transaction.atomic
def rebuild_index(batch_size: int = 500) -> int:
    """Drop every entry and index every current published version again. Returns the count."""
    SearchEntry.objects.all().delete()
    seg = _Segmenter(memo=True)
    count = 0
    batch = []
    for version in published_versions().iterator(chunk_size=batch_size):
        batch.append(SearchEntry(item_id=version.item_id, **entry_fields(version, seg)))
        if len(batch) >= batch_size:
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        SearchEntry.objects.bulk_create(batch)
        count += len(batch)
    get_backend().rebuild()
    return count


def sync_popularity() -> int:
    """Copy ``ServiceItem.popularity`` into the entries (run after hot-item counters are updated)."""
    live = ServiceItem.objects.filter(pk=OuterRef("item_id")).values("popularity")[:1]
    return SearchEntry.objects.update(popularity=Subquery(live))
