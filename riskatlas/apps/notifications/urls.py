from django.urls import path

from riskatlas.apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/open", views.open_notification, name="open"),
    path("notifications/read", views.mark_all_read, name="read-all"),
    path("notifications/preferences", views.save_preference, name="preferences"),
    path("teams/<slug:team>/webhooks/", views.team_webhooks, name="webhooks"),
    path("teams/<slug:team>/webhooks/remove", views.remove_webhook, name="webhook-remove"),
]
