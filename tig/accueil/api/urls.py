from django.urls import path

from tig.accueil.api import views as v

urlpatterns = [
    path("structures-accueil/", v.StructureListView.as_view(), name="structures-accueil"),
    path(
        "structures-accueil/<uuid:pk>/", v.StructureDetailView.as_view(), name="structure-accueil"
    ),
    path("postes/", v.PosteListView.as_view(), name="postes"),
    path("postes/geojson/", v.PosteGeoView.as_view(), name="postes-geojson"),
    path("postes/<uuid:pk>/", v.PosteDetailView.as_view(), name="poste"),
    path(
        "postes/<uuid:pk>/confirmation/",
        v.PosteConfirmationView.as_view(),
        name="poste-confirmation",
    ),
]
