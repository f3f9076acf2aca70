"""Backend-specific full-text DDL, created after every ``migrate`` (not in migrations).

Import this module from ``CatalogConfig.ready()``. After the catalogue app's migrations ran, the
receiver creates — idempotently, ``IF NOT EXISTS`` — the SQLite FTS5 table and its triggers, or the
PostgreSQL generated tsvector columns and GIN indexes (``backends.SearchBackend.install``).
"""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from yiwang.catalog.search.backends import BACKENDS, get_backend


@receiver(post_migrate, dispatch_uid="yiwang.catalog.search.install")
def install_search_structures(sender, app_config=None, using="default", plan=None, **kwargs):
    if app_config is None or app_config.label != "catalog":
        return
    connection = connections[using]
    if connection.vendor not in BACKENDS:
        return
    if "catalog_searchentry" not in connection.introspection.table_names():
        return  # migrated backwards past the search tables
    get_backend(using).install()
