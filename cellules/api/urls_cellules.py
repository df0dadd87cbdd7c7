from django.urls import path

from cellules.api import views_cellules as v
from cellules.api import views_chartes as vc

urlpatterns = [
    path("exclusions/", v.ExclusionView.as_view(), name="exclusions"),
    path("cellules/", v.CelluleListView.as_view(), name="cellules"),
    path("cellules/<uuid:pk>/", v.CelluleDetailView.as_view(), name="cellule"),
    path("cellules/<uuid:pk>/membres/", v.MembreListView.as_view(), name="cellule-membres"),
    path(
        "cellules/<uuid:pk>/membres/<uuid:membre_id>/retrait/",
        v.MembreRetraitView.as_view(),
        name="cellule-membre-retrait",
    ),
    path("cellules/<uuid:pk>/charte/", vc.CharteCelluleView.as_view(), name="cellule-charte"),
    path(
        "cellules/<uuid:pk>/charte/acceptation/",
        vc.CharteCelluleAcceptationView.as_view(),
        name="cellule-charte-acceptation",
    ),
]
