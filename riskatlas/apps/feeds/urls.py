from django.urls import path

from riskatlas.apps.feeds import views

app_name = "feeds"

urlpatterns = [
    path("changes/", views.changes_page, name="changes"),
]
