from django.urls import path

from cellules.chartes.api import views as vc

urlpatterns = [
    path("cellules/<uuid:pk>/charte/", vc.CharteCelluleView.as_view(), name="cellule-charte"),
    path(
        "cellules/<uuid:pk>/charte/acceptation/",
        vc.CharteCelluleAcceptationView.as_view(),
        name="cellule-charte-acceptation",
    ),
]
