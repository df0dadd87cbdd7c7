from django.urls import include, path

from cellules.api import views

app_name = "cellules"

urlpatterns = [
    path("situations/", views.SituationListView.as_view(), name="situations"),
    path("situations/<uuid:pk>/", views.SituationDetailView.as_view(), name="situation"),
    path(
        "situations/<uuid:pk>/transitions/",
        views.SituationTransitionView.as_view(),
        name="situation-transitions",
    ),
    path("personnes/", views.PersonneCreationView.as_view(), name="personnes"),
    path("personnes/recherche/", views.PersonneRechercheView.as_view(), name="personnes-recherche"),
    path("", include("cellules.seances.urls")),
    path("", include("cellules.orientations.api.urls")),
    path("", include("cellules.api.urls_cellules")),
]
