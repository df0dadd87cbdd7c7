"""Public API of the access log, for the domain apps (D1–D3).

Usage in a view that returns personal records::

    motif = journal.motif_de_requete(request)           # 400 motif_requis + refusal event
    situations = selectors.situations_visibles(...)      # scoped query
    journal.consigner_lectures(request, [("cellules.situation", s.id) for s in situations],
                               action=ActionAcces.LISTE, motif=motif)

One event per object ("each row of a list"). Events are written in the caller's transaction:
if the read rolls back, so does its trace. A refusal, however, must survive the error response:
call :func:`consigner_refus` (and :func:`motif_de_requete`) outside any transaction that the
error will roll back (``ATOMIC_REQUESTS`` is off in this project).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from rest_framework.permissions import BasePermission

from audit import chaine, changements, contexte
from audit.contexte import acteur_de
from audit.enums import PRECISION_MASQUEE, ActionAcces, Motif, PrecisionMotif, Raison, Resultat
from audit.models import EvenementAcces
from socle.errors import ApiError

_TYPE_OBJET = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_IDENTIFIANT = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
ENTETE_MOTIF = "HTTP_X_MOTIF"
ENTETE_DETAIL = "HTTP_X_MOTIF_DETAIL"

# (type, id) or (type, id, person disclosed): every read that discloses a person names it.
ObjetLu = tuple[str, uuid.UUID | str] | tuple[str, uuid.UUID | str, uuid.UUID | None]


class EntreeJournalInvalide(ValueError):
    """A caller passed something that is not a reference (code bug, never user input)."""


@dataclass(frozen=True)
class MotifLu:
    motif: str
    detail: str = ""


def _type_objet(valeur: str) -> str:
    if valeur and (len(valeur) > 60 or not _TYPE_OBJET.fullmatch(valeur)):
        raise EntreeJournalInvalide("type_objet")
    return valeur


def _objet_id(valeur: uuid.UUID | str | None) -> str:
    if valeur is None or valeur == "":
        return ""
    texte = str(valeur)
    if not _IDENTIFIANT.fullmatch(texte):
        raise EntreeJournalInvalide("objet_id")
    return texte


def detail_valide(valeur: str) -> bool:
    """Empty, or one code of the closed list :class:`PrecisionMotif` (no free text, Issue 9 #5)."""
    return valeur == "" or valeur in PrecisionMotif.values


def detail_affiche(valeur: str) -> str:
    """The precision shown to auditors: a code, or a mask over free text logged before the list
    was closed (still chained, so kept in the row until the retention purge, never shown)."""
    return valeur if detail_valide(valeur) else PRECISION_MASQUEE


def _personne_id(objet: ObjetLu) -> uuid.UUID | None:
    if len(objet) < 3:
        return None
    valeur = objet[2]
    if valeur is None:
        return None
    if not isinstance(valeur, uuid.UUID):
        raise EntreeJournalInvalide("personne_id")
    return valeur


def _motif(motif: MotifLu | str) -> MotifLu:
    lu = motif if isinstance(motif, MotifLu) else MotifLu(str(motif))
    if lu.motif not in Motif.values or not detail_valide(lu.detail):
        raise EntreeJournalInvalide("motif")
    return lu


def _champs(request: Any, **valeurs: Any) -> dict[str, Any]:
    acteur = acteur_de(request, valeurs.pop("utilisateur", None))
    return {
        "utilisateur_id": acteur.utilisateur_id,
        "roles": acteur.roles,
        "organisation_id": acteur.organisation_id,
        "request_id": acteur.request_id,
        "adresse_ip": acteur.adresse_ip,
        **valeurs,
    }


def consigner_lectures(
    request: Any,
    objets: Iterable[ObjetLu],
    action: str = ActionAcces.CONSULTATION,
    motif: MotifLu | str = "",
    motif_detail: str = "",
) -> list[EvenementAcces]:
    """One ``autorise`` event per object read (detail, each list row, export, PDF), with the
    person the object discloses when the caller names it (third item of the tuple)."""
    lu = _motif(MotifLu(motif, motif_detail) if isinstance(motif, str) else motif)
    if action not in ActionAcces.values:
        raise EntreeJournalInvalide("action")
    base = _champs(
        request, action=action, resultat=Resultat.AUTORISE, motif=lu.motif, motif_detail=lu.detail
    )
    lignes = [
        {
            **base,
            "type_objet": _type_objet(objet[0]),
            "objet_id": _objet_id(objet[1]),
            "personne_id": _personne_id(objet),
        }
        for objet in objets
    ]
    return chaine.ajouter(lignes)


def consigner_refus(
    request: Any, type_objet: str, objet_id: uuid.UUID | str | None, raison: str
) -> EvenementAcces:
    """A denied attempt (out of scope, charter, step-up, missing motif…) with the object tried."""
    if raison not in Raison.values:
        raise EntreeJournalInvalide("raison")
    ligne = _champs(
        request,
        action=ActionAcces.REFUS,
        resultat=Resultat.REFUSE,
        raison=raison,
        type_objet=_type_objet(type_objet),
        objet_id=_objet_id(objet_id),
    )
    return chaine.ajouter([ligne])[0]


def consigner_evenement_securite(
    raison: str,
    *,
    request: Any = None,
    action: str = ActionAcces.SECURITE,
    type_objet: str = "",
    objet_id: uuid.UUID | str | None = None,
    utilisateur: Any = None,
    refuse: bool = True,
) -> EvenementAcces:
    """Logins, failed logins, decryption failures (``dechiffrement_impossible``), alerts."""
    if raison and raison not in Raison.values:
        raise EntreeJournalInvalide("raison")
    if action not in ActionAcces.values:
        raise EntreeJournalInvalide("action")
    ligne = _champs(
        request,
        utilisateur=utilisateur,
        action=action,
        resultat=Resultat.REFUSE if refuse else Resultat.AUTORISE,
        raison=raison,
        type_objet=_type_objet(type_objet),
        objet_id=_objet_id(objet_id),
    )
    return chaine.ajouter([ligne])[0]


def _brut(request: Any) -> tuple[str, str]:
    meta = getattr(request, "META", {})
    params = getattr(request, "query_params", None) or getattr(request, "GET", {})
    motif = str(meta.get(ENTETE_MOTIF) or params.get("motif") or "").strip()
    # The precision comes in a header only, as a code of the closed list.
    detail = str(meta.get(ENTETE_DETAIL) or "").strip()
    return motif, detail


def _lire_motif(request: Any) -> MotifLu | None:
    motif, detail = _brut(request)
    if motif not in Motif.values or not detail_valide(detail):
        return None
    return MotifLu(motif, detail)


def motif_de_requete(
    request: Any, type_objet: str = "", objet_id: uuid.UUID | str | None = None
) -> MotifLu:
    """The purpose of the read (``X-Motif`` or ``?motif=``, optional ``X-Motif-Detail`` code
    of :class:`PrecisionMotif`), else 400.

    An absent or invalid purpose is a refused access: it is logged before the 400.
    """
    lu = _lire_motif(request)
    if lu is not None:
        return lu
    consigner_refus(request, type_objet, objet_id, Raison.MOTIF_REQUIS)
    motif, _ = _brut(request)
    if motif in Motif.values:
        # Never echo the value back: it may be a name.
        raise ApiError(
            400,
            "motif_requis",
            "La précision du motif (en-tête X-Motif-Detail) doit être choisie parmi : "
            + ", ".join(PrecisionMotif.values)
            + ".",
            {"motif_detail": ["Précision inconnue : le texte libre n'est pas accepté."]},
        )
    raise ApiError(
        400,
        "motif_requis",
        "Indiquez le motif de la consultation (en-tête X-Motif) parmi : "
        + ", ".join(Motif.values)
        + ".",
        {"motif": ["Motif absent ou invalide."]},
    )


class MotifRequis(BasePermission):
    """DRF gate: reads need a purpose; it is kept on ``request.motif_acces`` for the view."""

    def has_permission(self, request: Any, view: Any) -> bool:
        # A refusal names what was attempted: the view's object type and the id in the URL.
        kwargs = getattr(view, "kwargs", None) or {}
        request.motif_acces = motif_de_requete(
            request, getattr(view, "type_objet", ""), kwargs.get("pk")
        )
        return True


def consigner_audit(
    request: Any,
    type_objet: str,
    objet_id: uuid.UUID | str | None = None,
    *,
    motif_defaut: str = Motif.CONTROLE,
    action: str = ActionAcces.AUDIT,
    nombre: int | None = None,
) -> EvenementAcces:
    """An auditor's read of the log is itself logged (purpose optional, default ``controle``)."""
    lu = _lire_motif(request) or MotifLu(motif_defaut)
    ligne = _champs(
        request,
        action=action,
        resultat=Resultat.AUTORISE,
        motif=lu.motif,
        motif_detail=lu.detail,
        type_objet=_type_objet(type_objet),
        objet_id=_objet_id(objet_id),
        nombre=nombre,
    )
    return chaine.ajouter([ligne])[0]


class JournalAudit:
    """The implementation of :class:`acces.ports.Journal`, installed by ``AuditConfig.ready``."""

    def evenement_securite(
        self,
        raison: str,
        *,
        request: Any = None,
        action: str = ActionAcces.SECURITE,
        type_objet: str = "",
        objet_id: uuid.UUID | str | None = None,
        utilisateur: Any = None,
        refuse: bool = True,
    ) -> EvenementAcces:
        return consigner_evenement_securite(
            raison,
            request=request,
            action=action,
            type_objet=type_objet,
            objet_id=objet_id,
            utilisateur=utilisateur,
            refuse=refuse,
        )

    def refus(
        self, request: Any, type_objet: str, objet_id: uuid.UUID | str | None, raison: str
    ) -> EvenementAcces:
        return consigner_refus(request, type_objet, objet_id, raison)

    def mettre_a_jour(self, queryset: models.QuerySet[Any], **valeurs: Any) -> int:
        return changements.mettre_a_jour(queryset, **valeurs)

    def requete_courante(self) -> HttpRequest | None:
        return contexte.requete_courante()
