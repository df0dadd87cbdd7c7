from django.urls import path

from cellules.dossiers.api import views, views_archives

urlpatterns = [
    path("situations/", views.SituationListView.as_view(), name="situations"),
    path("situations/<uuid:pk>/", views.SituationDetailView.as_view(), name="situation"),
    path(
        "situations/<uuid:pk>/transitions/",
        views.SituationTransitionView.as_view(),
        name="situation-transitions",
    ),
    path(
        "situations-archivees/",
        views_archives.SituationArchiveeListView.as_view(),
        name="situations-archivees",
    ),
    path(
        "situations-archivees/<uuid:pk>/",
        views_archives.SituationArchiveeDetailView.as_view(),
        name="situation-archivee",
    ),
    path("personnes/", views.PersonneCreationView.as_view(), name="personnes"),
    path("personnes/recherche/", views.PersonneRechercheView.as_view(), name="personnes-recherche"),
    path("personnes/<uuid:pk>/", views.PersonneDetailView.as_view(), name="personne"),
]
