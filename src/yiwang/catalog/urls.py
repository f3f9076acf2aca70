"""Catalogue pages under /services/ (namespace ``catalog``)."""

from django.urls import path

from yiwang.catalog import views, views_files

app_name = "catalog"
urlpatterns = [
    path("", views.listing, name="list"),
    path("bundles/", views.bundle_index, name="bundles"),
    path("bundles/<slug:code>/", views.bundle, name="bundle"),
    path("themes/<slug:code>/", views.theme, name="theme"),
    path("life-events/<slug:code>/", views.life_event, name="life_event"),
    path("<str:code>/", views.guide, name="guide"),
    path("<str:code>/materials/<str:material_code>/<str:kind>/", views_files.material_file, name="material_file"),
    path("<str:code>/result-sample/", views_files.result_sample, name="result_sample"),
]
