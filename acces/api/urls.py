from django.urls import path

from acces.api import views

app_name = "acces"

urlpatterns = [
    path("auth/moi/", views.MoiView.as_view(), name="moi"),
]
