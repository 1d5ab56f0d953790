"""Le corrigé du formateur, généré : l'évaluation (méthode, erreurs diagnostiquées, un exemple complet) et les
corrigés des questions des notebooks, rassemblés hors des pages du stagiaire.

    .venv/bin/python -m reimb.presentation.corrige --sortie docs/formateur/corrige.md
    .venv/bin/python -m reimb.presentation.corrige --nom "Camille Martin" --date 2026-03-02 --sortie corrige_camille.md

Sans ``--nom`` ni ``--date``, l'exemple est celui de « Camille Martin » le 2 mars 2026 (un fichier stable,
enregistré dans le dépôt). Avec eux, le corrigé du stagiaire : mêmes questions, mêmes nombres que sa page.
Les montants viennent de :mod:`reimb.evaluation` (donc de ``reimb.decompte``), jamais d'une saisie.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from ..evaluation import CHAMPS, COMPETENCES, ERREURS, ERREURS_COURTES, Evaluation, typo
from .format import date_longue, euros

NOM_EXEMPLE = "Camille Martin"
JOUR_EXEMPLE = date(2026, 3, 2)
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

#: Ce que chaque question évalue et comment la corriger (la méthode ; les nombres viennent du tirage).
METHODES = {
    "base": ("Un spécialiste ou un généraliste de secteur 2, adhérent à l'OPTAM ou non, facture un dépassement : "
             "sur quelle base la Sécu rembourse-t-elle ?",
             "Adhérent : la base du secteur 1 (majorations comprises). Non-adhérent qui dépasse : le code nu, sans les "
             "majorations. Jamais les honoraires."),
    "part_secu": ("Le remboursement de la Sécu pour une consultation (secteur 1 ou 2, adhérent ou non).",
                  "Taux du parcours × BRSS, arrondi au centime, moins la participation forfaitaire."),
    "participation_forfaitaire": ("Le reste à charge d'un patient majeur ou mineur, au tarif opposable, avec une "
                                  "garantie 100 % BRSS.",
                                  "Majeur : la participation forfaitaire reste au patient (un contrat responsable ne la "
                                  "rembourse pas). Mineur : exonéré, reste à charge nul."),
    "ticket_moderateur": ("Le ticket modérateur d'une consultation, avec ou sans dépassement.",
                          "BRSS − remboursement Sécu avant participation forfaitaire ; ni le dépassement ni la "
                          "participation n'en font partie."),
    "complementaire": ("Un non-adhérent, un contrat responsable qui couvre les adhérents à X % et les autres « au "
                       "maximum permis » : combien rembourse la complémentaire ?",
                       "Niveau des non-adhérents = le plus bas de (100 % + plafond du dépassement) et de (X − écart "
                       "minimal en points) ; AMC = niveau × BRSS − Sécu avant participation."),
    "reste_a_charge": ("Un spécialiste adhérent à l'OPTAM, un dépassement, une garantie X % BRSS Sécu comprise : "
                       "AMC et reste à charge.",
                       "AMC = le plus petit de (honoraires ; X % × BRSS) − Sécu avant participation ; RAC = honoraires "
                       "− AMO − AMC."),
    "optam": ("Même spécialiste, même prix, adhérent ou non à l'OPTAM : de combien baisse le reste à charge ?",
              "Faire les deux décomptes (base, Sécu, ligne de garantie de chacun, plafond du contrat responsable) et "
              "soustraire les restes à charge."),
    "hors_parcours": ("Un patient hors parcours chez un généraliste ou un spécialiste de secteur 1 (DA possible).",
                      "Taux hors parcours ; la complémentaire d'un contrat responsable ne paie ni la majoration du "
                      "ticket modérateur ni le dépassement autorisé."),
    "css": ("Un bénéficiaire de la CSS au tarif opposable : Sécu et reste à charge.",
            "Pas de participation forfaitaire ; la CSS paie le ticket modérateur ; reste à charge nul."),
    "libelle_garantie": ("Un libellé de tableau de garanties, « Sécu incluse » ou « en plus de la Sécu » : combien "
                         "rembourse la complémentaire ?",
                         "« X % BR Sécu incluse » : niveau X. « Y % BR en plus de la Sécu » : niveau taux Sécu + Y. "
                         "Puis AMC = niveau × BRSS − Sécu avant participation."),
}


def _evaluation_md(ev: Evaluation) -> list[str]:
    lignes = [
        "## L'évaluation (notebook 06)",
        "",
        "Dix questions, une par compétence. Les montants sont tirés pour chaque stagiaire à partir de son nom et du jour "
        "(deux voisins n'ont pas les mêmes nombres ; le même stagiaire, le même jour, retrouve les siens). Seule la "
        "première réponse lisible compte ; tolérance : un centime. La page montre la correction après la réponse.",
        "",
        "### Ce que vérifie chaque question, et les erreurs reconnues",
        "",
        "| N° | Compétence | Situation | Méthode |",
        "|---|---|---|---|",
    ]
    for q in ev.questions:
        situation, methode = METHODES[q.competence]
        lignes.append(f"| {q.numero + 1} | {COMPETENCES[q.competence]} | {situation} | {methode} |")
    lignes += ["", "Les erreurs habituelles, reconnues en recalculant la mauvaise réponse et en la comparant :", ""]
    lignes += [f"- **{ERREURS_COURTES[code]}** — {texte}" for code, texte in ERREURS.items()]
    lignes += [
        "",
        f"### Exemple complet : {ev.nom}, évaluation du {date_longue(ev.jour)}",
        "",
        "Pour le corrigé d'un autre stagiaire : `python -m reimb.presentation.corrige --nom \"Prénom Nom\" "
        "--date AAAA-MM-JJ --sortie corrige.md` (le nom tel qu'il l'a saisi, le jour de l'évaluation).",
        "",
    ]
    for q in ev.questions:
        reponse = " ; ".join(f"{CHAMPS[k]} : **{euros(v)}**" for k, v in q.attendu.items())
        erreurs = " ; ".join(f"{ERREURS_COURTES[e.code]} → " + ", ".join(euros(v) for v in e.reponse.values())
                             for e in q.erreurs)
        lignes += [
            f"**Question {q.numero + 1} — {q.libelle_competence}.** {q.enonce}",
            "",
            f"- Réponse : {reponse}",
            f"- Calcul : {q.explication}",
        ]
        if erreurs:
            lignes.append(f"- Erreurs reconnues : {erreurs}")
        lignes.append("")
    return lignes


def _corriges_notebooks(dossier: Path) -> list[str]:
    """Les sections « Corrigé (pour le formateur) » des notebooks du cours, recopiées telles quelles."""
    lignes = ["## Les questions des notebooks 00 à 05", ""]
    trouve = False
    for chemin in sorted(dossier.glob("0[0-5]_*.ipynb")):
        try:
            cellules = json.loads(chemin.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        extraits, niveau = [], None
        for c in cellules:
            source = "".join(c.get("source", ""))
            if c.get("cell_type") != "markdown":
                if niveau is not None and source.strip():
                    extraits.append(f"```python\n{source.strip()}\n```")
                continue
            garde = []
            for ligne in source.splitlines():
                if ligne.startswith("#"):
                    n = len(ligne) - len(ligne.lstrip("#"))
                    if "Corrigé" in ligne:
                        niveau = n
                        continue
                    if niveau is not None and n <= niveau:
                        niveau = None
                if niveau is not None:
                    garde.append(ligne)
            if "\n".join(garde).strip():
                extraits.append("\n".join(garde).strip())
        if extraits:
            trouve = True
            titre_nb = next(("".join(c["source"]).lstrip("# ").split("\n", 1)[0] for c in cellules
                             if c.get("cell_type") == "markdown"), chemin.stem)
            lignes += [f"### {titre_nb}", "", *("\n\n".join(extraits).splitlines()), ""]
    if not trouve:
        lignes += ["Les questions des modules 00 à 04 ont leur corrigé à part, tiré des mêmes définitions que les questions : `docs/formateur/corrige_cours.md` (`python -m reimb.presentation.questions_cours --sortie docs/formateur/corrige_cours.md`).", ""]
    return lignes


def corrige(nom: str = NOM_EXEMPLE, jour: date = JOUR_EXEMPLE, notebooks: Path | None = NOTEBOOKS) -> str:
    """Le corrigé en Markdown."""
    ev = Evaluation(nom=nom, jour=jour)
    lignes = [
        "# Corrigé du formateur",
        "",
        "*Document généré par `python -m reimb.presentation.corrige` : ne pas le modifier à la main. "
        "À garder hors de la vue des stagiaires.*",
        "",
        *_evaluation_md(ev),
    ]
    texte = typo("\n".join(lignes))  # les textes des notebooks (et leur code) sont recopiés tels quels
    if notebooks is not None and notebooks.is_dir():
        texte += "\n" + "\n".join(_corriges_notebooks(notebooks))
    return texte.rstrip() + "\n"


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit le corrigé du formateur (Markdown).")
    parser.add_argument("--sortie", default="docs/formateur/corrige.md")
    parser.add_argument("--nom", default=NOM_EXEMPLE, help="le stagiaire (par défaut, l'exemple du dépôt)")
    parser.add_argument("--date", default=JOUR_EXEMPLE.isoformat(), help="le jour de l'évaluation, AAAA-MM-JJ")
    args = parser.parse_args(arguments)
    try:
        jour = date.fromisoformat(args.date)
    except ValueError:
        print(f"date : « {args.date} » n'est pas une date AAAA-MM-JJ", file=sys.stderr)
        return 2
    chemin = Path(args.sortie)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(corrige(args.nom, jour), encoding="utf-8")
    print(f"{chemin} écrit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
