import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change that asks for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tache = models.CharField("tâche", max_length=200)
    arguments = models.JSONField("arguments (identifiants seulement)", default=dict)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    tentatives = models.PositiveIntegerField("tentatives", default=0)
    prochain_essai = models.DateTimeField("prochain essai", default=timezone.now)
    derniere_erreur = models.CharField("dernière erreur", max_length=200, blank=True)

    class Meta:
        verbose_name = "message à publier"
        verbose_name_plural = "messages à publier"
        ordering = ["cree_le"]
        indexes = [
            models.Index(
                fields=["prochain_essai"],
                name="outbox_en_attente",
                condition=models.Q(envoye_le__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.tache} {self.pk}"


class TacheExecutee(models.Model):
    """Marks an outbox message as executed, so redelivery has no second effect."""

    id = models.UUIDField(primary_key=True)
    tache = models.CharField("tâche", max_length=200)
    execute_le = models.DateTimeField("exécutée le", default=timezone.now)

    class Meta:
        verbose_name = "tâche exécutée"
        verbose_name_plural = "tâches exécutées"

    def __str__(self) -> str:
        return f"tâche exécutée {self.pk}"


class BattementWorker(models.Model):
    """Heartbeat written by a worker, read by the health endpoint."""

    id = models.UUIDField(primary_key=True)
    recu_le = models.DateTimeField("reçu le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "battement du worker"
        verbose_name_plural = "battements du worker"

    def __str__(self) -> str:
        return f"battement {self.pk}"


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
                fields=["utilisateur", "route", "cle"], name="socle_reponse_idempotente_unique"
            )
        ]

    def __str__(self) -> str:
        return f"réponse idempotente {self.pk}"
