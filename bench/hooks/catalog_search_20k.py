"""Data hook of the ``catalog_search_20k`` scenario: the demo catalogue plus 20,000 generated,
indexed items (bulk inserts, about a minute), then the same query mix as ``catalog_search``."""

import os

import search_volume

search_volume.ensure_demo_catalogue()
search_volume.generate_items(int(os.environ.get("BENCH_SEARCH_ITEMS", "20000")))
search_volume.vacuum_analyze()
print(f"PATHS={search_volume.request_paths()}")
