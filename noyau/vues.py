"""``VueDonnees``: the one base of every API view that returns or writes personal data.

It owns the sequence, applied once here instead of in each view:

1. the gate (``permission_classes``): authenticated, operational role and platform charter
   accepted (refusals logged), a purpose from the closed list (``X-Motif``);
2. the scoped lookup: ``trouver(pk)`` reads through the view's selector (``restrict``), answers
   404 like a missing object and logs the refusal; ``trouver(pk, Action.MODIFIER)`` then answers
   403 (logged) to who may read but not write;
3. rendering: ``rendre`` / ``rendre_page`` / ``serialiser`` preload the data keys, serialise with
   the request context (the categorised and decrypting fields refuse any other context), write
   one access event per record returned, naming the person it discloses, and set the ETag;
4. reusable parts: ``exiger`` (a logged 403), ``exiger_verification`` (step-up, logged refusal),
   ``version_attendue`` (``If-Match``), ``creer_une_fois`` (``Idempotency-Key``);
5. lists: ``paginer`` / ``rendre_page`` accept only the query parameters the view declares
   (``filterset_class``, ``parametres``, plus ``page``, ``taille`` and ``motif``): anything
   else, or a malformed value, is a 400 naming it (``noyau.filtres``); the filters narrow the
   restricted queryset, never widen it.

A view declares ``modele`` (the access-log type is its label), ``selecteur`` (``(user, action)
-> QuerySet`` through ``restrict``) and ``serializer_class``. Write views keep their explicit
service calls.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from acces.api.categories import contexte_de_rendu
from acces.auth.permissions import exige_verification_recente
from acces.crypto.champs import precharger_cles
from acces.enums import Action
from acces.models import Utilisateur
from audit import journal
from audit.enums import ActionAcces, Raison
from noyau import filtres, idempotence
from noyau.permissions import AccesDonneesTrace
from socle import etags
from socle.errors import ApiError
from socle.pagination import Pagination

Selecteur = Callable[..., QuerySet[Any]]


def type_de(modele: type[models.Model]) -> str:
    """The access-log type of a model: its label (``cellules.situation``), or the name the
    access log has always used for it (``TYPE_JOURNAL``), so that its history reads as one."""
    return getattr(modele, "TYPE_JOURNAL", None) or modele._meta.label_lower


def personnes_de(objets: Sequence[models.Model]) -> list[uuid.UUID | None]:
    """The person each record discloses, for its access event (one query per model at most).

    A model names it once: a ``personne`` foreign key, or ``CHEMIN_PERSONNE`` (``"pk"`` for
    the person itself, a lookup path such as ``"situation__personne"`` otherwise). A model
    that says nothing is a configuration error: no access event goes without its person.
    """
    resultat: list[uuid.UUID | None] = [None] * len(objets)
    a_chercher: dict[type[models.Model], list[tuple[int, Any]]] = defaultdict(list)
    for rang, objet in enumerate(objets):
        chemin = getattr(type(objet), "CHEMIN_PERSONNE", None)
        if chemin == "pk":
            resultat[rang] = objet.pk
        elif chemin is None and getattr(objet, "personne_id", None) is not None:
            resultat[rang] = objet.personne_id  # type: ignore[attr-defined]
        elif (chemin is None and hasattr(objet, "personne_id")) or chemin is not None:
            a_chercher[type(objet)].append((rang, objet.pk))
        else:
            raise ImproperlyConfigured(f"{type_de(type(objet))} : personne divulguée inconnue")
    for modele, rangs in a_chercher.items():
        # References only, of records already read in scope: no content, hence no restrict.
        lien: str = getattr(modele, "CHEMIN_PERSONNE", "personne")
        personnes = dict(
            modele._default_manager.filter(pk__in=[pk for _, pk in rangs]).values_list("pk", lien)
        )
        for rang, pk in rangs:
            resultat[rang] = personnes[pk]
    return resultat


def acteur(request: Any) -> Utilisateur:
    """The authenticated account of a request (the views' permissions guarantee one)."""
    user = request.user
    assert isinstance(user, Utilisateur)
    return user


def _avec_cles(objets: Iterable[models.Model]) -> list[models.Model]:
    """The records and the related records already loaded with them that hold a data key."""
    vus: dict[int, models.Model] = {}
    pile = list(objets)
    while pile:
        objet = pile.pop()
        if id(objet) in vus:
            continue
        vus[id(objet)] = objet
        # ``select_related`` rows only: never a query here.
        pile.extend(o for o in objet._state.fields_cache.values() if isinstance(o, models.Model))
    return [o for o in vus.values() if getattr(o, "cle_id", None) is not None]


class VueDonnees(APIView):
    """Personal-data route: operational role, charter accepted, motif (``X-Motif``)."""

    # (The docstring above is the routes' description in the OpenAPI schema; the sequence is
    # described in the module docstring.)

    permission_classes = [IsAuthenticated, AccesDonneesTrace, journal.MotifRequis]
    # No HEAD: it would run the read (and log a consultation) for a body nobody receives.
    http_method_names = ["get", "post", "put", "patch", "delete", "options"]

    modele: ClassVar[type[models.Model]]
    selecteur: ClassVar[Selecteur]
    serializer_class: ClassVar[type[BaseSerializer[Any]] | None] = None
    # Versioned records answer with their ETag (for ``If-Match``), unless the route is read-only.
    etag: ClassVar[bool] = True
    # Lists: the filters of the query string, and the other query parameters accepted.
    filterset_class: ClassVar[type[filtres.Filtres] | None] = None
    parametres: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_") and not hasattr(cls, "modele"):
            raise ImproperlyConfigured(f"{cls.__qualname__} : « modele » manquant")

    # -- who, what --------------------------------------------------------------------------

    @property
    def type_objet(self) -> str:
        return type_de(self.modele)

    @property
    def acteur(self) -> Utilisateur:
        return acteur(self.request)

    def selection(
        self, action: Action = Action.LIRE, selecteur: Selecteur | None = None
    ) -> QuerySet[Any]:
        """The records of the view's model (or ``selecteur``'s) the user may ``action``."""
        choisi = selecteur or type(self).selecteur
        return choisi(self.request.user, action)

    # -- refusals ---------------------------------------------------------------------------

    def refuser(
        self,
        pk: Any,
        raison: str,
        code: int = 403,
        modele: type[models.Model] | None = None,
    ) -> ApiError:
        """Log the refusal, then the error to raise (a 404 is the body of a missing object)."""
        journal.consigner_refus(self.request, type_de(modele or self.modele), pk, raison)
        return ApiError.de_statut(code)

    def exiger(
        self, condition: bool, pk: Any = None, raison: str = Raison.ROLE_INSUFFISANT
    ) -> None:
        """A logged 403 unless ``condition``."""
        if not condition:
            raise self.refuser(pk, raison, 403)

    def exiger_verification(self, pk: Any = None) -> None:
        """Step-up (a second factor less than five minutes old); the refusal is logged."""
        try:
            exige_verification_recente(self.request)
        except ApiError:
            journal.consigner_refus(self.request, self.type_objet, pk, Raison.VERIFICATION_REQUISE)
            raise

    # -- scoped lookup ----------------------------------------------------------------------

    def trouver(
        self,
        pk: Any,
        action: Action = Action.LIRE,
        *,
        modele: type[models.Model] | None = None,
        selecteur: Selecteur | None = None,
    ) -> Any:
        """The record ``pk`` in scope: 404 (logged) if unreadable, 403 (logged) if readable but
        not open to ``action``. ``modele``/``selecteur`` look up another resource (the case of
        an orientation list, say)."""
        objet = self.selection(Action.LIRE, selecteur).filter(pk=pk).first()
        if objet is None:
            raise self.refuser(pk, Raison.HORS_PERIMETRE, 404, modele)
        if action != Action.LIRE and not self.selection(action, selecteur).filter(pk=pk).exists():
            raise self.refuser(pk, Raison.ROLE_INSUFFISANT, 403, modele)
        return objet

    def version_attendue(self, objet: Any) -> int:
        """The version the client read (``If-Match``): 428 if absent, 412 if stale."""
        return etags.version_attendue(self.request, objet)

    # -- creation ---------------------------------------------------------------------------

    def cle_idempotence(self) -> str | None:
        """The ``Idempotency-Key`` header (400 if malformed); read it before the body."""
        return idempotence.cle_de(self.request)

    def creer_une_fois(
        self,
        route: str,
        cle: str | None,
        creer: Callable[[], models.Model],
        corps: Any = None,
    ) -> tuple[Any, bool]:
        """Run ``creer`` once per key and request (``corps``, by default the body); the replay
        flag goes on the next response."""
        pk, rejouee = idempotence.executer_une_fois(
            utilisateur=self.acteur,
            route=route,
            cle=cle,
            corps=self.request.data if corps is None else corps,
            creer=creer,
        )
        self._rejouee = rejouee
        return pk, rejouee

    # -- rendering --------------------------------------------------------------------------

    def _contexte(self) -> dict[str, Any]:
        return contexte_de_rendu(self.request, self)

    def tracer(self, objets: Iterable[models.Model], action: str) -> None:
        """One access event per record (same request id), naming the person it discloses."""
        lus = list(objets)
        motif: journal.MotifLu = self.request.motif_acces  # type: ignore[attr-defined]
        journal.consigner_lectures(
            self.request,
            [(type_de(type(o)), o.pk, p) for o, p in zip(lus, personnes_de(lus), strict=True)],
            action=action,
            motif=motif,
        )

    def tracer_ids(self, modele: type[models.Model], ids: Iterable[Any], action: str) -> None:
        """Access events for records named by id only (a refusal that confirms who exists)."""
        self.tracer([modele(pk=pk) for pk in ids], action)

    def serialiser(
        self,
        donnees: Any,
        *,
        many: bool = False,
        serializer: type[BaseSerializer[Any]] | None = None,
        action: str | None = None,
        traces: Iterable[models.Model] | None = None,
    ) -> Any:
        """Serialised data of ``donnees``, each record traced (``traces`` when the records
        disclosed are others, e.g. the cases of a relevé's decisions)."""
        classe = serializer or self.serializer_class
        if classe is None:
            raise ImproperlyConfigured(f"{type(self).__qualname__} : aucun serializer")
        objets = list(donnees) if many else [donnees]
        precharger_cles(_avec_cles(objets))
        corps = classe(objets if many else donnees, many=many, context=self._contexte()).data
        self.tracer(
            objets if traces is None else traces,
            action or (ActionAcces.LISTE if many else ActionAcces.CONSULTATION),
        )
        return corps

    def repondre(self, corps: Any, status: int = 200, objet: Any = None) -> Response:
        """A response with the ETag of ``objet`` (when versioned) and the replay flag."""
        headers: dict[str, str] = {}
        if self.etag and objet is not None and hasattr(objet, "version"):
            headers["ETag"] = etags.etag(objet)
        if getattr(self, "_rejouee", False):
            headers["Idempotent-Replayed"] = "true"
        return Response(corps, status=status, headers=headers)

    def rendre(
        self,
        objet: Any,
        status: int = 200,
        *,
        serializer: type[BaseSerializer[Any]] | None = None,
        action: str | None = None,
    ) -> Response:
        """One record, traced, with its ETag."""
        corps = self.serialiser(objet, serializer=serializer, action=action)
        return self.repondre(corps, status, objet)

    def paginer(self, queryset: QuerySet[Any]) -> tuple[list[Any], Pagination]:
        """The page asked for of ``queryset``, narrowed by the view's filters; 400 for a query
        parameter the view does not declare or a malformed value, 404 beyond the last page."""
        filtres.verifier(self.request, self.filterset_class, self.parametres)
        if self.filterset_class is not None:
            queryset = filtres.filtrer(self.request, queryset, self.filterset_class)
        pagination = Pagination()
        page = pagination.paginate_queryset(queryset, self.request, view=self) or []
        return page, pagination

    def rendre_page(
        self,
        queryset: QuerySet[Any],
        *,
        serializer: type[BaseSerializer[Any]] | None = None,
        action: str = ActionAcces.LISTE,
    ) -> Response:
        """One page of ``queryset`` (``page``, ``taille``, the view's filters), each row traced."""
        page, pagination = self.paginer(queryset)
        corps = self.serialiser(page, many=True, serializer=serializer, action=action)
        return pagination.get_paginated_response(corps)
