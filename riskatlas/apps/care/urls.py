from django.urls import path

from riskatlas.apps.care import views

app_name = "care"

urlpatterns = [
    path("check-in/<str:token>/", views.check_in_link, name="check-in-link"),
    path("check-in/<str:token>/help/", views.help_link, name="help-link"),
    path("care/trips/<int:pk>/", views.trip_check_ins, name="trip"),
    path("care/trips/<int:pk>/check-in/<int:check_in>", views.check_in_here, name="check-in"),
    path("care/trips/<int:pk>/help", views.help_here, name="help"),
    path(
        "care/trips/<int:pk>/help/<int:traveller>/handled",
        views.help_handled,
        name="help-handled",
    ),
    path("care/trips/<int:pk>/calendar.ics", views.trip_ics, name="calendar"),
    path("care/who-is-where/", views.who_is_where_page, name="who-is-where"),
]
