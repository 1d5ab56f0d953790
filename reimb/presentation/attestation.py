"""L'attestation PDF d'une évaluation : nom, date, durée, modules suivis, score, résultat de chaque question.

Écrite par :meth:`reimb.evaluation.Evaluation.enregistrer` à côté du relevé JSON ; se refait depuis un
relevé relu :

    .venv/bin/python -m reimb.presentation.attestation resultats/2026-03-02_camille-martin.json
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..evaluation import COMPETENCES, ERREURS_COURTES, Releve, charger, typo
from . import pdf as _pdf
from .format import date_longue, nombre


def _resultat(q: dict) -> str:
    if q["juste"] is None:
        return "sans réponse"
    if q["juste"]:
        return "juste"
    if q.get("erreur"):
        return typo(f"faux — {ERREURS_COURTES.get(q['erreur'], q['erreur'])}")
    return "faux"


def lignes(releve: Releve) -> list[tuple[str, str, str]]:
    """Les lignes du tableau des questions : (n°, compétence, résultat)."""
    return [(str(q["numero"]), releve.competences_libelles.get(q["competence"], COMPETENCES.get(q["competence"], q["competence"])),
             _resultat(q)) for q in releve.questions]


def ecrire_attestation(releve: Releve, chemin) -> Path:
    """Écrit l'attestation PDF d'un relevé ; rend son chemin."""
    justes = sum(1 for q in releve.questions if q["juste"])
    doc = _pdf.document(f"Attestation de formation — {releve.nom}")
    _pdf.titre(doc, "Attestation de formation et d'évaluation")
    _pdf.paragraphe(doc, typo("Le remboursement d'une consultation médicale : Sécurité sociale (AMO), complémentaire (AMC) "
                              "et reste à charge — cours « reimb » pour les courtiers en assurance santé."), 10)
    doc.ln(3)
    _pdf.tableau(doc, [
        ("Stagiaire", releve.nom),
        ("Date de l'évaluation", date_longue(releve.jour)),
        ("Durée de l'évaluation", releve.duree_texte),
        ("Score", f"{nombre(releve.score)}\u00a0/\u00a0100 ({justes} question{'s' if justes > 1 else ''} juste{'s' if justes > 1 else ''} "
                  f"sur {len(releve.questions)}, au premier essai)"),
    ], (45, 135), taille=10, entete=False)
    _pdf.intertitre(doc, "Modules de la formation")
    _pdf.paragraphe(doc, "\n".join(f"• {m}" for m in releve.modules), 9.5)
    _pdf.intertitre(doc, "Résultat par question")
    _pdf.tableau(doc, [("N°", "Compétence évaluée", "Résultat"), *lignes(releve)], (12, 83, 85), taille=8.5)
    _pdf.intertitre(doc, "Résultat par compétence")
    comp = releve.competences()
    _pdf.tableau(doc, [("Compétence", "Questions justes"),
                       *[(releve.competences_libelles.get(k, k), f"{j}\u00a0/\u00a0{n}") for k, (j, n) in comp.items()]],
                 (130, 50), taille=8.5)
    doc.ln(6)
    _pdf.paragraphe(doc, "Les montants de chaque question sont propres au stagiaire ; les bonnes réponses sont calculées "
                         "par la bibliothèque reimb, au centime près.", 8, "I")
    doc.ln(6)
    _pdf.paragraphe(doc, typo("Le formateur (nom et signature) :"), 10)
    return _pdf.enregistrer(doc, chemin)


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__)
        return 2
    for nom in arguments:
        chemin = Path(nom)
        sortie = ecrire_attestation(charger(chemin), chemin.with_suffix(".pdf"))
        print(f"{sortie} écrit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
