from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiwang.catalog"
    label = "catalog"
    verbose_name = "事项目录"

    def ready(self) -> None:
        from yiwang.catalog.search import signals  # noqa: F401  (creates the FTS/tsvector structures)
