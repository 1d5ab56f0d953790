"""La fiche client d'une page (A4, en français) d'une comparaison de garanties, par fpdf2.

La police est DejaVu Sans, livrée avec matplotlib (``mpl-data/fonts/ttf``) : elle a les accents, le « € »
et les espaces insécables du format français. matplotlib n'est pas importé : on cherche seulement son dossier.
"""

from __future__ import annotations

import functools

import importlib.util
from datetime import date as Date
from pathlib import Path

from .erreurs import ErreurSaisie
from .montants import euros

MARGE = 15
LARGEUR = 210 - 2 * MARGE


def police(gras: bool = False) -> Path:
    """Le fichier TrueType de DejaVu Sans (ou DejaVu Sans Bold) livré avec matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ErreurSaisie("police", "matplotlib n'est pas installé : la police DejaVu Sans manque",
                           "installer le cours : pip install -e '.[notebooks]'")
    nom = "DejaVuSans-Bold.ttf" if gras else "DejaVuSans.ttf"
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf" / nom


def _date_longue(jour: Date) -> str:
    from babel.dates import format_date

    texte = format_date(jour, "d MMMM y", locale="fr_FR")
    return "1er" + texte[1:] if jour.day == 1 else texte


def ecrire_fiche(comparaison, chemin: Path) -> Path:
    """Écrit la fiche de ``comparaison`` (:class:`reimb.exemples.Comparaison`) dans ``chemin`` (.pdf)."""
    from fpdf import FPDF

    if chemin.suffix.lower() != ".pdf":
        raise ErreurSaisie("chemin", f"« {chemin.name} » n'est pas un fichier .pdf", "un chemin qui finit par .pdf")
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGE, MARGE, MARGE)
    pdf.set_auto_page_break(True, margin=MARGE)
    pdf.add_font("DejaVu", "", str(police()))
    pdf.add_font("DejaVu", "B", str(police(gras=True)))
    pdf.set_title("Comparaison de garanties santé : consultations")
    pdf.set_creator("reimb")
    pdf.add_page()

    texte = functools.partial(_texte, pdf)
    texte("Vos consultations : comparaison de garanties santé", 16, True, 8)
    texte(f"Montants calculés au {_date_longue(comparaison.date)}, avec les tarifs de la Sécurité sociale de ce jour-là.", 9.5)
    pdf.ln(2)
    texte("Votre année de consultations", 11.5, True, 6)
    texte(comparaison.description)
    pdf.ln(2)

    _tableaux(pdf, comparaison, texte)
    _totaux(pdf, comparaison, texte)
    _par_consultation(pdf, comparaison, texte)
    _a_savoir(pdf, comparaison, texte)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(chemin))
    return chemin


def _texte(pdf, t: str, taille: float = 9.5, gras: bool = False, h: float = 5):
    pdf.set_font("DejaVu", "B" if gras else "", taille)
    pdf.multi_cell(LARGEUR, h, t, align="L", new_x="LMARGIN", new_y="NEXT")


def _tableaux(pdf, comparaison, texte) -> None:
    """Ce que disent les tableaux de garanties (une ligne par contrat et ligne de tableau)."""
    if comparaison.lignes:
        texte("Ce que disent vos contrats (consultations)", 11.5, True, 6)
        pdf.set_font("DejaVu", "", 8)
        from fpdf.fonts import FontFace

        with pdf.table(col_widths=(30, 40, 55, 55), text_align="LEFT", line_height=4.5,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245))) as table:
            for t in (("Contrat", "Ligne du tableau", "Médecins adhérents OPTAM (et secteur 1)", "Médecins non adhérents"),):
                ligne = table.row()
                for x in t:
                    ligne.cell(x)
            for nom, lignes in comparaison.lignes:
                for libelle, adherents, autres in lignes:
                    ligne = table.row()
                    for x in (str(nom), libelle, adherents, autres):
                        ligne.cell(x)
        pdf.ln(2)


def _totaux(pdf, comparaison, texte) -> None:
    """Les totaux de l'année par contrat, le moins cher en gras."""
    texte("Sur l'année", 11.5, True, 6)
    tot = comparaison.totaux
    entetes = ("Contrat", "Dépense", "Sécurité sociale", "Complémentaire", "Reste à charge")
    largeurs = (56, 31, 31, 31, 31)
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_fill_color(230, 236, 245)
    for e, l in zip(entetes, largeurs):
        pdf.cell(l, 7, e, border=1, align="C" if e != "Contrat" else "L", fill=True)
    pdf.ln()
    meilleur = tot["reste_a_charge"].min()
    for nom, ligne in tot.iterrows():
        pdf.set_font("DejaVu", "B" if ligne["reste_a_charge"] == meilleur else "", 9)
        pdf.cell(largeurs[0], 7, str(nom)[:40], border=1)
        for k, l in zip(("depense", "amo", "amc", "reste_a_charge"), largeurs[1:]):
            pdf.cell(l, 7, euros(ligne[k]), border=1, align="R")
        pdf.ln()
    pdf.ln(1)
    texte("En gras : le contrat qui vous laisse le moins à payer sur cette année de consultations.", 8.5)
    pdf.ln(2)


def _par_consultation(pdf, comparaison, texte) -> None:
    """Le reste à charge de chaque consultation, contrat par contrat."""
    texte("Consultation par consultation : ce qui reste à votre charge", 11.5, True, 6)
    contrats = list(comparaison.totaux.index)
    l_acte = LARGEUR - 30 * len(contrats) if len(contrats) <= 4 else 60
    l_c = (LARGEUR - l_acte) / len(contrats)
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.cell(l_acte, 7, "Consultation (nombre dans l'année)", border=1, fill=True)
    for c in contrats:
        pdf.cell(l_c, 7, str(c)[:18], border=1, align="C", fill=True)
    pdf.ln()
    pa = comparaison.par_acte
    pdf.set_font("DejaVu", "", 8.5)
    for libelle in dict.fromkeys(pa["libelle"]):
        lignes = pa[pa["libelle"] == libelle]
        nombre = int(lignes["nombre"].iloc[0])
        etiquette = f"{libelle} (× {nombre})" if nombre > 1 else libelle
        pdf.cell(l_acte, 7, etiquette[:75], border=1)
        for c in contrats:
            v = lignes[lignes["contrat"] == c]["reste_a_charge"].iloc[0]
            pdf.cell(l_c, 7, euros(v), border=1, align="R")
        pdf.ln()
    pdf.ln(3)


def _a_savoir(pdf, comparaison, texte) -> None:
    """Les rappels (participation forfaitaire, formulations, non-adhérents) et l'avertissement."""
    from .parametres import parametre

    pf = parametre("participation_forfaitaire.montant", comparaison.date).valeur
    texte("À savoir", 11.5, True, 6)
    for t in (
        f"• La participation forfaitaire ({euros(pf)} par consultation d'un adulte) reste toujours à votre charge : "
        "un contrat responsable ne la rembourse pas.",
        "• « 200 % BR » comprend le remboursement de la Sécurité sociale ; « RO + 100 % BR » ajoute 100 % de la base "
        "au remboursement de la Sécurité sociale. Lisez toujours la formulation exacte du tableau.",
        "• Chez un médecin non adhérent à l'OPTAM, la base de remboursement est plus basse et un contrat responsable "
        "plafonne la prise en charge des dépassements.",
        "• Montants indicatifs, calculés pour les prix de consultation indiqués : votre remboursement réel dépend des "
        "honoraires facturés et des conditions de votre contrat.",
    ):
        texte(t, 8.5, h=4.5)
    pdf.ln(2)
    texte(f"Calculs au {_date_longue(comparaison.date)}, établis avec reimb à partir des tableaux de garanties fournis ; "
          "ce document ne remplace pas les conditions générales et particulières des contrats.", 7.5, h=4)
