from django.urls import path

from cellules.orientations.api import views as o

urlpatterns = [
    path("mesures/", o.MesureListView.as_view(), name="mesures"),
    path(
        "notifications/orientations/",
        o.NotificationListView.as_view(),
        name="notifications-orientations",
    ),
    path(
        "situations/<uuid:pk>/orientations/",
        o.SituationOrientationsView.as_view(),
        name="situation-orientations",
    ),
    path("orientations/<uuid:pk>/", o.OrientationDetailView.as_view(), name="orientation"),
]
