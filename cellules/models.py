"""Models of the ``cellules`` app.

Each sub-package holds its own models; they are re-exported here because the app registry
imports ``cellules.models``. ``ReponseIdempotente`` (idempotent creations) stays here until it
moves to ``socle`` with ``cellules/idempotence.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cellules.composition.models import *  # noqa: F403
from cellules.dossiers.models import *  # noqa: F403


class ReponseIdempotente(models.Model):
    """A creating POST already served for (user, route, ``Idempotency-Key``) (checklist F8).

    Holds the id of the created object, never the response body (it would hold identities in
    clear); a replay reads the object again through the scope and logs the read again.
    ``empreinte`` is a keyed HMAC of the request body, so it reveals nothing of it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="utilisateur",
    )
    route = models.CharField("route", max_length=50)
    cle = models.CharField("clé d'idempotence", max_length=100)
    empreinte = models.CharField("empreinte de la requête", max_length=64)
    objet_id = models.UUIDField("objet créé")
    creee_le = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "réponse idempotente"
        verbose_name_plural = "réponses idempotentes"
        constraints = [
            models.UniqueConstraint(
                fields=["utilisateur", "route", "cle"], name="reponse_idempotente_unique"
            )
        ]

    def __str__(self) -> str:
        return f"réponse idempotente {self.pk}"


# Models of the other sub-packages, registered with the ``cellules`` app.
from cellules.chartes.models import *  # noqa: E402, F403
from cellules.orientations.models import *  # noqa: E402, F403
from cellules.registres.models import *  # noqa: E402, F403
from cellules.seances.models import *  # noqa: E402, F403
