"""Catalogue tables. Split by concern; Django finds them all through this package."""

from yiwang.catalog.models.items import BaseItem, Fee, ItemVersion, Material, ServiceItem, VersionStatus
from yiwang.catalog.models.search import SearchEntry, Synonym
from yiwang.catalog.models.taxonomy import Bundle, BundleItem, LifeEvent, Theme

__all__ = [
    "BaseItem", "Bundle", "BundleItem", "Fee", "ItemVersion", "LifeEvent", "Material", "ServiceItem",
    "SearchEntry", "Synonym", "Theme", "VersionStatus",
]
