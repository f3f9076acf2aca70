from django.urls import path

from yiwang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("personal/", views.personal, name="personal"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("themes/", views.themes, name="themes"),
    path("departments/", views.departments, name="departments"),
    path("search/", views.search, name="search"),
    path("display/elder-mode/", views.elder_mode, name="elder_mode"),
]
