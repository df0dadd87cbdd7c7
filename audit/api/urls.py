from django.urls import path

from audit.api import views

app_name = "audit"

urlpatterns = [
    path("audit/evenements/", views.EvenementListView.as_view(), name="evenements"),
    path("audit/evenements/export/", views.ExportView.as_view(), name="export"),
    path("audit/volumes/", views.VolumeListView.as_view(), name="volumes"),
    path(
        "audit/personnes/<uuid:id>/consultations/",
        views.ConsultationListView.as_view(),
        name="consultations",
    ),
]
