from django.urls import path

from yiwang.accounts import views, views_audit

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.otp_view, name="otp"),
    path("login/demo/", views.demo_login, name="demo_login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("dispute/", views.dispute_view, name="dispute"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/verify-identity/", views.verify_identity_view, name="verify_identity"),
    path("profile/contact/", views.contact_view, name="contact"),
    path("profile/export/", views.export_view, name="export"),
    path("profile/close/", views.close_view, name="close"),
    path("profile/enterprise/", views.enterprise_view, name="enterprise"),
    path("password/change/", views.password_change_view, name="password_change"),
    path("password/reset/", views.password_reset_view, name="password_reset"),
    path("unlock/", views.unlock_view, name="unlock"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("audit/", views_audit.audit_log_view, name="audit_log"),
    path("email/verify/<str:token>/", views.email_verify_view, name="email_verify"),
]
