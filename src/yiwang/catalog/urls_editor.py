"""Form editor URLs (included under ``/workbench/catalog/``, namespace ``catalog_editor``).

``_add`` and ``_move`` cannot clash with field names, which start with a letter."""

from django.urls import path

from yiwang.catalog import views_editor

app_name = "catalog_editor"
urlpatterns = [
    path("<int:version_id>/form/", views_editor.form, name="form"),
    path("<int:version_id>/form/_add/", views_editor.add_field, name="add_field"),
    path("<int:version_id>/form/_move/", views_editor.move_field, name="move_field"),
    path("<int:version_id>/form/<str:name>/", views_editor.edit_field, name="edit_field"),
    path("<int:version_id>/form/<str:name>/delete/", views_editor.delete_field, name="delete_field"),
]
