from django.urls import path

from cellules.orientations.api import views_orientations as o
from cellules.orientations.api import views_registre as r

urlpatterns = [
    path("mesures/", o.MesureListView.as_view(), name="mesures"),
    path(
        "notifications/orientations/",
        o.NotificationListView.as_view(),
        name="notifications-orientations",
    ),
    path(
        "situations/<uuid:pk>/orientations/",
        o.SituationOrientationsView.as_view(),
        name="situation-orientations",
    ),
    path("orientations/<uuid:pk>/", o.OrientationDetailView.as_view(), name="orientation"),
    path("rappels-a-l-ordre/", r.RappelListView.as_view(), name="rappels"),
    path(
        "rappels-a-l-ordre/statistiques/",
        r.RappelStatistiquesView.as_view(),
        name="rappels-statistiques",
    ),
    path("rappels-a-l-ordre/<uuid:pk>/", r.RappelDetailView.as_view(), name="rappel"),
    path("transactions/", r.TransactionListView.as_view(), name="transactions"),
    path(
        "transactions/<uuid:pk>/acceptation/",
        r.TransactionAcceptationView.as_view(),
        name="transaction-acceptation",
    ),
    path(
        "transactions/<uuid:pk>/homologation/",
        r.TransactionHomologationView.as_view(),
        name="transaction-homologation",
    ),
]
