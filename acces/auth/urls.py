from django.urls import path

from acces.auth import views

urlpatterns = [
    path("auth/connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("auth/deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path("auth/verification/", views.VerificationView.as_view(), name="verification"),
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
