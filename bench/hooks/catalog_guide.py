"""Data hook of the ``catalog_guide`` scenarios: every published demo item's guide page
(办事指南, ``/services/<code>/``), rotated by ``bench/catalog_search.lua``. Run after the
catalogue hooks, so the database holds the demo catalogue (and, later, the 20,000 extra items)."""

import search_volume
import yaml

from yiwang.catalog.demo import DEMO_FILE

search_volume.ensure_demo_catalogue()
# the demo items' guides (not the generated ones: the same pages, measured at both database sizes)
codes = [item["code"] for item in yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["items"]]
search_volume.log(f"catalog_guide: {len(codes)} guide pages")
print("PATHS=" + "|".join(f"/services/{code}/" for code in codes))
