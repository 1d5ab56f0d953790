"""Les documents PDF du kit du formateur (fiche mémo, attestation) : une page A4 en français, avec fpdf2.

La police est DejaVu Sans, livrée avec matplotlib (``matplotlib/mpl-data/fonts/ttf/``) : elle a les
accents, le signe € et les espaces insécables. fpdf2 n'est importé qu'à l'usage.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

POLICE = "DejaVu"


def dossier_polices() -> Path:
    """Le dossier des polices TTF de matplotlib, trouvé sans importer matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib n'est pas installé : la police DejaVu Sans des PDF vient de matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def document(titre: str, auteur: str = "reimb"):
    """Un PDF A4 (marges de 15 mm) avec DejaVu Sans en romain, gras et italique."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    polices = dossier_polices()
    pdf.add_font(POLICE, "", str(polices / "DejaVuSans.ttf"))
    pdf.add_font(POLICE, "B", str(polices / "DejaVuSans-Bold.ttf"))
    pdf.add_font(POLICE, "I", str(polices / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(titre)
    pdf.set_author(auteur)
    pdf.set_lang("fr-FR")
    pdf.add_page()
    return pdf


def titre(pdf, texte: str, taille: float = 16) -> None:
    pdf.set_font(POLICE, "B", taille)
    pdf.multi_cell(0, taille * 0.5, texte, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def intertitre(pdf, texte: str, taille: float = 11) -> None:
    pdf.ln(1.5)
    pdf.set_font(POLICE, "B", taille)
    pdf.multi_cell(0, taille * 0.5, texte, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(0.5)


def paragraphe(pdf, texte: str, taille: float = 9, style: str = "") -> None:
    pdf.set_font(POLICE, style, taille)
    pdf.multi_cell(0, taille * 0.48, texte, align="L", new_x="LMARGIN", new_y="NEXT")


def tableau(pdf, lignes: list[tuple[str, ...]], largeurs: tuple[float, ...], taille: float = 8.5, entete: bool = True) -> None:
    """Un tableau simple ; la première ligne est l'en-tête (en gras) si ``entete``."""
    pdf.set_font(POLICE, "", taille)
    with pdf.table(col_widths=largeurs, text_align="LEFT", line_height=taille * 0.5, first_row_as_headings=entete,
                   headings_style=_style_entete()) as t:
        for ligne in lignes:
            rangee = t.row()
            for cellule in ligne:
                rangee.cell(cellule)


def _style_entete():
    from fpdf.fonts import FontFace

    return FontFace(family=POLICE, emphasis="BOLD", fill_color=(230, 236, 242))


def enregistrer(pdf, chemin) -> Path:
    chemin = Path(chemin)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(chemin))
    return chemin
