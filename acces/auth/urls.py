from django.urls import path

from acces.auth import views

urlpatterns = [
    path("auth/connexion/", views.ConnexionView.as_view(), name="connexion"),
    path(
        "auth/connexion/cle-securite/options/",
        views.ConnexionCleOptionsView.as_view(),
        name="connexion-cle-options",
    ),
    path("auth/connexion/cle-securite/", views.ConnexionCleView.as_view(), name="connexion-cle"),
    path("auth/deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path("auth/verification/", views.VerificationView.as_view(), name="verification"),
    path(
        "auth/verification/cle-securite/options/",
        views.VerificationCleOptionsView.as_view(),
        name="verification-cle-options",
    ),
    path(
        "auth/verification/cle-securite/",
        views.VerificationCleView.as_view(),
        name="verification-cle",
    ),
    path(
        "auth/cles-securite/options/",
        views.ClesSecuriteOptionsView.as_view(),
        name="cles-securite-options",
    ),
    path("auth/cles-securite/", views.ClesSecuriteView.as_view(), name="cles-securite"),
    path(
        "auth/cles-securite/<uuid:id>/",
        views.CleSecuriteDetailView.as_view(),
        name="cle-securite",
    ),
    path("auth/jetons/", views.JetonsView.as_view(), name="jetons"),
    path("auth/jetons/<uuid:id>/", views.JetonDetailView.as_view(), name="jeton"),
    path(
        "auth/mot-de-passe/oubli/", views.MotDePasseOubliView.as_view(), name="mot-de-passe-oubli"
    ),
    path(
        "auth/mot-de-passe/reinitialisation/",
        views.MotDePasseReinitialisationView.as_view(),
        name="mot-de-passe-reinitialisation",
    ),
]
