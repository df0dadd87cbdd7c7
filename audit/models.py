"""The access log (append-only, hash-chained) and its one-row chain head.

Rows hold references only (ids, codes), never names or case content. On PostgreSQL a trigger
refuses UPDATE, DELETE and TRUNCATE (migration ``0002``); the retention purge is the only
documented exception (:mod:`audit.purge`).
"""

from __future__ import annotations

from django.db import models

from audit.enums import ActionAcces, Motif, Raison, Resultat

HASH_INITIAL = "0" * 64


class EvenementAcces(models.Model):
    """One read, refusal, security event or alert. ``seq`` is gap-free; see :mod:`audit.chaine`."""

    seq = models.BigIntegerField("numéro", primary_key=True)
    horodatage = models.DateTimeField("horodatage")
    utilisateur_id = models.UUIDField("utilisateur", null=True, blank=True)
    roles = models.CharField("rôles", max_length=200, blank=True)
    organisation_id = models.UUIDField("organisation", null=True, blank=True)
    action = models.CharField("action", max_length=20, choices=ActionAcces.choices)
    type_objet = models.CharField("type d'objet", max_length=60, blank=True)
    objet_id = models.CharField("identifiant public de l'objet", max_length=64, blank=True)
    # The person the read discloses (pseudonymous id, never a name), whatever the object read.
    personne_id = models.UUIDField("personne concernée", null=True, blank=True)
    motif = models.CharField("motif", max_length=30, choices=Motif.choices, blank=True)
    motif_detail = models.CharField("précision du motif", max_length=200, blank=True)
    resultat = models.CharField("résultat", max_length=10, choices=Resultat.choices)
    raison = models.CharField("raison", max_length=30, choices=Raison.choices, blank=True)
    nombre = models.PositiveIntegerField("nombre", null=True, blank=True)
    request_id = models.CharField("identifiant de requête", max_length=64, blank=True)
    adresse_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    hash_precedent = models.CharField("empreinte précédente", max_length=64)
    hash = models.CharField("empreinte", max_length=64, unique=True)

    class Meta:
        verbose_name = "événement d'accès"
        verbose_name_plural = "événements d'accès"
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["utilisateur_id", "horodatage"], name="audit_evt_utilisateur"),
            models.Index(fields=["type_objet", "objet_id"], name="audit_evt_objet"),
            models.Index(fields=["horodatage"], name="audit_evt_horodatage"),
            models.Index(fields=["request_id"], name="audit_evt_requete"),
            models.Index(fields=["personne_id", "seq"], name="audit_evt_personne"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hash_precedent"], name="audit_evt_precedent_unique")
        ]

    def __str__(self) -> str:
        return f"événement d'accès {self.seq}"


class TeteChaine(models.Model):
    """The last (seq, hash) of the chain; its row lock serialises appends (D6)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField("dernier numéro", default=0)
    hash = models.CharField("dernière empreinte", max_length=64, default=HASH_INITIAL)

    class Meta:
        verbose_name = "tête de chaîne"
        verbose_name_plural = "têtes de chaîne"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="tete_chaine_unique")]

    def __str__(self) -> str:
        return f"tête de chaîne {self.seq}"


class ExpeditionJournal(models.Model):
    """How far the access log has been copied to the external sink (D12): the row lock
    serialises the shipping jobs; events after ``dernier_seq`` are the backlog."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    dernier_seq = models.BigIntegerField("dernier numéro expédié", default=0)
    echecs = models.PositiveIntegerField("échecs consécutifs", default=0)
    derniere_tentative = models.DateTimeField("dernière tentative", null=True, blank=True)

    class Meta:
        verbose_name = "expédition du journal"
        verbose_name_plural = "expéditions du journal"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="expedition_journal_unique")
        ]

    def __str__(self) -> str:
        return f"expédition du journal {self.dernier_seq}"
