from django.urls import include, path

app_name = "cellules"

# One namespace (``cellules:``) for the routes of every sub-package.
urlpatterns = [
    path("", include("cellules.dossiers.api.urls")),
    path("", include("cellules.seances.api.urls")),
    path("", include("cellules.orientations.api.urls")),
    path("", include("cellules.registres.api.urls")),
    path("", include("cellules.composition.api.urls")),
]
