from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from yiwang.cases import sources, tasks  # noqa: F401  (tasks: registers the periodic jobs)

        sources.register_form_field_source(sources.ProfileFieldSource())
