"""The demo catalogue of 兖州区 (演示数据), loaded by ``yiwang demo load`` through the importer."""

from __future__ import annotations

from pathlib import Path

import yaml

from yiwang.catalog import transfer
from yiwang.catalog.models import ItemVersion

DEMO_FILE = Path(__file__).parent / "data" / "demo_catalog.yaml"


def load_demo_catalogue(path: Path = DEMO_FILE) -> str:
    """Import the demo file unless every version in it is already there (so a second
    ``make run`` starts in seconds); the importer itself is idempotent too."""
    from yiwang.catalog import search

    search.seed_default_synonyms()  # idempotent; the demo file adds its own on top
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    wanted = {(i["code"], v["number"]) for i in data.get("items") or [] for v in i.get("versions") or []}
    have = set(ItemVersion.objects.filter(item__code__in={c for c, _ in wanted}).values_list("item__code", "number"))
    if wanted and wanted <= have:
        return f"已是最新（{len(wanted)} 个版本）"
    report = transfer.import_catalog(data, is_demo=True)
    return f"新建事项 {report.created_items} 个，新建版本 {report.created_versions} 个"
