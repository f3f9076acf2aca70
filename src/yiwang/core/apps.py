from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from yiwang.core import signals  # noqa: F401
