from django.urls import path

from yiwang.sharing import views_imports

urlpatterns = [
    path("resources/<str:code>/import/", views_imports.import_page, name="import"),
    path("resources/<str:code>/import/template.csv", views_imports.import_template, name="import_template"),
]
