"""Conventions of the trust core, as tests (docs/architecture.md, "Lectures et écritures").

Each check walks the project's own modules and is shown to fail on a planted violation:

- a view under ``api/`` that renders a serializer with categorised or decrypted fields stands on
  the doorway ``noyau.vues.VueDonnees`` (and, at run time, such a serializer refuses any context
  but the doorway's);
- an API module or a selector reads a model that has a policy through ``objects.restrict`` only,
  outside the short commented allow-list below;
- a model with an encrypted field has a policy and the restricted queryset;
- only the doorway builds the rendering context.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from acces.api.categories import ChampDechiffre, ChampsParCategorie, serializer_personnel
from acces.crypto.champs import ChampChiffre
from acces.restriction import RestrictQuerySet
from noyau.vues import VueDonnees

RACINE = Path(__file__).resolve().parent.parent
APPLICATIONS = ("acces", "audit", "noyau", "cellules", "tig", "cispd")

# Reads of a model with a policy by another manager method than ``restrict`` (or ``none``),
# each with why. Key: (module, function, model label, method).
LECTURES_HORS_RESTRICT: dict[tuple[str, str, str, str], str] = {
    ("acces.api.views", "OrganisationListView", "acces.Organisation", "filter"): (
        "unicité du nom avant la création d'une organisation (administrateur) ; rien n'est rendu"
    ),
    ("audit.selectors", "Annuaire", "acces.Organisation", "filter"): (
        "noms des organisations nommées par le journal, pour les auditeurs : un référentiel, "
        "pas une donnée personnelle"
    ),
    ("cellules.composition.selectors", "communes_des_ressorts", "cellules.Cellule", "filter"): (
        "sous-requête de codes de communes pour une politique ; aucune ligne n'est rendue"
    ),
    ("cellules.composition.selectors", "partenaires", "acces.Organisation", "filter"): (
        "organisations partenaires d'une cellule déjà lue dans le périmètre de l'appelant : un "
        "référentiel, pas une donnée personnelle"
    ),
    (
        "cellules.dossiers.selectors",
        "situations_archivees_visibles",
        "cellules.Situation",
        "filter",
    ): (
        "la seconde porte d'entrée, celle des dossiers archivés, qui applique en SQL sa propre "
        "politique (politique_situation_archivee)"
    ),
    ("cellules.dossiers.selectors", "_situations_du_conseiller", "cellules.Situation", "filter"): (
        "sous-requête des dossiers du ressort d'un conseiller d'exécution, pour nommer leur "
        "personne dans une mesure ; aucune ligne n'est rendue"
    ),
    ("cellules.dossiers.selectors", "personne_pour_mesure", "cellules.Personne", "filter"): (
        "union de deux sous-requêtes (personnes lisibles, dossiers du ressort du conseiller) ; "
        "l'identité n'est pas rendue"
    ),
    ("cellules.dossiers.selectors", "situation_pour_mesure", "cellules.Situation", "filter"): (
        "union de deux sous-requêtes (dossiers lisibles, dossiers du ressort du conseiller) ; "
        "seul l'identifiant est gardé"
    ),
    ("cellules.orientations.selectors", "organisation", "acces.Organisation", "filter"): (
        "les organisations partenaires sont un référentiel, pas une donnée personnelle"
    ),
    ("cellules.registres.selectors", "personne_pour_registre", "cellules.Personne", "filter"): (
        "union de trois sous-requêtes restreintes (dossiers lisibles, registre, transactions)"
    ),
    (
        "cellules.registres.selectors",
        "transaction_a_mesurer",
        "cellules.TransactionMunicipale",
        "select_for_update",
    ): "tâche de tig, sans utilisateur : verrou de la transaction homologuée à convertir",
    ("cellules.seances.api.views", "PresencesView", "acces.Organisation", "filter"): (
        "les organisations sont un référentiel, pas une donnée personnelle"
    ),
    ("cellules.seances.api.views", "DecisionsView", "acces.Organisation", "filter"): (
        "les organisations sont un référentiel, pas une donnée personnelle"
    ),
    ("cellules.seances.selectors", "cellule_coordonnee", "cellules.Cellule", "filter"): (
        "règle des coordonnateurs (cellules_coordonnees), appliquée en SQL par sous-requête"
    ),
}


def _modules(filtre: Any) -> Iterator[types.ModuleType]:
    for app in APPLICATIONS:
        for chemin in sorted((RACINE / app).rglob("*.py")):
            relatif = chemin.relative_to(RACINE)
            if "migrations" in relatif.parts or not filtre(relatif):
                continue
            nom = ".".join(relatif.with_suffix("").parts)
            yield importlib.import_module(nom.removesuffix(".__init__"))


def _sous_api(relatif: Path) -> bool:
    return "api" in relatif.parts[:-1] and not relatif.stem.startswith("serializers")


def _selecteur(relatif: Path) -> bool:
    return relatif.stem == "selectors"


def _source(module: types.ModuleType) -> str:
    return Path(str(module.__file__)).read_text(encoding="utf-8")


def planter(tmp_path: Path, source: str) -> types.ModuleType:
    """A module written to disk and imported, as a developer's mistake would be."""
    chemin = tmp_path / "plante.py"
    chemin.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("plante", chemin)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resoudre(noeud: ast.AST, espace: dict[str, Any]) -> Any:
    """The object a ``Name`` or ``a.b.c`` expression names in a module namespace, or None."""
    if isinstance(noeud, ast.Name):
        return espace.get(noeud.id)
    if isinstance(noeud, ast.Attribute):
        base = _resoudre(noeud.value, espace)
        return getattr(base, noeud.attr, None) if base is not None else None
    return None


def _fonction_englobante(arbre: ast.Module) -> dict[int, str]:
    """Line number -> name of the top-level class or function that holds it."""
    lignes: dict[int, str] = {}
    for noeud in arbre.body:
        if isinstance(noeud, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for sous in ast.walk(noeud):
                if hasattr(sous, "lineno"):
                    lignes.setdefault(sous.lineno, noeud.name)
    return lignes


# --- 1. personal data renders through the doorway --------------------------------------------


def _corps_des_methodes(classe: ast.ClassDef) -> Iterator[ast.AST]:
    """The nodes of the methods' bodies (a schema decorator may instantiate a serializer)."""
    for methode in classe.body:
        if isinstance(methode, ast.FunctionDef | ast.AsyncFunctionDef):
            for instruction in methode.body:
                yield from ast.walk(instruction)


def _est_personnel(cible: Any) -> bool:
    return (
        isinstance(cible, type)
        and issubclass(cible, BaseSerializer)
        and serializer_personnel(cible)
    )


def rendus_hors_porte(module: types.ModuleType) -> list[str]:
    """Top-level classes and functions of ``module`` that name a personal serializer outside a
    ``VueDonnees`` (a view of another kind, or a helper function)."""
    arbre = ast.parse(_source(module))
    espace = vars(module)
    fautes = []
    for noeud in arbre.body:
        if not isinstance(noeud, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        objet = espace.get(noeud.name)
        if (
            isinstance(noeud, ast.ClassDef)
            and isinstance(objet, type)
            and issubclass(objet, VueDonnees)
        ):
            # On the doorway, a personal serializer is named, never called: ``rendre`` and
            # ``serialiser`` call it, with their context and their trace.
            for sous in _corps_des_methodes(noeud):
                if isinstance(sous, ast.Call) and _est_personnel(_resoudre(sous.func, espace)):
                    fautes.append(
                        f"{module.__name__}.{noeud.name} appelle {ast.unparse(sous.func)}"
                    )
                    break
            continue
        if isinstance(objet, type) and not issubclass(objet, APIView):
            continue  # a serializer or a permission may name others
        for sous in ast.walk(noeud):
            cible = _resoudre(sous, espace) if isinstance(sous, ast.Name | ast.Attribute) else None
            if cible is not None and _est_personnel(cible):
                fautes.append(f"{module.__name__}.{noeud.name} -> {cible.__qualname__}")
                break
    return fautes


def test_personal_serializers_render_through_the_doorway_only() -> None:
    fautes = [f for module in _modules(_sous_api) for f in rendus_hors_porte(module)]
    assert fautes == []


def test_a_view_rendering_a_case_without_the_doorway_is_caught(tmp_path: Path) -> None:
    serializer = next(
        c for c in _personnels() if getattr(c, "categories_des_champs", {}).get("observation")
    )
    module = planter(
        tmp_path,
        "from rest_framework.views import APIView\n"
        "from cellules.models import Situation\n"
        f"from {serializer.__module__} import {serializer.__name__} as S\n\n\n"
        "class Fuite(APIView):\n"
        "    def get(self, request, pk):\n"
        "        return S(Situation.objects.get(pk=pk), context={'request': request}).data\n",
    )
    assert rendus_hors_porte(module) == [f"plante.Fuite -> {serializer.__qualname__}"]


def test_a_doorway_view_calling_a_personal_serializer_itself_is_caught(tmp_path: Path) -> None:
    serializer = next(
        c for c in _personnels() if getattr(c, "categories_des_champs", {}).get("observation")
    )
    module = planter(
        tmp_path,
        "from cellules.dossiers.models import Situation\n"
        "from noyau.vues import VueDonnees\n"
        f"from {serializer.__module__} import {serializer.__name__} as S\n\n\n"
        "class Contournement(VueDonnees):\n"
        "    modele = Situation\n\n"
        "    def get(self, request, pk):\n"
        "        return S(self.trouver(pk), context=self._contexte()).data\n",
    )
    assert rendus_hors_porte(module) == ["plante.Contournement appelle S"]


def _personnels() -> list[type]:
    importlib.import_module("config.urls")
    vus: list[type] = []
    pile = list(BaseSerializer.__subclasses__())
    while pile:
        classe = pile.pop()
        pile.extend(classe.__subclasses__())
        if classe.__module__.split(".")[0] in APPLICATIONS and serializer_personnel(classe):
            vus.append(classe)
    return vus


@pytest.mark.django_db
def test_a_personal_serializer_refuses_any_context_but_the_doorways(rf: Any) -> None:
    from tests.acces.factories import compte_complet

    request = rf.get("/")
    request.user = compte_complet().utilisateur
    categorises: list[Any] = [c for c in _personnels() if issubclass(c, ChampsParCategorie)]
    assert len(categorises) >= 9
    for classe in categorises:
        with pytest.raises(ImproperlyConfigured, match="porte unique"):
            classe({}, context={"request": request}).data  # noqa: B018


def test_the_decrypting_field_refuses_any_context_but_the_doorways() -> None:
    champ = ChampDechiffre("nom")
    champ.bind("nom", ChampsParCategorieVide(context={"request": None}))
    with pytest.raises(ImproperlyConfigured, match="porte unique"):
        champ.to_representation(object())  # type: ignore[arg-type]


class ChampsParCategorieVide(BaseSerializer):  # type: ignore[type-arg]
    """A bare parent, to bind the field to a context."""


def test_only_the_doorway_builds_the_rendering_context() -> None:
    appels = []
    for module in _modules(lambda relatif: True):
        for noeud in ast.walk(ast.parse(_source(module))):
            if (
                isinstance(noeud, ast.Call)
                and getattr(noeud.func, "id", getattr(noeud.func, "attr", ""))
                == "contexte_de_rendu"
            ):
                appels.append(module.__name__)
    assert set(appels) == {"noyau.vues"}


# --- 2. reads through restrict ----------------------------------------------------------------


def _a_une_politique(objet: Any) -> bool:
    return (
        isinstance(objet, type)
        and hasattr(objet, "_meta")
        and callable(getattr(objet, "politique", None))
    )


def lectures_hors_restrict(module: types.ModuleType) -> list[tuple[str, str, str, str]]:
    """``Model.objects.<method>`` calls on a model with a policy, other than ``restrict``."""
    arbre = ast.parse(_source(module))
    englobantes = _fonction_englobante(arbre)
    espace = vars(module)
    trouvees = []
    for noeud in ast.walk(arbre):
        if not (
            isinstance(noeud, ast.Attribute)
            and isinstance(noeud.value, ast.Attribute)
            and noeud.value.attr in ("objects", "_default_manager")
        ):
            continue
        modele = _resoudre(noeud.value.value, espace)
        if _a_une_politique(modele) and noeud.attr not in ("restrict", "none"):
            trouvees.append(
                (
                    module.__name__,
                    englobantes.get(noeud.lineno, "<module>"),
                    modele._meta.label,
                    noeud.attr,
                )
            )
    return trouvees


def test_api_modules_and_selectors_read_policed_models_through_restrict() -> None:
    trouvees = [
        lecture
        for module in _modules(lambda r: _sous_api(r) or _selecteur(r))
        for lecture in lectures_hors_restrict(module)
    ]
    assert [t for t in trouvees if t not in LECTURES_HORS_RESTRICT] == []
    # The allow-list stays short and true: each entry is still needed.
    assert [k for k in LECTURES_HORS_RESTRICT if k not in trouvees] == []


def test_a_selector_bypassing_restrict_is_caught(tmp_path: Path) -> None:
    module = planter(
        tmp_path,
        "from cellules.models import Situation\n\n\n"
        "def toutes(user):\n"
        "    return Situation.objects.filter(statut='ouverte')\n",
    )
    assert lectures_hors_restrict(module) == [("plante", "toutes", "cellules.Situation", "filter")]


# --- 3. encrypted models have a policy --------------------------------------------------------

# Encrypted models read by no API (the owner's own secret): exempt, with why.
SANS_POLITIQUE = {
    "acces.SecretTotp": "graine TOTP, lue par la seule vérification du compte qui la possède",
}


def modeles_chiffres_sans_politique() -> list[str]:
    fautes = []
    for modele in apps.get_models():
        if not any(isinstance(c, ChampChiffre) for c in modele._meta.get_fields()):
            continue
        if modele._meta.label in SANS_POLITIQUE:
            continue
        restreint = isinstance(modele._default_manager.all(), RestrictQuerySet)
        if not (callable(getattr(modele, "politique", None)) and restreint):
            fautes.append(modele._meta.label)
    return fautes


def test_every_model_with_an_encrypted_field_has_a_policy() -> None:
    assert modeles_chiffres_sans_politique() == []
