from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
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
    path("", include("tig.api.urls")),
    path("", include("audit.api.urls")),
]


def disposition(nom: str) -> str:
    """``Content-Disposition`` of a file name (RFC 6266): an ASCII fallback, then the UTF-8
    name in ``filename*`` (a raw Latin-1 byte in a header is not what clients decode)."""
    ascii_ = nom.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"inline; filename=\"{ascii_}\"; filename*=UTF-8''{quote(nom, safe='')}"


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI document (JSON), its file named after the API's (French) title."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)
        if "Content-Disposition" in response:
            titre = settings.SPECTACULAR_SETTINGS["TITLE"]
            response["Content-Disposition"] = disposition(f"{titre}.json")
        return response


urlpatterns = [
    path("api/v1/", include(api_v1)),
    path(
        "api/schema/",
        SchemaView.as_view(permission_classes=_schema_permissions),
        name="schema",
    ),
]

# The documentation page runs no inline script (its start-up script is a second request) and
# loads Swagger UI from the project's own static files (drf-spectacular-sidecar).
CSP_DOCUMENTATION = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class DocumentationView(SpectacularSwaggerSplitView):
    """Interactive documentation, development only; every asset comes from the project."""

    http_method_names = ["get", "head", "options"]
    template_name = "socle/documentation.html"

    @extend_schema(exclude=True)
    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        # DRF's answer would go through the page's HTML template renderer (a 500): plain 204.
        return HttpResponse(status=204, headers={"Allow": "GET, HEAD, OPTIONS"})

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = CSP_DOCUMENTATION
        return response


if settings.API_DOCS_UI:
    urlpatterns.append(path("api/docs/", DocumentationView.as_view(url_name="schema"), name="docs"))

handler400 = "socle.errors.bad_request"
handler403 = "socle.errors.permission_denied"
handler404 = "socle.errors.page_not_found"
handler500 = "socle.errors.server_error"
