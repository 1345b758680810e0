from django.urls import path

from riskatlas.apps.assessments.views import pages

app_name = "assessments"

urlpatterns = [
    path("", pages.assessment_list, name="list"),
    path("assessments/<slug:slug>/", pages.assessment_detail, name="detail"),
    path("assessments/<slug:slug>/v<int:number>/", pages.assessment_detail, name="version"),
    path(
        "assessments/<slug:slug>/v<int:number>/report.<str:fmt>",
        pages.assessment_report,
        name="report",
    ),
]
