from django.urls import include, path

from acces.api import views

app_name = "acces"

urlpatterns = [
    path("auth/moi/", views.MoiView.as_view(), name="moi"),
    path("communes/", views.CommuneListView.as_view(), name="communes"),
    path("ressorts/", views.RessortListView.as_view(), name="ressorts"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path(
        "organisations/<uuid:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation",
    ),
    path("utilisateurs/", views.UtilisateurListView.as_view(), name="utilisateurs"),
    path(
        "utilisateurs/<uuid:pk>/desactivation/",
        views.UtilisateurDesactivationView.as_view(),
        name="utilisateur-desactivation",
    ),
    path("habilitations/", views.HabilitationListView.as_view(), name="habilitations"),
    path(
        "habilitations/<uuid:pk>/approbation/",
        views.HabilitationApprobationView.as_view(),
        name="habilitation-approbation",
    ),
    path(
        "habilitations/<uuid:pk>/revocation/",
        views.HabilitationRevocationView.as_view(),
        name="habilitation-revocation",
    ),
    path(
        "categories-information/",
        views.MatriceCategoriesView.as_view(),
        name="categories-information",
    ),
    path("chartes/", views.CharteListView.as_view(), name="chartes"),
    path("chartes/courante/", views.CharteCouranteView.as_view(), name="charte-courante"),
    path(
        "chartes/courante/acceptation/",
        views.CharteAcceptationView.as_view(),
        name="charte-acceptation",
    ),
    path("", include("acces.auth.urls")),
]
