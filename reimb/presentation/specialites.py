"""Les bases de remboursement des spécialités, côte à côte à plusieurs dates (le tableau « 2026 » du cours).

Tout est lu par ``reimb.brss`` dans la table des tarifs : une base que nos sources n'établissent pas est
écrite « hors des sources du cours », jamais devinée.
"""

from __future__ import annotations

from datetime import date
from html import escape

from ..erreurs import ErreurSaisie
from ..modele import Medecin
from ..tarifs import brss
from .format import date_courte, euros
from .tableaux import Affichage

#: (libellé, acte, spécialité, âge du patient) : une ligne du tableau.
LIGNES = (
    ("Généraliste (médecin traitant)", "consultation", "generaliste", 40),
    ("Généraliste, enfant de moins de 6 ans", "consultation", "generaliste", 3),
    ("Consultation longue du médecin traitant (80 ans et plus)", "consultation_longue", "generaliste", 85),
    ("Spécialiste correspondant (autres spécialités)", "consultation", "specialiste", 40),
    ("Avis ponctuel de consultant (APC)", "apc", "specialiste", 40),
    ("Gynécologue", "consultation", "gynecologue", 40),
    ("Gériatre", "consultation", "geriatre", 80),
    ("Pédiatre, enfant de moins de 2 ans", "consultation", "pediatre", 1),
    ("Pédiatre, enfant de 2 à 6 ans", "consultation", "pediatre", 4),
    ("Pédiatre, enfant de 6 ans et plus", "consultation", "pediatre", 8),
    ("Psychiatre ou neurologue", "consultation", "psychiatre", 40),
    ("Psychiatre, patient de moins de 25 ans", "consultation", "psychiatre", 20),
)


def _base(acte: str, specialite: str, age: int, jour: date):
    """La base, ou le texte à afficher quand la table n'en donne pas."""
    try:
        return brss(acte, Medecin(secteur=1, specialite=specialite), jour, age=age).valeur
    except ErreurSaisie as e:
        return "n'existe pas encore" if "n'existe pas" in e.message else "hors des sources du cours"


def bases_par_specialite(*jours: date) -> Affichage:
    """La base d'un médecin de secteur 1 (ou adhérent OPTAM) dans le parcours, par spécialité, à chaque date.

    >>> t = bases_par_specialite(date(2025, 12, 10), date(2026, 1, 1))
    >>> t.donnees["Psychiatre ou neurologue"]
    [Decimal('55.00'), Decimal('57.00')]
    """
    donnees = {libelle: [_base(acte, spe, age, j) for j in jours] for libelle, acte, spe, age in LIGNES}
    entete = "".join(f"<th style='text-align:right'>{escape(date_courte(j))}</th>" for j in jours)
    lignes_html, lignes_txt = [], []
    for libelle, valeurs in donnees.items():
        cellules = [v if isinstance(v, str) else euros(v) for v in valeurs]
        lignes_html.append(f"<tr><td style='text-align:left'>{escape(libelle)}</td>"
                           + "".join(f"<td style='text-align:right'>{escape(c)}</td>" for c in cellules) + "</tr>")
        lignes_txt.append(f"{libelle} : " + " | ".join(cellules))
    html = ("<table class='reimb-bases-specialites'><thead><tr><th style='text-align:left'>Consultation "
            "(secteur 1 ou adhérent OPTAM, dans le parcours)</th>" + entete + "</tr></thead><tbody>"
            + "".join(lignes_html) + "</tbody></table>")
    return Affichage(html, "\n".join(lignes_txt), donnees)
