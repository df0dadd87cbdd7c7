"""Deployment: the compose stack refers to real code, the image is locked, production fails closed.

Docker is not needed: the files are parsed, and production settings are exercised in
subprocesses with dummy but well-formed secrets (checklist H1, H6, C2).
"""

from __future__ import annotations

import ast
import base64
import importlib
import os
import re
import secrets
import shlex
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery
from django.core.exceptions import ImproperlyConfigured

from config import env

RACINE = Path(__file__).resolve().parent.parent
SERVICES_APPLICATION = {"web", "worker", "beat"}
# One-shot jobs: they run to completion, so they have no healthcheck.
SERVICES_PONCTUELS = {"migrate"}
REQUIS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CHIFFREMENT_CLES_MAITRES",
    "WEBAUTHN_RP_ID",
]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((RACINE / "docker-compose.yml").read_text())
    return data


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    texte = (RACINE / "Dockerfile").read_text().replace("\\\n", " ")
    return [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]


def jetons(commande: str | list[str]) -> list[str]:
    """Command words, including those of an ``sh -c`` script."""
    mots = shlex.split(commande) if isinstance(commande, str) else list(commande)
    if mots[:2] == ["sh", "-c"]:
        return shlex.split(mots[2])
    return mots


def module_existe(module: str) -> bool:
    chemin = RACINE.joinpath(*module.split("."))
    return chemin.with_suffix(".py").is_file() or (chemin / "__init__.py").is_file()


# --- docker-compose.yml ---------------------------------------------------------------------


def test_compose_describes_the_production_stack(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "redis", *SERVICES_APPLICATION, *SERVICES_PONCTUELS}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_H6_only_web_publishes_a_port_and_on_the_loopback(compose: dict[str, Any]) -> None:
    publies = {nom: s["ports"] for nom, s in compose["services"].items() if s.get("ports")}
    assert set(publies) == {"web"}
    assert all(str(port).startswith("127.0.0.1:") for port in publies["web"])
    for nom, service in compose["services"].items():
        assert "expose" not in service, nom
        assert service.get("network_mode") != "host", nom


def test_H6_database_and_broker_sit_on_an_internal_network(compose: dict[str, Any]) -> None:
    reseaux = compose["networks"]
    for nom in ("db", "redis"):
        noms = compose["services"][nom]["networks"]
        assert noms == ["interne"], nom
    assert reseaux["interne"]["internal"] is True


def test_every_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for nom, service in compose["services"].items():
        if nom in SERVICES_PONCTUELS:
            assert service["restart"] == "no", nom
            continue
        controle = service.get("healthcheck")
        assert controle, nom
        assert not controle.get("disable"), nom
        assert controle["test"][0] in {"CMD", "CMD-SHELL"}, nom


def test_commands_refer_to_existing_code(compose: dict[str, Any]) -> None:
    services = compose["services"]
    web = jetons(services["web"]["command"])
    assert web[0] == "gunicorn" and web[1] == "config.wsgi:application"
    module, _, attribut = "config.wsgi:application".partition(":")
    assert module_existe(module)
    # Parsed, not imported: importing would set Django up a second time.
    arbre = ast.parse(RACINE.joinpath(*module.split(".")).with_suffix(".py").read_text())
    assert attribut in {
        cible.id
        for noeud in arbre.body
        if isinstance(noeud, ast.Assign)
        for cible in noeud.targets
        if isinstance(cible, ast.Name)
    }

    for nom, sous_commande in (("worker", "worker"), ("beat", "beat")):
        mots = jetons(services[nom]["command"])
        assert mots[:4] == ["celery", "-A", "config", sous_commande], nom
    worker_sante = jetons(services["worker"]["healthcheck"]["test"][1])
    assert worker_sante[:4] == ["celery", "-A", "config", "inspect"]
    assert (RACINE / "config" / "celery.py").is_file()
    assert isinstance(importlib.import_module("config").celery_app, Celery)


def test_D4_migrations_run_as_owner_and_the_services_as_the_application_role(
    compose: dict[str, Any],
) -> None:
    """The schema owner migrates and grants; web, worker and beat use the owner-less role."""
    services = compose["services"]
    migrate = services["migrate"]
    mots = jetons(migrate["command"])
    assert mots[:4] == ["python", "manage.py", "migrate", "--noinput"]
    suite = mots[mots.index("&&") + 1 :]
    assert suite[:3] == ["python", "manage.py", "accorder_droits"]
    assert (RACINE / "audit" / "management" / "commands" / "accorder_droits.py").is_file()
    assert migrate["environment"]["DATABASE_URL"].startswith("${DATABASE_URL_PROPRIETAIRE:?")
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    for nom in SERVICES_APPLICATION:
        assert "DATABASE_URL" not in services[nom]["environment"], nom
    init = "./deploiement/postgres/initdb:/docker-entrypoint-initdb.d:ro"
    assert init in services["db"]["volumes"]
    script = RACINE / "deploiement" / "postgres" / "initdb" / "10-role-application.sh"
    texte = script.read_text()
    assert "NOSUPERUSER" in texte and "POSTGRES_APP_PASSWORD" in texte
    assert os.access(script, os.X_OK)
    exemple = (RACINE / ".env.example").read_text()
    assert re.search(r"^DATABASE_URL=postgres://suivi_app:", exemple, re.M)
    assert re.search(r"^DATABASE_URL_PROPRIETAIRE=postgres://suivi:", exemple, re.M)


def test_application_services_share_settings_secrets_and_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for nom in SERVICES_APPLICATION | SERVICES_PONCTUELS:
        service = services[nom]
        assert service["env_file"] == ".env", nom
        module = service["environment"]["DJANGO_SETTINGS_MODULE"]
        assert module == "config.settings.production"
        assert module_existe(module)
    nommes = {
        volume.split(":", 1)[0]
        for service in services.values()
        for volume in service.get("volumes", [])
        if not volume.startswith(("/", "."))
    }
    assert nommes == set(compose["volumes"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])


def test_H6_no_secret_value_written_in_compose(compose: dict[str, Any]) -> None:
    for nom in ("db", "redis"):
        for cle, valeur in compose["services"][nom].get("environment", {}).items():
            if "PASSWORD" in cle:
                assert str(valeur).startswith("${") and ":?" in str(valeur), (nom, cle)
    texte = (RACINE / "docker-compose.yml").read_text()
    assert not re.search(r"://[^\s:@/]*:[^\s@$]+@", texte)


# --- Dockerfile -----------------------------------------------------------------------------


def test_dockerfile_installs_the_lock_with_hashes(dockerfile: list[str]) -> None:
    installations = [ligne for ligne in dockerfile if "pip install" in ligne]
    assert installations
    for ligne in installations:
        assert "--require-hashes" in ligne
        assert "-r requirements/base.txt" in ligne
    assert (RACINE / "requirements" / "base.txt").is_file()
    assert "--hash=sha256:" in (RACINE / "requirements" / "base.txt").read_text()
    assert dockerfile[0].startswith("#") or dockerfile[0].startswith("FROM python:3.11")
    assert any(ligne.startswith("FROM python:3.11") for ligne in dockerfile)


def test_dockerfile_runs_as_non_root_and_copies_existing_code_only(dockerfile: list[str]) -> None:
    utilisateurs = [i for i, ligne in enumerate(dockerfile) if ligne.startswith("USER ")]
    assert utilisateurs
    dernier = dockerfile[utilisateurs[-1]].split()[1].split(":")[0]
    assert dernier not in {"root", "0"}
    assert all(not ligne.startswith("RUN ") for ligne in dockerfile[utilisateurs[-1] :]), (
        "RUN after USER"
    )
    for ligne in dockerfile:
        if ligne.startswith("COPY "):
            sources = [mot for mot in ligne.split()[1:-1] if not mot.startswith("--")]
            for source in sources:
                assert (RACINE / source).exists(), source
                assert not source.startswith((".env", "var", "tests"))
    assert any("config.wsgi:application" in ligne for ligne in dockerfile)


# --- .env.example ---------------------------------------------------------------------------


def test_env_example_lists_every_variable_production_reads() -> None:
    lues = set()
    for fichier in ("base.py", "production.py"):
        texte = (RACINE / "config" / "settings" / fichier).read_text()
        lues |= set(re.findall(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", texte))
    compose_texte = (RACINE / "docker-compose.yml").read_text()
    lues |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose_texte))
    exemple = (RACINE / ".env.example").read_text()
    definies = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", exemple, flags=re.MULTILINE))
    assert set(REQUIS) <= lues
    assert lues - definies == set()
    assert "_FILE" in exemple


# --- production settings --------------------------------------------------------------------


def cle() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture
def env_production(tmp_path: Path) -> dict[str, str]:
    """A clean environment with dummy, well-formed production secrets."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_", "SECRET_", "CHIFFREMENT_"))
        and k not in {"INDEX_AVEUGLE_CLE", "AUDIT_CHAINE_CLE", "ALLOWED_HOSTS", "PYTEST_ADDOPTS"}
    }
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DATABASE_URL": f"postgres://suivi:{secrets.token_hex(12)}@db:5432/suivi",
        "CELERY_BROKER_URL": f"redis://:{secrets.token_hex(12)}@redis:6379/0",
        "CHIFFREMENT_CLES_MAITRES": f"1:{cle()}",
        "INDEX_AVEUGLE_CLE": cle(),
        "AUDIT_CHAINE_CLE": cle(),
        "ALLOWED_HOSTS": "suivi.example.fr",
        "WEBAUTHN_RP_ID": "suivi.example.fr",
        "VAR_DIR": str(tmp_path / "var"),
        "AUDIT_POINTS_DE_CONTROLE_DIR": str(tmp_path / "audit"),
    }


def lancer(environnement: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def secrets_de(environnement: dict[str, str]) -> list[str]:
    noms = ("SECRET_KEY", "INDEX_AVEUGLE_CLE", "AUDIT_CHAINE_CLE")
    valeurs = [environnement[nom] for nom in noms]
    valeurs.append(environnement["CHIFFREMENT_CLES_MAITRES"].split(":", 1)[1])
    for nom in ("DATABASE_URL", "CELERY_BROKER_URL"):
        valeurs.append(environnement[nom].split("://", 1)[1].split("@")[0].split(":")[1])
    return valeurs


def test_H1_check_deploy_passes_with_production_settings(env_production: dict[str, str]) -> None:
    resultat = lancer(env_production, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    sortie = resultat.stdout + resultat.stderr
    assert resultat.returncode == 0, sortie
    for secret in secrets_de(env_production):
        assert secret not in sortie


@pytest.mark.parametrize("nom", REQUIS)
def test_C2_production_refuses_to_start_without(env_production: dict[str, str], nom: str) -> None:
    environnement = {k: v for k, v in env_production.items() if k != nom}
    resultat = lancer(environnement, "manage.py", "check")
    sortie = resultat.stdout + resultat.stderr
    assert resultat.returncode != 0
    assert "ImproperlyConfigured" in sortie
    assert f"Variable d'environnement requise : {nom}" in sortie
    for secret in secrets_de(env_production):
        assert secret not in sortie


@pytest.mark.parametrize(
    ("nom", "valeur", "message"),
    [
        ("SECRET_KEY", "courte", "SECRET_KEY trop faible"),
        ("DATABASE_URL", "sqlite:////tmp/base.sqlite3", "PostgreSQL"),
        ("DATABASE_URL", "inconnu://suivi:motdepasse-secret@db/suivi", "inconnu"),
        ("CELERY_BROKER_URL", "memory://", "Redis"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS"),
        ("WEBAUTHN_ORIGINES", "http://suivi.example.fr", "HTTPS"),
        ("SUIVI_URL_PUBLIQUE", "http://suivi.example.fr", "SUIVI_URL_PUBLIQUE : adresse HTTPS"),
    ],
)
def test_C2_production_refuses_unsafe_values(
    env_production: dict[str, str], nom: str, valeur: str, message: str
) -> None:
    resultat = lancer({**env_production, nom: valeur}, "manage.py", "check")
    sortie = resultat.stdout + resultat.stderr
    assert resultat.returncode != 0
    assert message in sortie
    assert "motdepasse-secret" not in sortie


def test_H6_secret_read_from_a_NAME_FILE(env_production: dict[str, str], tmp_path: Path) -> None:
    cle_secrete = env_production.pop("SECRET_KEY")
    fichier = tmp_path / "secret_key"
    fichier.write_text(cle_secrete + "\n")
    fichier.chmod(0o600)
    env_production["SECRET_KEY_FILE"] = str(fichier)
    code = (
        "import django, hashlib; django.setup(); from django.conf import settings; "
        "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())"
    )
    resultat = lancer(env_production, "-c", code)
    assert resultat.returncode == 0, resultat.stderr
    import hashlib

    assert resultat.stdout.strip() == hashlib.sha256(cle_secrete.encode()).hexdigest()


def test_env_file_variant_wins_and_empty_counts_as_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fichier = tmp_path / "valeur"
    fichier.write_text("depuis-le-fichier\n")
    monkeypatch.setenv("ESSAI_SECRET", "depuis-la-variable")
    monkeypatch.setenv("ESSAI_SECRET_FILE", str(fichier))
    assert env.env_str("ESSAI_SECRET") == "depuis-le-fichier"

    fichier.write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="requise : ESSAI_SECRET"):
        env.env_str("ESSAI_SECRET")


def test_env_unreadable_secret_file_names_the_variable_not_the_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fichier = tmp_path / "binaire"
    fichier.write_bytes(b"\xff\xfesecret-binaire")
    monkeypatch.setenv("ESSAI_SECRET_FILE", str(fichier))
    with pytest.raises(ImproperlyConfigured) as erreur:
        env.env_str("ESSAI_SECRET")
    assert str(erreur.value) == "ESSAI_SECRET_FILE illisible"
    assert erreur.value.__cause__ is None
    assert erreur.value.__suppress_context__

    monkeypatch.setenv("ESSAI_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="ESSAI_SECRET_FILE illisible"):
        env.env_str("ESSAI_SECRET")
