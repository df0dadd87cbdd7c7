from django.urls import include, path

from cellules.composition.api import views as v

urlpatterns = [
    path("exclusions/", v.ExclusionView.as_view(), name="exclusions"),
    path("exclusions/<uuid:pk>/levee/", v.ExclusionLeveeView.as_view(), name="exclusion-levee"),
    path("annuaire/", v.AnnuaireView.as_view(), name="annuaire"),
    path("cellules/", v.CelluleListView.as_view(), name="cellules"),
    path("cellules/<uuid:pk>/", v.CelluleDetailView.as_view(), name="cellule"),
    path("cellules/<uuid:pk>/membres/", v.MembreListView.as_view(), name="cellule-membres"),
    path(
        "cellules/<uuid:pk>/partenaires/", v.PartenairesView.as_view(), name="cellule-partenaires"
    ),
    path(
        "cellules/<uuid:pk>/membres/<uuid:membre_id>/retrait/",
        v.MembreRetraitView.as_view(),
        name="cellule-membre-retrait",
    ),
    path("", include("cellules.chartes.api.urls")),
]
