"""La commande du formateur : rassembler un dossier de résultats d'évaluation en un seul tableau (CSV ou XLSX).

    .venv/bin/python -m reimb.presentation.resultats resultats/ --sortie resultats.xlsx
    .venv/bin/python -m reimb.presentation.resultats resultats/ --sortie resultats.csv

Une ligne par relevé (``<date>_<nom>.json`` écrit par l'évaluation) : nom, date, score, durée, puis une
colonne par compétence (« 1/1 », « 0/1 »), puis l'erreur habituelle relevée à chaque question. Un fichier
illisible est signalé et sauté, pas la commande entière. Le CSV est à la française (séparateur « ; »,
virgule décimale, UTF-8 avec BOM pour Excel).
"""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import Decimal
from pathlib import Path

from ..erreurs import ErreurSaisie
from ..evaluation import COMPETENCES, ERREURS_COURTES, FORMAT, Releve, charger
from .format import date_courte

COLONNES_FIXES = ("Nom", "Date", "Score (/100)", "Durée (min)", "Questions justes", "Questions")


def lire_dossier(dossier) -> tuple[list[Releve], list[str]]:
    """Les relevés d'un dossier (triés par date puis nom) et les messages des fichiers sautés."""
    releves, sautes = [], []
    for chemin in sorted(Path(dossier).glob("*.json")):
        try:
            releves.append(charger(chemin))
        except (ErreurSaisie, KeyError, ValueError) as e:
            sautes.append(f"{chemin.name} sauté : {e}")
    releves.sort(key=lambda r: (r.jour, r.nom.casefold()))
    return releves, sautes


def _minutes(r: Releve) -> int | None:
    if r.duree is None:
        return None
    return (int(r.duree.total_seconds()) + 30) // 60


def lignes(releves: list[Releve]) -> tuple[list[str], list[list]]:
    """(en-têtes, lignes) du tableau : valeurs Python (Decimal, int, str) prêtes pour CSV ou XLSX."""
    competences = list(COMPETENCES)
    for r in releves:
        for k in r.competences():
            if k not in competences:
                competences.append(k)
    n_questions = max((len(r.questions) for r in releves), default=0)
    entetes = [*COLONNES_FIXES,
               *(r_libelle for r_libelle in (COMPETENCES.get(k, k) for k in competences)),
               *(f"Q{i} — erreur relevée" for i in range(1, n_questions + 1))]
    tableau = []
    for r in releves:
        comp = r.competences()
        justes = sum(1 for q in r.questions if q["juste"])
        ligne = [r.nom, r.jour, r.score, _minutes(r), justes, len(r.questions)]
        ligne += [f"{comp[k][0]}/{comp[k][1]}" if k in comp else "" for k in competences]
        for i in range(n_questions):
            if i >= len(r.questions):
                ligne.append("")
                continue
            q = r.questions[i]
            if q["juste"] is None:
                ligne.append("sans réponse")
            elif q["juste"]:
                ligne.append("juste")
            else:
                ligne.append(ERREURS_COURTES.get(q.get("erreur"), "faux") if q.get("erreur") else "faux")
        tableau.append(ligne)
    return entetes, tableau


def _texte_csv(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f").replace(".", ",")
    if hasattr(v, "isoformat"):
        return date_courte(v)
    return str(v)


def ecrire_csv(entetes, tableau, chemin: Path) -> None:
    with chemin.open("w", encoding="utf-8-sig", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";")
        ecrivain.writerow(entetes)
        for ligne in tableau:
            ecrivain.writerow([_texte_csv(v) for v in ligne])


def ecrire_xlsx(entetes, tableau, chemin: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Résultats"
    feuille.append(list(entetes))
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    for ligne in tableau:
        feuille.append([float(v) if isinstance(v, Decimal) else v for v in ligne])  # Excel n'a pas de décimal exact
    for i, entete in enumerate(entetes, start=1):
        feuille.column_dimensions[get_column_letter(i)].width = min(45, max(10, len(str(entete)) + 2))
    for cellule in feuille["B"][1:]:
        cellule.number_format = "DD/MM/YYYY"
    for cellule in feuille["C"][1:]:
        cellule.number_format = "0.00"
    feuille.freeze_panes = "B2"
    classeur.save(chemin)


def rassembler(dossier, sortie) -> tuple[Path, int, list[str]]:
    """Écrit le tableau des relevés de ``dossier`` dans ``sortie`` (.csv ou .xlsx) ; rend (chemin, relevés, sautés)."""
    sortie = Path(sortie)
    if sortie.suffix.lower() not in (".csv", ".xlsx"):
        raise ErreurSaisie("sortie", f"« {sortie.name} » n'est ni un .csv ni un .xlsx", "un fichier resultats.csv ou resultats.xlsx")
    if not Path(dossier).is_dir():
        raise ErreurSaisie("dossier", f"« {dossier} » n'est pas un dossier", "le dossier où l'évaluation enregistre les relevés")
    releves, sautes = lire_dossier(dossier)
    entetes, tableau = lignes(releves)
    sortie.parent.mkdir(parents=True, exist_ok=True)
    (ecrire_xlsx if sortie.suffix.lower() == ".xlsx" else ecrire_csv)(entetes, tableau, sortie)
    return sortie, len(releves), sautes


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Rassemble les relevés d'évaluation ({FORMAT}) d'un dossier en un tableau.")
    parser.add_argument("dossier", help="le dossier des relevés <date>_<nom>.json")
    parser.add_argument("--sortie", default="resultats.xlsx", help="le fichier à écrire : .xlsx ou .csv")
    args = parser.parse_args(arguments)
    try:
        chemin, n, sautes = rassembler(args.dossier, args.sortie)
    except ErreurSaisie as e:
        print(str(e), file=sys.stderr)
        return 2
    for message in sautes:
        print(message, file=sys.stderr)
    print(f"{chemin} écrit : {n} relevé{'s' if n > 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
