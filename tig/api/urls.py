from django.urls import include, path

app_name = "tig"

# One namespace (``tig:``) for the routes of every sub-package.
urlpatterns = [
    path("", include("tig.mesures.api.urls")),
    path("", include("tig.accueil.api.urls")),
]
