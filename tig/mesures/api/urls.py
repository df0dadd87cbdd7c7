from django.urls import path

from tig.mesures.api import views as v

# ``/api/v1/mesures/`` is the closed list of the orientations' measures (``cellules``).
urlpatterns = [
    path("mesures-tig/", v.MesureListView.as_view(), name="mesures"),
    path("mesures-tig/<uuid:pk>/", v.MesureDetailView.as_view(), name="mesure"),
]
