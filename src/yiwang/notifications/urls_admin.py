from django.urls import path

from yiwang.notifications import views

app_name = "notifications_admin"

urlpatterns = [
    path("", views.dead_letters, name="dead_letters"),
    path("<int:delivery_id>/", views.dead_letter, name="dead_letter"),
    path("events/<int:event_id>/requeue/", views.requeue_event, name="requeue_event"),
]
