"""La fiche mémo du formateur : une page A4 (deux au plus) avec les formules d'un décompte, les valeurs en vigueur
à une date et deux exemples calculés par ``reimb``.

    .venv/bin/python -m reimb.presentation.fiche --date 2026-03-02 --sortie fiche.pdf

Aucun nombre n'est écrit ici : les taux, montants, plafonds et bases sont lus dans la table des paramètres
(:func:`reimb.parametres.parametre`, :func:`reimb.brss`) à la date demandée, et les exemples sont des
décomptes de :func:`reimb.decompte`. Une date que la table ne couvre pas est refusée.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..decompte import Decompte, decompte
from ..erreurs import ErreurSaisie
from ..evaluation import typo
from ..modele import Garantie, Medecin, Patient
from ..montants import arrondi
from ..parametres import parametre
from ..tarifs import brss
from . import pdf as _pdf
from .situations import dptam_a_la_date
from .format import date_courte, date_longue, euros, nombre, pourcent

CENT = Decimal(100)


@dataclass(frozen=True)
class Ligne:
    """Une valeur de la fiche : libellé, valeur affichée, date de début de la valeur."""

    libelle: str
    valeur: str
    depuis: date | None
    nom: str | None = None  # le paramètre lu (pour les tests)


def _valeur(nom: str, jour: date, libelle: str, forme) -> Ligne:
    v = parametre(nom, jour)
    return Ligne(libelle, "aucun" if v.valeur is None else forme(v.valeur), v.debut, nom)


def _ans(d: Decimal) -> str:
    return f"{nombre(d)}\u00a0ans"


def valeurs(jour: date) -> list[Ligne]:
    """Les valeurs en vigueur le ``jour``, lues dans la table des paramètres."""
    return [
        _valeur("taux_amo.consultation", jour, "Taux de remboursement Sécu, consultation dans le parcours de soins", pourcent),
        _valeur("taux_amo.hors_parcours", jour, "Taux de remboursement Sécu, hors parcours de soins", pourcent),
        _valeur("taux_amo.exoneration", jour, "Taux en ALD (soins liés) ou en maternité", pourcent),
        _valeur("taux_amo.age_hors_parcours", jour, "Parcours de soins : à partir de", _ans),
        _valeur("participation_forfaitaire.montant", jour, "Participation forfaitaire, par consultation", euros),
        _valeur("participation_forfaitaire.plafond_journalier", jour, "Participation forfaitaire : plafond par jour, même médecin", euros),
        _valeur("participation_forfaitaire.plafond_annuel", jour, "Participation forfaitaire : plafond par an", euros),
        _valeur("participation_forfaitaire.age_exoneration", jour, "Participation forfaitaire : exonération en dessous de", _ans),
        _valeur("contrat_responsable.plafond_depassement_hors_dptam", jour,
                "Contrat responsable, non-adhérent : dépassement pris en charge au plus (en % de la BRSS)", pourcent),
        _valeur("contrat_responsable.ecart_minimal_dptam", jour,
                "Contrat responsable, non-adhérent : écart minimal avec les adhérents (points de BRSS)",
                lambda d: f"{nombre(d)}\u00a0points"),
        _valeur("depassement_autorise.taux", jour, "Dépassement autorisé (DA) hors parcours, spécialiste de secteur 1 : au plus",
                lambda d: pourcent(d) + " au-dessus du tarif du parcours, arrondi à l'euro supérieur"),
    ]


def _base(specialite: str, medecin: Medecin, jour: date, parcours: bool = True) -> str:
    try:
        b = brss("consultation", medecin, jour, parcours)
    except ErreurSaisie:
        return "hors des sources du cours"
    return f"{euros(b.valeur)} ({b.detail})"


def bases(jour: date) -> list[tuple[str, str, str, str]]:
    """Les bases de remboursement d'une consultation (généraliste, spécialiste) selon le médecin, lues dans la table."""
    lignes = []
    for spe, nom in (("generaliste", "Généraliste"), ("specialiste", "Spécialiste (médecin correspondant)")):
        lignes.append((
            nom,
            _base(spe, Medecin(secteur=1, specialite=spe), jour),
            _base(spe, Medecin(secteur=1, specialite=spe), jour, parcours=False),
            _base(spe, Medecin(secteur=2, specialite=spe), jour),
        ))
    return lignes


def formules(jour: date) -> list[str]:
    """Les formules d'un décompte, dans l'ordre du calcul (les valeurs sont dans le tableau des valeurs)."""
    plancher = parametre("contrat_responsable.ticket_moderateur_minimal", jour).valeur
    plancher_txt = f", sans descendre sous {pourcent(plancher)} (le ticket modérateur reste couvert)" if plancher is not None else ""
    return [
        "1. Base de remboursement (BRSS) : selon l'acte, la spécialité, le secteur, l'adhésion à l'OPTAM et la date "
        "(tableau ci-dessous) — jamais les honoraires.",
        "2. Sécu avant participation = taux × BRSS, arrondi au centime.",
        "3. Sécu versée (AMO) = Sécu avant participation − participation forfaitaire (sauf mineur, CSS, maternité).",
        "4. Ticket modérateur = BRSS − Sécu avant participation. Dépassement = honoraires − BRSS.",
        "5. Garantie « X % BRSS, Sécu comprise » : complémentaire (AMC) = le plus petit de (honoraires ; X % × BRSS) "
        "− Sécu avant participation, jamais négatif. « Y % en plus de la Sécu » : X = taux Sécu + Y.",
        "6. Reste à charge = honoraires − AMO − AMC : il comprend la participation forfaitaire.",
        "7. Contrat responsable, médecin non adhérent (ni CAS, ni OPTAM) : niveau ramené au plus bas de (la BRSS + le plafond du "
        f"dépassement) et de (niveau des adhérents − écart minimal, en points de BRSS : pas en %){plancher_txt}.",
        "8. Hors parcours : taux réduit ; un contrat responsable ne rembourse ni la majoration du ticket modérateur, ni le "
        "dépassement autorisé (DA).",
    ]


def _exemple(d: Decompte, titre: str) -> list[str]:
    lignes = [titre]
    pf = (f" − participation forfaitaire {euros(d.participation_forfaitaire)} = {euros(d.amo)}"
          if d.participation_forfaitaire else " (pas de participation forfaitaire)")
    lignes.append(f"BRSS {euros(d.brss)} ; Sécu : {pourcent(d.taux)} × {euros(d.brss)} = {euros(d.amo_brut)}{pf}.")
    if d.niveau_applique is not None:
        plafond = " (plafond du contrat responsable)" if d.plafond_responsable_applique else ""
        garanti = min(d.honoraires, arrondi(d.brss * d.niveau_applique / CENT))
        lignes.append(f"Complémentaire : niveau appliqué {pourcent(d.niveau_applique)}{plafond} ; {euros(garanti)} − "
                      f"{euros(d.amo_brut)} = {euros(d.amc)}.")
    lignes.append(f"Reste à charge : {euros(d.honoraires)} − {euros(d.amo)} − {euros(d.amc)} = {euros(d.reste_a_charge)}.")
    return lignes


def _dispositif(jour: date) -> str:
    """« l'OPTAM » ou « le CAS » selon la date (``situations.dptam_a_la_date``), « un DPTAM » avant 2013."""
    try:
        nom = dptam_a_la_date(jour)
    except ErreurSaisie:
        return "un DPTAM"
    return "le CAS" if nom == "CAS" else "l'OPTAM"


def exemples(jour: date) -> list[tuple[Decompte, list[str]]]:
    """Deux exemples calculés par reimb à la date : le généraliste de secteur 1, le spécialiste non adhérent."""
    g1 = Medecin(secteur=1, specialite="generaliste")
    d1 = decompte(honoraires=brss("consultation", g1, jour).valeur, date=jour, medecin=g1, patient=Patient(age=45),
                  garantie=Garantie(dptam=100, hors_dptam=100, responsable=True))
    s2 = Medecin(secteur=2, specialite="specialiste")
    d2 = decompte(honoraires=Decimal(60), date=jour, medecin=s2, patient=Patient(age=45),
                  garantie=Garantie(dptam=150, hors_dptam=150, responsable=True))
    return [
        (d1, _exemple(d1, f"Généraliste de secteur 1, {euros(d1.honoraires)}, patient de 45 ans, parcours de soins, "
                          "complémentaire 100 % BRSS (contrat responsable)")),
        (d2, _exemple(d2, f"Spécialiste de secteur 2 non adhérent ({_dispositif(jour)}), {euros(d2.honoraires)}, parcours de soins, "
                          "contrat responsable affichant 150 % BRSS pour tous les médecins")),
    ]


def ecrire_fiche(jour: date, chemin) -> Path:
    """Écrit la fiche mémo du ``jour`` en PDF ; rend son chemin."""
    doc = _pdf.document(f"Fiche mémo — valeurs au {date_courte(jour)}")
    _pdf.titre(doc, "Fiche mémo — le remboursement d'une consultation", 15)
    _pdf.paragraphe(doc, typo(f"Valeurs en vigueur le {date_longue(jour)} (métropole), lues dans la table des paramètres de "
                              "reimb, où chaque valeur est datée et sourcée."), 9, "I")
    _pdf.intertitre(doc, "Les formules d'un décompte")
    _pdf.paragraphe(doc, typo("\n".join(formules(jour))), 8.6)
    _pdf.intertitre(doc, typo(f"Les valeurs au {date_courte(jour)}"))
    _pdf.tableau(doc, [("Quoi", "Valeur", "Depuis le"),
                       *[(typo(l.libelle), typo(l.valeur), date_courte(l.depuis) if l.depuis else "") for l in valeurs(jour)]],
                 (105, 55, 20), taille=8)
    _pdf.intertitre(doc, typo(f"Les bases de remboursement d'une consultation au {date_courte(jour)}"))
    adherent = _dispositif(jour).removeprefix("le ").removeprefix("l'").removeprefix("un ")
    _pdf.tableau(doc, [("Médecin", f"Secteur 1 ou adhérent {adherent}, parcours", "Secteur 1, hors parcours",
                        "Secteur 2 non adhérent, avec dépassement"), *bases(jour)], (38, 50, 42, 50), taille=7.8)
    _pdf.intertitre(doc, "Deux exemples calculés")
    for _, lignes in exemples(jour):
        _pdf.paragraphe(doc, typo(lignes[0]), 8.6, "B")
        _pdf.paragraphe(doc, typo("\n".join(lignes[1:])), 8.6)
        doc.ln(1)
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", jour).valeur
    points = f"« {nombre(ecart)} points » ne veut pas dire « {nombre(ecart)} % » ; " if ecart is not None else ""
    _pdf.paragraphe(doc, typo("À retenir : la participation forfaitaire reste toujours au patient (sauf exonération) ; "
                              f"{points}vérifiez si le libellé d'une garantie est « Sécu incluse » ou « en plus de la Sécu »."),
                    8.3, "I")
    return _pdf.enregistrer(doc, chemin)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit la fiche mémo (PDF A4) des valeurs en vigueur à une date.")
    parser.add_argument("--date", default=date.today().isoformat(), help="la date des valeurs, AAAA-MM-JJ (par défaut : aujourd'hui)")
    parser.add_argument("--sortie", default="fiche.pdf", help="le fichier PDF à écrire")
    args = parser.parse_args(arguments)
    try:
        jour = date.fromisoformat(args.date)
    except ValueError:
        print(f"date : « {args.date} » n'est pas une date AAAA-MM-JJ (par ex. 2026-03-02)", file=sys.stderr)
        return 2
    try:
        chemin = ecrire_fiche(jour, args.sortie)
    except ErreurSaisie as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"{chemin} écrit (valeurs au {date_courte(jour)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
