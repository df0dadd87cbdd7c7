"""Change log (django-auditlog): which models are tracked, what is masked, who acted.

Every model of ``acces``, ``audit``, ``socle`` and of the domain apps is either registered or
listed in ``EXEMPTIONS`` with its reason (meta-test ``test_every_model_audited_or_exempt``).
The domain apps (which ``audit`` never imports) call :func:`suivre` or :func:`exempter` from their
own ``AppConfig.ready``.
Personal and secret fields are excluded or masked **entirely** (``[masqué]``, never auditlog's
half mask); ``object_repr`` is ``__str__``, which shows kind and id only.

Bulk writes: ``QuerySet.update()`` and ``bulk_*`` send no signal, so auditlog misses them. Services
must not use them on registered models; use :func:`mettre_a_jour`, which saves row by row.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import pre_save

from audit.contexte import adresse_client, requete_courante, utilisateur_courant

MASQUE = "[masqué]"
MASQUAGE = "audit.changements.masquer"

# "app_label.ModelName" -> why it is not in the change log.
EXEMPTIONS: dict[str, str] = {
    "acces.CompteurEchecs": "compteur technique de limitation, clés déjà hachées, très volatil",
    "acces.SessionOuverte": "index technique des sessions d'un compte ; la clé est un secret",
    "acces.CompteurCleMaitresse": "compteur technique d'usage d'une clé maîtresse",
    "acces.RotationIndex": "avancement technique de crypto_rotate --index (identifiants seuls)",
    "audit.EvenementAcces": "journal des accès, lui-même en ajout seul et chaîné",
    "audit.TeteChaine": "tête de chaîne technique, réécrite à chaque ajout au journal",
    "audit.ExpeditionJournal": "avancement technique de la copie externe du journal",
    "socle.OutboxMessage": "file technique (identifiants seulement), réécrite à chaque relais",
    "socle.TacheExecutee": "marqueur technique d'idempotence des tâches",
    "socle.BattementWorker": "battement technique du worker, purgé chaque jour",
}


def masquer(valeur: str) -> str:
    """Whole-value mask: not even the length or a suffix of the value is kept."""
    return MASQUE


def _enregistrer(modele: type[models.Model], **options: Any) -> None:
    if auditlog.contains(modele):
        return
    if options.get("mask_fields"):
        options["mask_callable"] = MASQUAGE
    auditlog.register(modele, **options)


def suivre(modele: type[models.Model], **options: Any) -> None:
    """For the domain apps' ``ready()``: register a model, masks always entire."""
    _enregistrer(modele, **options)


def exempter(nom: str, raison: str) -> None:
    """For the domain apps' ``ready()``: declare a model deliberately left out, with why."""
    if not raison.strip():
        raise ValueError("une exemption doit être motivée")
    EXEMPTIONS[nom] = raison


def enregistrer() -> None:
    """Register the tracked models (called from ``AuditConfig.ready``)."""
    from acces import models as m
    from acces.auth.models import AppareilTotp, CleSecurite
    from socle.models import ReponseIdempotente

    _enregistrer(ReponseIdempotente)
    _enregistrer(m.Ressort)
    _enregistrer(m.Commune)
    _enregistrer(m.Quartier)
    _enregistrer(m.Organisation, m2m_fields={"communes"})
    _enregistrer(
        m.Utilisateur,
        exclude_fields=["password", "last_login"],
        mask_fields=["username", "first_name", "last_name", "email"],
    )
    _enregistrer(m.Habilitation, m2m_fields={"communes"})
    _enregistrer(m.AutorisationCategorie)
    _enregistrer(m.Charte)
    _enregistrer(m.AcceptationCharte)
    _enregistrer(m.Exclusion)
    _enregistrer(m.JetonApi, exclude_fields=["hash"], mask_fields=["libelle"])
    _enregistrer(m.CleDonnees, exclude_fields=["cle_enveloppee"])
    _enregistrer(m.SecretTotp, exclude_fields=["graine"])
    # The last accepted step and the throttling counters change at every login: noise only.
    _enregistrer(
        AppareilTotp,
        exclude_fields=[
            "derniere_etape",
            "throttling_failure_timestamp",
            "throttling_failure_count",
        ],
    )
    # Raw bytes (credential id, public key) and the counter that moves at every login: out.
    _enregistrer(
        CleSecurite,
        exclude_fields=["identifiant", "cle_publique", "compteur", "dernier_usage"],
        mask_fields=["name"],
    )
    pre_save.connect(_contexte, sender=LogEntry, dispatch_uid="audit.changements.contexte")


def _contexte(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    """Actor and trusted client address of the current request or task (cid: request id)."""
    if instance.actor_id is None:
        instance.actor = utilisateur_courant()
    requete = requete_courante()
    if requete is not None:
        instance.remote_addr = adresse_client(requete)


def mettre_a_jour(queryset: models.QuerySet[Any], **valeurs: Any) -> int:
    """``queryset.update(**valeurs)`` that the change log sees (one save per row)."""
    compte = 0
    for objet in queryset.select_for_update():
        for champ, valeur in valeurs.items():
            setattr(objet, champ, valeur)
        objet.save(update_fields=list(valeurs))
        compte += 1
    return compte


def restaurer_types_de_contenu() -> None:
    """Recreate missing content types, committed on a side connection (tests only).

    A transactional test restricted by ``available_apps`` may have emptied the table; writing the
    rows inside the caller's (test) transaction would make any second connection wait on them.
    """
    if ContentType.objects.count() >= len(apps.get_models()):
        return
    principale = connections[DEFAULT_DB_ALIAS]
    annexe = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        connections[DEFAULT_DB_ALIAS] = annexe
        ContentType.objects.clear_cache()
        for config in apps.get_app_configs():
            create_contenttypes(config, verbosity=0)
    finally:
        connections[DEFAULT_DB_ALIAS] = principale
        annexe.close()
        ContentType.objects.clear_cache()
