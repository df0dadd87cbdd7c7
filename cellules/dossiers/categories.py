"""Information category of each value of the closed lists that describe a case.

A profile, a closing reason or a reporting source can be a judicial record (a detention, a PJJ
or SPIP follow-up, an incarceration) or a school or family matter: the reader receives the value
only if his organisation may receive that category (``acces.api.categories``). A value not
listed here falls under its field's category.
"""

from __future__ import annotations

from acces.enums import CategorieInformation as Cat
from cellules.dossiers.enums import MotifCloture, Profil, SourceSignalement

CATEGORIES_PROFILS: dict[str, str] = {
    Profil.EXPOSE_AUX_RISQUES: Cat.FAITS_SIGNALES,
    Profil.CONDUITES_PERTURBATRICES: Cat.FAITS_SIGNALES,
    Profil.DECROCHEUR_SCOLAIRE: Cat.SCOLARITE_FAMILLE,
    Profil.PRIMO_DELINQUANT: Cat.ANTECEDENTS_JUDICIAIRES,
    Profil.REITERANT: Cat.ANTECEDENTS_JUDICIAIRES,
    Profil.RECIDIVISTE: Cat.ANTECEDENTS_JUDICIAIRES,
    Profil.SORTANT_DE_DETENTION: Cat.ANTECEDENTS_JUDICIAIRES,
    Profil.SUIVI_PJJ: Cat.ANTECEDENTS_JUDICIAIRES,
}

CATEGORIES_MOTIFS_CLOTURE: dict[str, str] = {
    MotifCloture.OBJECTIFS_ATTEINTS: Cat.SUIVI,
    MotifCloture.RELAIS_DISPOSITIF: Cat.SUIVI,
    MotifCloture.DEMENAGEMENT: Cat.SUIVI,
    MotifCloture.REFUS_ADHESION: Cat.SUIVI,
    MotifCloture.INCARCERATION: Cat.ANTECEDENTS_JUDICIAIRES,
    MotifCloture.MAJORITE_LIMITE_AGE: Cat.SUIVI,
    MotifCloture.SANS_SUITE: Cat.SUIVI,
    MotifCloture.AUTRE: Cat.SUIVI,
}

# A report by the parquet, the PJJ or the SPIP tells that a judicial procedure or measure exists;
# one by the school or the social services tells of schooling or family.
CATEGORIES_SOURCES: dict[str, str] = {
    **dict.fromkeys(SourceSignalement.values, Cat.FAITS_SIGNALES),
    SourceSignalement.PARQUET: Cat.ANTECEDENTS_JUDICIAIRES,
    SourceSignalement.PJJ: Cat.ANTECEDENTS_JUDICIAIRES,
    SourceSignalement.SPIP: Cat.ANTECEDENTS_JUDICIAIRES,
    SourceSignalement.EDUCATION_NATIONALE: Cat.SCOLARITE_FAMILLE,
    SourceSignalement.SERVICES_SOCIAUX: Cat.SCOLARITE_FAMILLE,
}

# What a reader who may not receive a single value's category is shown instead: the list's
# ``autre``, which real cases carry too, so that it tells nothing (``acces.api.categories``).
REPLIS: dict[str, str] = {
    "source_signalement": SourceSignalement.AUTRE,
    "motif_cloture": MotifCloture.AUTRE,
}
