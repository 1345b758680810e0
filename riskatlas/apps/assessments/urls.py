from django.urls import path

from riskatlas.apps.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("assessments/<slug:slug>/", views.assessment_detail, name="detail"),
    path("assessments/<slug:slug>/v<int:number>/", views.assessment_detail, name="version"),
    path(
        "assessments/<slug:slug>/v<int:number>/report.<str:fmt>",
        views.assessment_report,
        name="report",
    ),
]
