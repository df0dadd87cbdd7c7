"""A software WebAuthn authenticator for the tests: one EC P-256 credential, "none" attestation.

It builds what a browser and a security key return, as ``PublicKeyCredential.toJSON()`` does:
authenticatorData (rpIdHash, flags UP|UV[|AT], signCount, attested credential data with a COSE
key), clientDataJSON (type, challenge, origin) and an ES256 signature over
``authenticatorData || SHA-256(clientDataJSON)``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from acces.auth.models import CleSecurite
from acces.models import Utilisateur

RP_ID = "localhost"
ORIGINE = "http://localhost:8000"
UP, UV, AT = 0x01, 0x04, 0x40


def b64(valeur: bytes) -> str:
    return bytes_to_base64url(valeur)


class AuthentificateurLogiciel:
    def __init__(self, *, compteur: int = 0) -> None:
        self.cle_privee = ec.generate_private_key(ec.SECP256R1())
        self.identifiant = secrets.token_bytes(32)
        self.compteur = compteur
        self.aaguid = bytes(16)

    def cle_cose(self) -> bytes:
        nombres = self.cle_privee.public_key().public_numbers()
        # kty EC2, alg ES256, crv P-256, x, y
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: nombres.x.to_bytes(32, "big"),
                -3: nombres.y.to_bytes(32, "big"),
            }
        )

    def donnees_authentificateur(self, rp_id: str, drapeaux: int, attestee: bool) -> bytes:
        donnees = hashlib.sha256(rp_id.encode()).digest()
        donnees += bytes([drapeaux]) + struct.pack(">I", self.compteur)
        if attestee:
            donnees += self.aaguid + struct.pack(">H", len(self.identifiant)) + self.identifiant
            donnees += self.cle_cose()
        return donnees

    @staticmethod
    def donnees_client(type_: str, defi: str, origine: str) -> bytes:
        return json.dumps(
            {"type": type_, "challenge": defi, "origin": origine, "crossOrigin": False}
        ).encode()

    def creer(
        self,
        options: dict[str, Any],
        *,
        origine: str = ORIGINE,
        rp_id: str | None = None,
        drapeaux: int = UP | UV | AT,
    ) -> dict[str, Any]:
        """Answer ``navigator.credentials.create()`` options (the ``publicKey`` member)."""
        client = self.donnees_client("webauthn.create", options["challenge"], origine)
        donnees = self.donnees_authentificateur(rp_id or options["rp"]["id"], drapeaux, True)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": donnees})
        return {
            "id": b64(self.identifiant),
            "rawId": b64(self.identifiant),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client),
                "attestationObject": b64(attestation),
                "transports": ["usb", "nfc"],
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
        }

    def signer(
        self,
        options: dict[str, Any],
        *,
        origine: str = ORIGINE,
        rp_id: str | None = None,
        drapeaux: int = UP | UV,
        avancer: int = 1,
    ) -> dict[str, Any]:
        """Answer ``navigator.credentials.get()`` options; the counter moves by ``avancer``."""
        self.compteur += avancer
        client = self.donnees_client("webauthn.get", options["challenge"], origine)
        donnees = self.donnees_authentificateur(rp_id or options["rpId"], drapeaux, False)
        signature = self.cle_privee.sign(
            donnees + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(self.identifiant),
            "rawId": b64(self.identifiant),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client),
                "authenticatorData": b64(donnees),
                "signature": b64(signature),
                "userHandle": None,
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
        }


def cle_enregistree(
    utilisateur: Utilisateur, authentificateur: AuthentificateurLogiciel | None = None
) -> CleSecurite:
    """A key stored directly (no ceremony), for tests that only need one to exist."""
    authentificateur = authentificateur or AuthentificateurLogiciel()
    return CleSecurite.objects.create(
        user=utilisateur,
        name="clé de test",
        identifiant=authentificateur.identifiant,
        cle_publique=authentificateur.cle_cose(),
        compteur=authentificateur.compteur,
        transports=["usb"],
    )
