"""Applicant pages of cases (在线办理, 我的办件, receipts and notices, anonymous progress query)."""

from django.urls import path

from yiwang.cases.views import apply, mine, notices, progress

app_name = "cases"
urlpatterns = [
    path("", mine.mine, name="mine"),
    path("progress/", progress.progress, name="progress"),
    path("progress/resend/", progress.resend, name="progress_resend"),
    path("apply/<str:item_code>/", apply.apply, name="apply"),
    path("bundle/<slug:bundle_code>/", apply.bundle_apply, name="bundle_apply"),
    path("<int:case_id>/", mine.detail, name="detail"),
    path("<int:case_id>/edit/", apply.draft, name="draft"),
    path("<int:case_id>/receipt/", apply.receipt, name="receipt"),
    path("<int:case_id>/correction/", mine.correction, name="correction"),
    path("<int:case_id>/withdraw/", mine.withdraw, name="withdraw"),
    path("<int:case_id>/notice/<str:kind>/", notices.notice_page, name="notice"),
]
