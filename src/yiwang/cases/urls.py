"""Applicant pages of cases (在线办理, 我的办件, receipts and notices, anonymous progress query)."""

from django.urls import path  # noqa: F401

app_name = "cases"
urlpatterns: list = []
