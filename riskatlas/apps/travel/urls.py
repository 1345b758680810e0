from django.urls import path

from riskatlas.apps.travel.views import people, policy, trips

app_name = "travel"

urlpatterns = [
    path("trips/", trips.trip_list, name="trips"),
    path("trips/new/", trips.trip_new, name="trip-new"),
    path("trips/import/", trips.trip_import, name="trip-import"),
    path("trips/<int:trip>/", trips.trip_page, name="trip"),
    path("trips/<int:trip>/edit/", trips.trip_edit, name="trip-edit"),
    path("trips/<int:trip>/request/", trips.trip_request, name="trip-request"),
    path("trips/<int:trip>/decide/", trips.trip_decide, name="trip-decide"),
    path("trips/<int:trip>/cancel/", trips.trip_cancel, name="trip-cancel"),
    path("trips/<int:trip>/trip.yaml", trips.trip_file, name="trip-file"),
    path("trips/<int:trip>/brief.<str:fmt>", trips.trip_brief, name="trip-brief"),
    path("travellers/", people.traveller_list, name="travellers"),
    path("travellers/new/", people.traveller_new, name="traveller-new"),
    path("travellers/<int:traveller>/", people.traveller_edit, name="traveller"),
    path("teams/<slug:team>/travel-policy/", policy.policy_page, name="policy"),
    path("teams/<slug:team>/travel-policy/approvers/", policy.approver_add, name="approver-add"),
    path(
        "teams/<slug:team>/travel-policy/approvers/<int:role>/remove/",
        policy.approver_remove,
        name="approver-remove",
    ),
]
