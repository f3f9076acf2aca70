from django.contrib import admin
from django.urls import include, path

from yiwang.api import api
from yiwang.core.views import healthz

admin.site.site_header = "一网 Yiwang 平台管理"
admin.site.site_title = "一网 Yiwang"
admin.site.index_title = "平台管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("yiwang.accounts.urls")),
    path("services/", include("yiwang.catalog.urls")),
    path("cases/", include("yiwang.cases.urls")),
    path("messages/", include("yiwang.notifications.urls")),
    path("certificates/", include("yiwang.certificates.urls")),
    path("sharing/", include("yiwang.sharing.urls")),
    path("workbench/cases/", include("yiwang.cases.urls_workbench")),
    path("workbench/dead-letters/", include("yiwang.notifications.urls_admin")),
    path("workbench/catalog/", include("yiwang.catalog.urls_admin")),
    path("workbench/catalog/", include("yiwang.catalog.urls_editor")),
    path("", include("yiwang.portal.urls")),
]
