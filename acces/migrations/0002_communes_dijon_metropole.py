"""The 23 communes of Dijon Métropole with their QPV and neighbourhoods under watch.

Source: the project's copy of the reference file (acces/data/communes-dijon-metropole.csv).
Official QPV codes are not known here and are left empty.
"""

from decimal import Decimal

from django.db import migrations

# code_insee, nom, code_postal, population, latitude, longitude, QPV, quartiers de veille
COMMUNES = [
    (
        "21231",
        "Dijon",
        "21000",
        161830,
        "47.3229",
        "5.0375",
        ("Les Grésilles", "Fontaine d'Ouche"),
        (),
    ),
    ("21166", "Chenôve", "21300", 14244, "47.2926", "5.0049", ("Le Mail",), ()),
    ("21617", "Talant", "21240", 11896, "47.3391", "4.9975", ("Le Belvédère",), ()),
    ("21171", "Chevigny-Saint-Sauveur", "21800", 11108, "47.2999", "5.1366", (), ()),
    ("21278", "Fontaine-lès-Dijon", "21121", 9252, "47.3474", "5.0246", (), ()),
    (
        "21515",
        "Quetigny",
        "21800",
        8971,
        "47.3194",
        "5.1151",
        ("Quetigny-centre",),
        ("Centre-ville",),
    ),
    ("21355", "Longvic", "21600", 8896, "47.2857", "5.0529", ("Le Bief du Moulin",), ("Guynemer",)),
    ("21540", "Saint-Apollinaire", "21850", 7544, "47.3360", "5.0931", (), ()),
    ("21390", "Marsannay-la-Côte", "21160", 5433, "47.2792", "4.9845", (), ()),
    ("21452", "Neuilly-Crimolois", "21800", 3588, "47.2735", "5.1127", (), ()),
    ("21485", "Plombières-lès-Dijon", "21370", 2497, "47.3384", "4.9510", (), ()),
    ("21481", "Perrigny-lès-Dijon", "21160", 2385, "47.2579", "5.0198", (), ()),
    ("21605", "Sennecey-lès-Dijon", "21800", 2151, "47.2922", "5.1046", (), ()),
    ("21003", "Ahuy", "21121", 1718, "47.3711", "5.0205", (), ()),
    ("21263", "Fénay", "21600", 1708, "47.2449", "5.0544", (), ()),
    ("21223", "Daix", "21121", 1515, "47.3604", "4.9691", (), ()),
    ("21473", "Ouges", "21600", 1402, "47.2608", "5.0782", (), ()),
    ("21315", "Hauteville-lès-Dijon", "21121", 1195, "47.3757", "4.9806", (), ()),
    ("21105", "Bressey-sur-Tille", "21560", 1096, "47.3087", "5.1839", (), ()),
    ("21106", "Bretenière", "21110", 959, "47.2362", "5.1038", (), ()),
    ("21370", "Magny-sur-Tille", "21110", 874, "47.2745", "5.1724", (), ()),
    ("21192", "Corcelles-les-Monts", "21160", 684, "47.3039", "4.9420", (), ()),
    ("21270", "Flavignerot", "21160", 232, "47.2774", "4.9189", (), ()),
]


def charger(apps, schema_editor):
    Commune = apps.get_model("acces", "Commune")
    Quartier = apps.get_model("acces", "Quartier")
    for code, nom, cp, population, lat, lon, qpv, veille in COMMUNES:
        commune, _ = Commune.objects.update_or_create(
            code_insee=code,
            defaults={
                "nom": nom,
                "code_postal": cp,
                "population": population,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        for type_, noms in (("qpv", qpv), ("veille", veille)):
            for nom_quartier in noms:
                Quartier.objects.get_or_create(commune=commune, nom=nom_quartier, type=type_)


class Migration(migrations.Migration):
    dependencies = [("acces", "0001_initial")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
