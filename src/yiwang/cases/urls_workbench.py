"""Staff pages of cases (工作台: worklist, case detail and actions, supervision board)."""

from django.urls import path

from yiwang.cases import views_walkin
from yiwang.cases import views_workbench as views

app_name = "cases_workbench"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("board/", views.board, name="board"),
    path("walk-in/", views_walkin.register, name="walk_in"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/unmask/", views.unmask, name="unmask"),
    path("<int:case_id>/materials/<int:material_id>/", views.material, name="material"),
    path("items/<int:item_id>/act/", views.act, name="act"),
    path("items/<int:item_id>/claim/", views.claim, name="claim"),
    path("items/<int:item_id>/release/", views.release, name="release"),
]
