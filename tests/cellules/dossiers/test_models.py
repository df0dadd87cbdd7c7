"""Ages, closed lists, opaque ``__str__`` and ciphertext at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from acces.crypto.champs import dechiffrer
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers.ages import age_au, mineur_au
from cellules.dossiers.enums import TRANSITIONS, StatutSituation
from cellules.dossiers.models import AccesSituation, Personne, Situation
from tests.canaris import canari, ecritures_validees, pg_dump_donnees, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f


@pytest.mark.parametrize(
    ("naissance", "jour", "age"),
    [
        (dt.date(2010, 6, 15), dt.date(2026, 6, 14), 15),
        (dt.date(2010, 6, 15), dt.date(2026, 6, 15), 16),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
        (dt.date(2000, 1, 1), dt.date(2000, 1, 1), 0),
    ],
)
def test_age_at_date(naissance: dt.date, jour: dt.date, age: int) -> None:
    assert age_au(naissance, jour) == age


def test_minority_ends_on_the_eighteenth_birthday() -> None:
    naissance = dt.date(2008, 11, 26)
    assert mineur_au(naissance, dt.date(2026, 11, 25)) is True
    assert mineur_au(naissance, dt.date(2026, 11, 26)) is False


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError):
        age_au(dt.date(2010, 1, 2), dt.date(2010, 1, 1))


@given(
    naissance=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 1, 1)),
    jours=st.integers(min_value=0, max_value=40000),
)
def test_age_grows_by_one_each_birthday(naissance: dt.date, jours: int) -> None:
    jour = naissance + dt.timedelta(days=jours)
    age = age_au(naissance, jour)
    assert 0 <= age <= jours // 365
    assert age_au(naissance, jour + dt.timedelta(days=366)) in (age + 1, age + 2)


def test_every_transition_leads_forward() -> None:
    ordre = list(StatutSituation.values)
    for depuis, vers in TRANSITIONS.values():
        assert all(ordre.index(s) < ordre.index(vers) for s in depuis)
    assert StatutSituation.PURGEE not in {vers for _, vers in TRANSITIONS.values()}


@pytest.mark.django_db
def test_person_age_and_minority_from_the_encrypted_birth_date() -> None:
    ident = f.Identite("Martin", "Léa", dt.date(2010, 3, 1))
    personne = f.personne(ident)
    assert personne.age_au(dt.date(2026, 2, 28)) == 15
    assert personne.mineur_au(dt.date(2028, 3, 1)) is False
    assert personne.mineur_au(dt.date(2028, 2, 29)) is True


@pytest.mark.django_db
def test_C1_identity_columns_hold_ciphertext_only() -> None:
    c = canari()
    personne = f.personne(c)
    situation = f.situation(pers=personne, observation=f"vu avec {c.prenom}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nom, prenom, date_naissance, index_identite FROM cellules_personne WHERE id=%s",
            [personne.pk],
        )
        ligne = cursor.fetchone()
        cursor.execute("SELECT observation FROM cellules_situation WHERE id=%s", [situation.pk])
        (observation,) = cursor.fetchone()
    brut = b"".join(bytes(v) for v in (*ligne, observation))
    assert c.marque.encode() not in brut
    assert c.nom.encode() not in brut
    assert bytes(ligne[0])[0] == 1  # format version byte
    relue = Personne.objects.get(pk=personne.pk)
    assert dechiffrer(relue, "prenom") == c.prenom
    assert (
        dechiffrer(Situation.objects.get(pk=situation.pk), "observation") == f"vu avec {c.prenom}"
    )


@pytest.mark.django_db
def test_str_is_opaque() -> None:
    c = canari()
    situation = f.situation(pers=f.personne(c))
    for objet in (situation, situation.personne, situation.cellule):
        texte = str(objet)
        assert str(objet.pk) in texte
        assert c.marque not in texte and c.nom not in texte


def test_verbose_names_are_lower_case_french() -> None:
    for modele in (Cellule, MembreCellule, Personne, Situation, AccesSituation):
        # Lower-case first letter; acronyms (CLSPD, CISPD) keep their capitals.
        assert str(modele._meta.verbose_name)[:1].islower()
        for champ in modele._meta.get_fields():
            nom = str(getattr(champ, "verbose_name", "") or "x")
            assert nom[:1].islower(), (modele, champ)


def test_foreign_keys_to_persons_and_cases_protect() -> None:
    from django.db import models

    for modele in (Situation, AccesSituation):
        for champ in modele._meta.get_fields():
            if isinstance(champ, models.ForeignKey) and champ.related_model in (
                Personne,
                Situation,
            ):
                assert champ.remote_field.on_delete is models.PROTECT, (modele, champ.name)


@pytest.mark.django_db
def test_C1_D8_pg_dump_and_change_log_hold_no_identity() -> None:
    from auditlog.models import LogEntry

    canaris = [canari() for _ in range(3)]
    temoin = canari()
    debut = timezone.now()
    with ecritures_validees():
        cellule = f_composition.cellule("21231")
        creees: list[Situation] = []
        try:
            for c in canaris:
                personne = f.personne(c)
                creees.append(f.situation(cellule, personne, observation=f"{c.prenom} vu"))
            cellule.nom = temoin.nom  # a clear column: proves the dump is scanned
            cellule.save()
            dump = pg_dump_donnees()
        finally:
            for situation in creees:
                situation.delete()
                situation.personne.delete()
                situation.personne.cle.delete()
            cellule.delete()
            LogEntry.objects.filter(timestamp__gte=debut).delete()
    assert scanner(dump, canaris) == []
    assert {t.valeur for t in scanner(dump, [temoin])} == {temoin.nom}
    assert not Situation.objects.exists()
