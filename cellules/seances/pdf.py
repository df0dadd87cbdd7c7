"""PDF of a relevé de décisions, watermarked on every page with the reader and the time.

Built from the serialised relevé, so it carries exactly the categories the reader may receive.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cellules.seances.enums import StatutSeance


def _filigrane(texte: str) -> Any:
    def dessiner(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.35))
        canvas.setFont("Helvetica", 14)
        largeur, hauteur = A4
        canvas.translate(largeur / 2, hauteur / 2)
        canvas.rotate(45)
        for decalage in (-8 * cm, 0, 8 * cm):
            canvas.drawCentredString(0, decalage, texte)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(1.5 * cm, 1 * cm, f"Confidentiel (art. L132-5 CSI) — {texte}")
        canvas.drawRightString(largeur - 1.5 * cm, 1 * cm, f"page {document.page}")
        canvas.restoreState()

    return dessiner


def _ligne(decision: Mapping[str, Any]) -> str:
    morceaux = [f"Situation {decision['situation']}"]
    identite = " ".join(str(decision[c]) for c in ("prenom", "nom") if decision.get(c))
    if identite:
        morceaux.append(identite)
    if decision.get("date_naissance"):
        morceaux.append(f"né(e) le {decision['date_naissance']}")
    if decision.get("type_libelle"):
        morceaux.append(f"décision : {decision['type_libelle']}")
    texte = " — ".join(escape(m) for m in morceaux)
    if decision.get("note"):
        texte += f"<br/>Note : {escape(str(decision['note']))}"
    return texte


def releve(
    seance: Mapping[str, Any],
    presences: Sequence[Mapping[str, Any]],
    decisions: Sequence[Mapping[str, Any]],
    *,
    lecteur: str,
    horodatage: str,
) -> bytes:
    styles = getSampleStyleSheet()
    tampon = io.BytesIO()
    document = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        title="Relevé de décisions",
        author="",
        subject="",
        creator="",
        pageCompression=0,
    )
    statut = StatutSeance(seance["statut"]).label
    contenu: list[Any] = [
        Paragraph("Relevé de décisions", styles["Title"]),
        Paragraph(escape(f"Séance {seance['id']} — cellule {seance['cellule']}"), styles["Normal"]),
        Paragraph(escape(f"Du {seance['debut']} au {seance['fin']} ({statut})"), styles["Normal"]),
        Spacer(1, 0.5 * cm),
        Paragraph("Présences par institution", styles["Heading2"]),
    ]
    for presence in presences:
        etat = "présente" if presence["present"] else "absente"
        contenu.append(Paragraph(escape(f"{presence['organisation']} : {etat}"), styles["Normal"]))
    contenu.append(Paragraph("Décisions", styles["Heading2"]))
    if not decisions:
        contenu.append(Paragraph("Aucune décision lisible.", styles["Normal"]))
    for decision in decisions:
        contenu.append(Paragraph(_ligne(decision), styles["Normal"]))
        contenu.append(Spacer(1, 0.2 * cm))
    filigrane = _filigrane(f"{lecteur} — {horodatage}")
    document.build(contenu, onFirstPage=filigrane, onLaterPages=filigrane)
    return tampon.getvalue()
