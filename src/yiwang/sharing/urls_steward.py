"""The catalogue, the stewards' 共享申请 and 数据纠错 pages (included under /sharing/, app "sharing")."""

from django.urls import path

from yiwang.sharing import views_steward as views

urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_new, name="resource_new"),  # before <code>/: "new" is no code
    path("resources/<str:code>/", views.resource_detail, name="resource_detail"),
    path("resources/<str:code>/edit/", views.resource_edit, name="resource_edit"),
    path("grants/", views.grants_home, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:grant_id>/decide/", views.grant_decide, name="grant_decide"),
    path("objections/", views.objections_mine, name="objections"),
    path("objections/new/", views.objection_new, name="objection_new"),
    path("objections/inbox/", views.objection_inbox, name="objection_inbox"),
    path("objections/<int:objection_id>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
]
