from django.urls import path

from yiwang.sharing import views

app_name = "sharing"

urlpatterns = [
    path("my-records/", views.my_records, name="my_records"),
]
