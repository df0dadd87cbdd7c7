"""Usage counters of the keys (checklist C4): a budget for the random 96-bit nonces.

Nonces stay random (``noyau.nouveau_nonce``); the counters only bound how many of them one key
has drawn, so that two nonces under one key collide with negligible probability (NIST SP
800-38D §8.3 caps random-nonce use at 2^32 encryptions per key). A counter restored from an old
backup can only under-count new encryptions; it never makes a nonce repeat.

- ``CleDonnees.chiffrements``: field encryptions saved under a data key. ``chiffrer`` notes them
  on the instance and ``consommer`` adds them, on ``post_save``, in one
  ``UPDATE ... SET chiffrements = chiffrements + n RETURNING chiffrements`` per data key and
  save (atomic under concurrency, no read-modify-write).
- ``CompteurCleMaitresse.enveloppements``: data keys wrapped under a master-key version
  (creations and rewraps), one upsert per saved key or rotation batch.

Thresholds (settings): crossing ``CHIFFREMENT_SEUIL_ALERTE`` (default 2^30) writes one security
alert to the access log (key id only) and notifies the auditors; from
``CHIFFREMENT_SEUIL_ROTATION`` (default 2^31) on, every save that encrypted under the data key
re-keys it: a fresh data key is created and every row encrypted under the old one is decrypted
and encrypted again under the new one, in the same transaction (``recle``). The old key stays
(readable for copies still in memory) but no longer encrypts anything that is saved; it points
to its replacement (``remplacee_par``), so shredding it shreds the replacement too.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction

from acces import ports
from acces.crypto import noyau
from acces.crypto.champs import (
    CHIFFREMENTS_EN_ATTENTE,
    ENVELOPPEMENTS_EN_ATTENTE,
    ChampChiffre,
    chiffrer,
    dechiffrer,
)
from acces.evenements import ActionAcces

logger = logging.getLogger("acces.crypto")

SEUIL_ALERTE = 2**30
SEUIL_ROTATION = 2**31
TYPE_CLE_DONNEES = "acces.cledonnees"
TYPE_CLE_MAITRESSE = "acces.compteurclemaitresse"


def seuils() -> tuple[int, int]:
    """``(alerte, rotation)``; refused unless ``0 < alerte <= rotation < 2^32``."""
    alerte = int(getattr(settings, "CHIFFREMENT_SEUIL_ALERTE", SEUIL_ALERTE))
    rotation = int(getattr(settings, "CHIFFREMENT_SEUIL_ROTATION", SEUIL_ROTATION))
    if not 0 < alerte <= rotation < 2**32:
        raise ImproperlyConfigured("seuils de chiffrement : 0 < alerte <= rotation < 2^32")
    return alerte, rotation


def _alias(using: str | None) -> str:
    from acces.crypto.models import CleDonnees

    return using or router.db_for_write(CleDonnees)


def incrementer(cle_id: uuid.UUID, n: int, using: str | None = None) -> int | None:
    """Add ``n`` to a data key's counter in one statement; the new total (None: no such key)."""
    from acces.crypto.models import CleDonnees

    connexion = connections[_alias(using)]
    meta, q = CleDonnees._meta, connexion.ops.quote_name
    colonne = q(meta.get_field("chiffrements").column)
    sql = (
        f"UPDATE {q(meta.db_table)} SET {colonne} = {colonne} + %s "  # noqa: S608
        f"WHERE {q(meta.pk.column)} = %s RETURNING {colonne}"
    )
    with connexion.cursor() as curseur:
        curseur.execute(sql, [n, meta.pk.get_db_prep_value(cle_id, connexion)])
        ligne = curseur.fetchone()
    return None if ligne is None else int(ligne[0])


def compter_enveloppements(version: str, n: int, using: str | None = None) -> int:
    """Add ``n`` wraps to a master-key version (upsert); the new total."""
    from acces.crypto.models import CompteurCleMaitresse

    connexion = connections[_alias(using)]
    meta, q = CompteurCleMaitresse._meta, connexion.ops.quote_name
    table, colonne = q(meta.db_table), q(meta.get_field("enveloppements").column)
    sql = (
        f"INSERT INTO {table} ({q(meta.pk.column)}, {colonne}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({q(meta.pk.column)}) DO UPDATE "
        f"SET {colonne} = {table}.{colonne} + excluded.{colonne} RETURNING {colonne}"
    )
    with connexion.cursor() as curseur:
        curseur.execute(sql, [version, n])
        ligne = curseur.fetchone()
    return int(ligne[0])


def _franchi(avant: int, apres: int, seuil: int) -> bool:
    return avant < seuil <= apres


def alerter(type_objet: str, objet_id: str, total: int, seuil: int) -> None:
    """One security alert (identifiers only) in the access log, auditors notified."""
    from socle.outbox import enqueue

    logger.warning(
        "compteur_chiffrement_seuil",
        extra={"type_objet": type_objet, "objet_id": objet_id, "total": total, "seuil": seuil},
    )
    evenement = ports.consigner_evenement_securite(
        "",
        request=ports.requete_courante(),
        action=ActionAcces.ALERTE,
        type_objet=type_objet,
        objet_id=objet_id,
        refuse=False,
    )
    enqueue("audit.notifier_alertes", premier_seq=evenement.seq, nombre=1)


def noter_enveloppements(version: str, n: int, using: str | None = None) -> int:
    """Count ``n`` wraps under a master-key version; alert at each threshold crossed."""
    total = compter_enveloppements(version, n, using)
    for seuil in seuils():
        if _franchi(total - n, total, seuil):
            alerter(TYPE_CLE_MAITRESSE, version, total, seuil)
    return total


def consommer(instance: models.Model, using: str | None = None) -> None:
    """Persist the counts noted on ``instance`` (called on ``post_save``)."""
    etat = instance.__dict__
    enveloppements: dict[str, int] = etat.pop(ENVELOPPEMENTS_EN_ATTENTE, None) or {}
    chiffrements: dict[uuid.UUID, int] = etat.pop(CHIFFREMENTS_EN_ATTENTE, None) or {}
    if not enveloppements and not chiffrements:
        return
    alerte, rotation = seuils()
    alias = _alias(using)
    with transaction.atomic(using=alias):
        for version, n in enveloppements.items():
            noter_enveloppements(version, n, alias)
        for cle_id, n in chiffrements.items():
            total_cle = incrementer(cle_id, n, alias)
            if total_cle is None:
                continue
            if _franchi(total_cle - n, total_cle, alerte):
                alerter(TYPE_CLE_DONNEES, str(cle_id), total_cle, alerte)
            if total_cle >= rotation:
                recle(cle_id, instance=instance, using=alias)


def _colonnes_chiffrees() -> list[tuple[type[models.Model], str, list[ChampChiffre]]]:
    """Every concrete model with encrypted fields: ``(model, data-key field, fields)``."""
    colonnes = []
    for modele in apps.get_models():
        if modele._meta.proxy:
            continue
        groupes: dict[str, list[ChampChiffre]] = {}
        for champ in modele._meta.local_concrete_fields:
            if isinstance(champ, ChampChiffre):
                groupes.setdefault(champ.champ_cle, []).append(champ)
        colonnes += [(modele, nom_cle, champs) for nom_cle, champs in groupes.items()]
    return colonnes


def recle(
    ancienne_id: uuid.UUID, instance: models.Model | None = None, using: str | None = None
) -> uuid.UUID:
    """Move every row encrypted under a data key to a fresh data key; returns its id.

    Rows are locked (``SELECT ... FOR UPDATE``) and rewritten with ``UPDATE`` (no signals, no
    change-log entry: clear values are unchanged). ``instance``, if given, is refreshed.
    """
    from acces.crypto.models import CleDonnees

    alias = _alias(using)
    with transaction.atomic(using=alias), noyau.session_cles():
        cles = CleDonnees.objects.using(alias)
        # The old key row is locked first: a concurrent re-key of the same key waits, then
        # finds it replaced and moves any straggler rows to the end of the same chain, so
        # shredding the old key still reaches every row (``remplacee_par`` is never rewritten).
        remplacante = (
            cles.select_for_update()
            .filter(pk=ancienne_id)
            .values_list("remplacee_par", flat=True)
            .first()
        )
        deja_remplacee = remplacante is not None
        if remplacante is not None:
            fin: uuid.UUID = remplacante
            suivante: uuid.UUID | None = remplacante
            while suivante is not None:
                fin = suivante
                suivante = cles.filter(pk=fin).values_list("remplacee_par", flat=True).first()
            nouvelle = cles.get(pk=fin)
        else:
            nouvelle = CleDonnees.nouvelle()
            nouvelle.save(using=alias)
        chiffrements = lignes = 0
        for modele, nom_cle, champs in _colonnes_chiffrees():
            attname = champs[0].attname_cle
            gestionnaire = modele._base_manager.using(alias)
            a_deplacer = gestionnaire.select_for_update().filter(**{attname: ancienne_id})
            for ligne in a_deplacer.order_by("pk"):
                valeurs = {champ.name: dechiffrer(ligne, champ.name) for champ in champs}
                setattr(ligne, nom_cle, nouvelle)
                for nom, valeur in valeurs.items():
                    chiffrer(ligne, nom, valeur)
                chiffrements += sum(ligne.__dict__.pop(CHIFFREMENTS_EN_ATTENTE, {}).values())
                nouvelles = {champ.attname: getattr(ligne, champ.attname) for champ in champs}
                gestionnaire.filter(pk=ligne.pk).update(**{attname: nouvelle.id}, **nouvelles)
                lignes += 1
        if chiffrements:
            incrementer(nouvelle.id, chiffrements, alias)
        # Shredding the old key (e.g. a purge holding it) must reach the rows moved away.
        if not deja_remplacee:
            cles.filter(pk=ancienne_id).update(remplacee_par=nouvelle.id)
    logger.warning(
        "cle_donnees_remplacee",
        extra={"cle_id": str(ancienne_id), "nouvelle_cle_id": str(nouvelle.id), "lignes": lignes},
    )
    if instance is not None:
        _rafraichir(instance, ancienne_id, alias)
    return nouvelle.id


def _rafraichir(instance: models.Model, ancienne_id: uuid.UUID, alias: str) -> None:
    """Reload the key and ciphertexts the re-key changed under ``instance``."""
    champs = [
        champ
        for champ in instance._meta.concrete_fields
        if isinstance(champ, ChampChiffre) and getattr(instance, champ.attname_cle) == ancienne_id
    ]
    if not champs:
        return
    noms = {champ.attname_cle for champ in champs} | {champ.attname for champ in champs}
    frais: dict[str, Any] | None = (
        type(instance)._base_manager.using(alias).filter(pk=instance.pk).values(*noms).first()
    )
    if frais is None:
        return
    for nom, valeur in frais.items():
        setattr(instance, nom, valeur)
    for champ in champs:
        instance._state.fields_cache.pop(champ.champ_cle, None)


__all__ = [
    "alerter",
    "compter_enveloppements",
    "consommer",
    "incrementer",
    "noter_enveloppements",
    "recle",
    "seuils",
]
