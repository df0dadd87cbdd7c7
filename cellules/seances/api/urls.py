from django.urls import path

from cellules.seances.api import views

urlpatterns = [
    path("seances/", views.SeanceListView.as_view(), name="seances"),
    path(
        "seances/periodiques/",
        views.SeancesPeriodiquesView.as_view(),
        name="seances-periodiques",
    ),
    path("seances/<uuid:pk>/", views.SeanceDetailView.as_view(), name="seance"),
    path(
        "seances/<uuid:pk>/annulation/",
        views.SeanceAnnulationView.as_view(),
        name="seance-annulation",
    ),
    path(
        "seances/<uuid:pk>/ordre-du-jour/",
        views.OrdreDuJourView.as_view(),
        name="seance-ordre-du-jour",
    ),
    path(
        "seances/<uuid:pk>/ordre-du-jour/<uuid:situation>/",
        views.PointOrdreDuJourView.as_view(),
        name="seance-ordre-du-jour-point",
    ),
    path("seances/<uuid:pk>/reports/", views.ReportsView.as_view(), name="seance-reports"),
    path(
        "seances/<uuid:pk>/convocations/",
        views.ConvocationsView.as_view(),
        name="seance-convocations",
    ),
    path(
        "seances/<uuid:pk>/convocations/<uuid:convocation>/renvoi/",
        views.ConvocationRenvoiView.as_view(),
        name="seance-convocation-renvoi",
    ),
    path("seances/<uuid:pk>/presences/", views.PresencesView.as_view(), name="seance-presences"),
    path("seances/<uuid:pk>/decisions/", views.DecisionsView.as_view(), name="seance-decisions"),
    path(
        "decisions/<uuid:pk>/realisation/",
        views.DecisionRealisationView.as_view(),
        name="decision-realisation",
    ),
    path("seances/<uuid:pk>/releve/", views.ReleveView.as_view(), name="seance-releve"),
    path("seances/<uuid:pk>/releve/pdf/", views.RelevePdfView.as_view(), name="seance-releve-pdf"),
]
