from django.urls import path

from yiwang.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.wallet, name="wallet"),
    path("verify/", views.verify, name="verify"),
    path("shared/", views.shared, name="shared"),
    path("shared/copy/", views.shared_copy, name="shared_copy"),
    path("document/", views.document_by_identifier, name="document_by_identifier"),
    path("<int:certificate_id>/", views.detail, name="detail"),
    path("<int:certificate_id>/document/", views.document, name="document"),
    path("<int:certificate_id>/grants/<int:grant_id>/revoke/", views.revoke_grant, name="revoke_grant"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<int:certificate_id>/", views.manage_detail, name="manage_detail"),
    path("manage/issue/<int:case_id>/", views.manual_issue, name="manual_issue"),
]
