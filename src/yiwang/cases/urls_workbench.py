"""Staff pages of cases (工作台: worklist, case detail and actions, supervision board)."""

from django.urls import path  # noqa: F401

app_name = "cases_workbench"
urlpatterns: list = []
