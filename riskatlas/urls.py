"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("riskatlas.apps.accounts.urls")),
    path("api/", include("riskatlas.api.urls")),
    path("", include("riskatlas.apps.assessments.urls")),
    path("", include("riskatlas.apps.drafts.urls")),
    path("", include("riskatlas.apps.jobs.urls")),
    path("", include("riskatlas.apps.notifications.urls")),
    path("", include("riskatlas.apps.travel.urls")),
    path("", include("riskatlas.apps.care.urls")),
    path("", include("riskatlas.apps.feeds.urls")),
]
