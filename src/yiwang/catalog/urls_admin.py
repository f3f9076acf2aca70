from django.urls import path

from yiwang.catalog import views_admin

app_name = "catalog_admin"
urlpatterns = [
    path("", views_admin.item_list, name="items"),
    path("items/<int:pk>/", views_admin.item_detail, name="item"),
    path("items/<int:pk>/draft/", views_admin.new_draft, name="new_draft"),
    path("versions/<int:version_id>/edit/", views_admin.edit_version, name="edit"),
    path("versions/<int:version_id>/submit/", views_admin.submit_version, name="submit"),
    path("review/", views_admin.review_queue, name="review"),
    path("review/<int:version_id>/", views_admin.review_version, name="review_version"),
]
