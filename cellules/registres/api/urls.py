from django.urls import path

from cellules.registres.api import views as r

urlpatterns = [
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
