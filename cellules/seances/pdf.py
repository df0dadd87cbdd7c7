"""PDF of a relevé de décisions, watermarked on every page with the reader and the time.

Built from the serialised relevé, so it carries exactly the categories the reader may receive.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cellules.seances import formats


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


def _p(texte: str, style: Any) -> Paragraph:
    return Paragraph(escape(texte), style)


def _identite(element: Mapping[str, Any], rangs: Mapping[str, int]) -> str:
    """The person's name and birth date when the reader may see them; otherwise the case's
    point on the agenda (never its id)."""
    identite = " ".join(str(element[c]) for c in ("prenom", "nom") if element.get(c))
    if element.get("date_naissance"):
        naissance = formats.jour(dt.date.fromisoformat(str(element["date_naissance"])))
        identite = f"{identite}, né(e) le {naissance.split(' ', 1)[1]}".strip(", ")
    if identite:
        return identite
    rang = rangs.get(str(element["situation"]))
    return "Situation hors de l'ordre du jour" if rang is None else f"Situation du point {rang}"


def _ligne(decision: Mapping[str, Any], rangs: Mapping[str, int] | None = None) -> str:
    morceaux = [] if rangs is None else [_identite(decision, rangs)]
    if decision.get("type_libelle"):
        morceaux.append(f"décision : {decision['type_libelle']}")
    if decision.get("organisation_nom"):
        morceaux.append(f"responsable : {decision['organisation_nom']}")
    if decision.get("echeance_libelle"):
        morceaux.append(f"échéance : {decision['echeance_libelle']}")
    if decision.get("realisee"):
        morceaux.append("réalisée")
    texte = " — ".join(escape(m) for m in morceaux)
    if decision.get("note"):
        texte += f"<br/>Note : {escape(str(decision['note']))}"
    return texte


def _orientation(orientation: Mapping[str, Any], rangs: Mapping[str, int]) -> str:
    morceaux = [_identite(orientation, rangs)]
    for cle, prefixe in (
        ("type_libelle", "orientation "),
        ("mesure_libelle", ""),
        ("organisation_nom", "responsable : "),
        ("echeance_libelle", "échéance : "),
    ):
        if orientation.get(cle):
            morceaux.append(f"{prefixe}{orientation[cle]}")
    return " — ".join(escape(m) for m in morceaux)


def releve(corps: Mapping[str, Any], *, lecteur: str, horodatage: str) -> bytes:
    """The relevé (the serialised body of the JSON route) as a PDF."""
    rangs = {str(p["situation"]): int(p["rang"]) for p in corps["seance"]["ordre_du_jour"]}
    styles = getSampleStyleSheet()
    normal, titre2 = styles["Normal"], styles["Heading2"]
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
    contenu: list[Any] = [
        Paragraph("Relevé de décisions", styles["Title"]),
        _p(f"Cellule : {corps['cellule']['nom']}", normal),
        _p(f"Séance du {corps['date']} ({corps['horaires']}) — {corps['statut']}", normal),
        _p(f"Lieu : {corps['lieu'] or 'non précisé'}", normal),
        Spacer(1, 0.5 * cm),
        Paragraph("Présences", titre2),
    ]
    if not corps["presences"]:
        contenu.append(_p("Présences non enregistrées.", normal))
    for presence in corps["presences"]:
        ligne = f"{presence['organisation_nom']} : {presence['etat_libelle']}"
        if presence["participants"]:
            ligne += f" — {', '.join(presence['participants'])}"
        contenu.append(_p(ligne, normal))
    contenu.append(Paragraph("Décisions par situation", titre2))
    if not corps["decisions"]:
        contenu.append(_p("Aucune décision lisible.", normal))
    par_situation: dict[str, list[Mapping[str, Any]]] = {}
    for decision in corps["decisions"]:
        par_situation.setdefault(str(decision["situation"]), []).append(decision)
    for decisions in par_situation.values():
        contenu.append(Paragraph(f"<b>{escape(_identite(decisions[0], rangs))}</b>", normal))
        for decision in decisions:
            contenu.append(Paragraph("• " + _ligne(decision), normal))
        contenu.append(Spacer(1, 0.2 * cm))
    contenu.append(Paragraph("Orientations décidées", titre2))
    if not corps["orientations"]:
        contenu.append(_p("Aucune orientation lisible.", normal))
    for orientation in corps["orientations"]:
        contenu.append(Paragraph(_orientation(orientation, rangs), normal))
    if corps["decisions_echues"]:
        contenu.append(Paragraph("Décisions échues des séances précédentes", titre2))
        for decision in corps["decisions_echues"]:
            contenu.append(Paragraph(_ligne(decision, rangs), normal))
    filigrane = _filigrane(f"{lecteur} — {horodatage}")
    document.build(contenu, onFirstPage=filigrane, onLaterPages=filigrane)
    return tampon.getvalue()
