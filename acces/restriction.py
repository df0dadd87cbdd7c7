"""The one entry point to rows holding personal data: ``Model.objects.restrict(user, action)``.

A model opts in by using :class:`RestrictQuerySet` as its manager and defining the classmethod
``politique(perimetre, action) -> Q | None`` (None: nothing visible). The scope is applied in SQL,
so lists, counts, searches and exports are filtered exactly like detail views.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from acces.enums import Action


class RestrictQuerySet(models.QuerySet[Any]):
    def restrict(self, user: Any, action: Action) -> Self:
        from acces.perimetre import perimetre_de  # models import this module

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        condition = self.model.politique(perimetre_de(user), action)
        if condition is None:
            return self.none()
        return self.filter(condition)


__all__ = ["Action", "RestrictQuerySet"]
