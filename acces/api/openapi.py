"""OpenAPI descriptions of the two authentication schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionMfaScheme(OpenApiAuthenticationExtension):
    target_class = "acces.auth.authentication.SessionMfaAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class JetonScheme(OpenApiAuthenticationExtension):
    target_class = "acces.auth.authentication.JetonAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "http", "scheme": "bearer", "description": "Jeton personnel d'API"}
