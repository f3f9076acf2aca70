from django.urls import include, path

from yiwang.sharing import views

app_name = "sharing"

urlpatterns = [
    path("my-records/", views.my_records, name="my_records"),
    path("", include("yiwang.sharing.urls_steward")),
    path("", include("yiwang.sharing.urls_imports")),
]
