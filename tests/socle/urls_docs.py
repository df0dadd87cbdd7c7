"""Test-only URLs: the development documentation page, on top of the real routes."""

from __future__ import annotations

from django.urls import path

from config.urls import DocumentationView, handler400, handler403, handler404, handler500
from config.urls import urlpatterns as reels

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [*reels, path("api/docs/", DocumentationView.as_view(url_name="schema"), name="docs")]
