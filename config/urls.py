from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from socle.api.views import SanteView

_schema_permissions: list[type[BasePermission]] = (
    [AllowAny] if settings.API_SCHEMA_PUBLIC else [IsAuthenticated]
)

api_v1: list[URLPattern | URLResolver] = [
    path("sante/", SanteView.as_view(), name="sante"),
    path("", include("acces.api.urls")),
    path("", include("cellules.api.urls")),
    path("", include("audit.api.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path(
        "api/schema/",
        SpectacularJSONAPIView.as_view(permission_classes=_schema_permissions),
        name="schema",
    ),
]


class DocumentationView(SpectacularSwaggerView):
    """Interactive documentation, development only: its page loads Swagger UI from a CDN."""

    http_method_names = ["get", "head", "options"]

    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        # DRF's answer would go through the page's HTML template renderer (a 500): plain 204.
        return HttpResponse(status=204, headers={"Allow": "GET, HEAD, OPTIONS"})

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        cdn = "https://cdn.jsdelivr.net"
        response["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'unsafe-inline' {cdn}; "
            f"style-src 'self' 'unsafe-inline' {cdn}; img-src 'self' data: {cdn}; "
            "frame-ancestors 'none'"
        )
        return response


if settings.API_DOCS_UI:
    urlpatterns.append(path("api/docs/", DocumentationView.as_view(url_name="schema"), name="docs"))

handler400 = "socle.errors.bad_request"
handler403 = "socle.errors.permission_denied"
handler404 = "socle.errors.page_not_found"
handler500 = "socle.errors.server_error"
