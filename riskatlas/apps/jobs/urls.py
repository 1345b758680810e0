from django.urls import path

from riskatlas.apps.jobs import views

app_name = "jobs"

urlpatterns = [
    path(
        "assessments/<slug:slug>/v<int:number>/report.<str:fmt>/prepare",
        views.prepare_report,
        name="prepare-report",
    ),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("open-data/import/", views.import_events, name="import-events"),
]
