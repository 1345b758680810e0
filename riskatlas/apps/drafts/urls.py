from django.urls import path

from riskatlas.apps.drafts import views

app_name = "drafts"

D = "assessments/<slug:slug>/v<int:number>/drafts/"
urlpatterns = [
    path(D, views.document_list, name="list"),
    path(D + "read/", views.read_report, name="read"),
    path(D + "read/<int:pk>/", views.reading_state, name="reading"),
    path(D + "<int:document>/", views.review, name="review"),
    path(D + "<int:document>/items/", views.decide_all, name="decide_all"),
    path(D + "<int:document>/delete/", views.delete_document, name="delete"),
    path(D + "<int:document>/items/<int:item>/", views.decide, name="decide"),
]
