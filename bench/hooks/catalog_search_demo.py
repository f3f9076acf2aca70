"""Data hook of the ``catalog_search`` scenario: the demo catalogue, indexed, default synonyms.

Prints ``PATHS=`` — the request paths of the fixed query mix (``search_volume.query_mix()`` plus a
few filtered and paged listings), ``|``-separated, for ``bench/catalog_search.lua``.
"""

import search_volume

entries = search_volume.ensure_demo_catalogue()
search_volume.vacuum_analyze()
search_volume.log(f"catalog_search: {entries} indexed items")
print(f"PATHS={search_volume.request_paths()}")
