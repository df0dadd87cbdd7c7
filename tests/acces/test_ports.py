"""The port of the access log (acces/ports.py): installed by audit, fail closed without it."""

from __future__ import annotations

import pytest

from acces import ports
from acces.evenements import ActionAcces, Raison
from audit import enums
from audit.journal import JournalAudit


def test_audit_installs_its_journal_at_start_up() -> None:
    assert isinstance(ports.actif(), JournalAudit)


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        (ports.consigner_evenement_securite, (Raison.CLE_DETRUITE,)),
        (ports.consigner_refus, (None, "acces.habilitation", None, Raison.VERIFICATION_REQUISE)),
        (ports.mettre_a_jour, (None,)),
        (ports.requete_courante, ()),
    ],
)
def test_every_operation_raises_when_nothing_is_installed(
    monkeypatch: pytest.MonkeyPatch, operation: object, arguments: tuple[object, ...]
) -> None:
    # A security event is never silently dropped, not even the "is there a request?" question.
    monkeypatch.setattr(ports, "_installe", None)
    with pytest.raises(ports.JournalNonInstalle):
        operation(*arguments)  # type: ignore[operator]


def test_audit_enums_re_exports_the_codes_of_acces() -> None:
    assert enums.Raison is Raison
    assert enums.ActionAcces is ActionAcces
