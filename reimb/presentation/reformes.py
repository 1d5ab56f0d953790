"""Les réformes de 2004 à 2026, lues dans la table des paramètres (sans matplotlib : la frise les dessine,
un tableau les liste)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..parametres import periode, serie
from .format import euros, nombre, pourcent


@dataclass(frozen=True)
class Evenement:
    """Un changement de la table des paramètres : sa date, ce qu'il dit, le paramètre d'où il vient."""

    date: date
    libelle: str
    parametre: str


def _valeur(v) -> str:
    if v.unite == "EUR":
        return euros(v.valeur)
    if v.unite.startswith("%"):
        return pourcent(v.valeur)
    return nombre(v.valeur)


# (paramètre, libellé avec {valeur}, libellé quand la valeur est « aucun » ou None, garder la 1re valeur ?)
# La première valeur d'un tarif est le début de la table, pas une réforme : elle n'est pas montrée.
_SERIES_DE_LA_FRISE = (
    ("participation_forfaitaire.montant", "Participation forfaitaire de {valeur}", None, True),
    ("taux_amo.hors_parcours", "Hors parcours de soins : Sécu à {valeur}", None, True),
    ("depassement_autorise.taux", "Dépassement autorisé hors parcours : {valeur} au plus", None, True),
    ("contrat_responsable.plafond_depassement_hors_dptam",
     "Contrat responsable : dépassement des non-adhérents remboursé au plus à {valeur} BRSS",
     "Premiers contrats responsables (pas de plafond)", True),
    ("contrat_responsable.ecart_minimal_dptam", "… et {valeur} points sous les adhérents", None, True),
    ("contrat_responsable.exclusion_franchises", "Franchises médicales (jamais remboursées par un contrat responsable)", None, True),
    ("contrat_responsable.cent_pour_cent_sante.optique", "100 % Santé : optique et dentaire sans reste à charge", None, True),
    ("contrat_responsable.cent_pour_cent_sante.audiologie", "100 % Santé : aides auditives et prothèses amovibles", None, True),
    ("tarifs.consultation.generaliste.opposable", "Consultation de généraliste : {valeur}", None, False),
    ("tarifs.consultation.specialiste.opposable", "Consultation de spécialiste (parcours) : {valeur}", None, False),
    ("tarifs.consultation.psychiatre.opposable", "Consultation de psychiatre : {valeur}", None, False),
    ("tarifs.consultation.generaliste.opposable_moins_de_6_ans", "Généraliste, enfant de moins de 6 ans : {valeur}", None, True),
    ("tarifs.consultation.pediatre.opposable_moins_de_2_ans", "Pédiatre, enfant de moins de 2 ans : {valeur}", None, True),
    ("tarifs.consultation_longue.generaliste.opposable", "Consultation longue du médecin traitant (80 ans et plus) : {valeur}", None, True),
)
_DISPOSITIFS_DE_LA_FRISE = (
    ("dptam.CAS", "Contrat d'accès aux soins (CAS)"),
    ("dptam.OPTAM", "L'OPTAM remplace le CAS"),
    ("dptam.OPTAM-ACO", "L'OPTAM-CO devient l'OPTAM-ACO"),
    ("reformes.parcours_de_soins", None),
    ("reformes.css", None),
    ("reformes.franchises_2024", None),
    ("reformes.baisse_taux_abandonnee", None),
    ("reformes.doublement_pf_abandonne", None),
    ("reformes.forfait_journalier_2026", None),
)


def evenements_reformes(debut: date = date(2004, 1, 1), fin: date = date(2026, 12, 31)) -> list[Evenement]:
    """Les dates de la table des paramètres entre ``debut`` et ``fin``, avec un libellé français.

    Tout vient de ``reimb/parametres/`` : une valeur ajoutée à la table apparaît dans la frise.
    """
    evenements = []
    for nom, modele, si_aucun, premiere in _SERIES_DE_LA_FRISE:
        try:
            valeurs = serie(nom)
        except KeyError:
            continue  # paramètre renommé ou retiré : la frise montre le reste
        for i, v in enumerate(valeurs):
            if (i == 0 and not premiere) or not debut <= v.debut <= fin:
                continue
            if v.valeur is None:
                if si_aucun:
                    evenements.append(Evenement(v.debut, si_aucun, nom))
                continue
            evenements.append(Evenement(v.debut, modele.format(valeur=_valeur(v)), nom))
    for nom, libelle in _DISPOSITIFS_DE_LA_FRISE:
        try:
            d, _, description, _ = periode(nom)
            libelle = libelle or description  # les réformes de reformes.toml portent leur libellé
        except KeyError:
            continue
        if debut <= d <= fin:
            evenements.append(Evenement(d, libelle, nom))
    ordre = {nom: i for i, (nom, *_) in enumerate(_DISPOSITIFS_DE_LA_FRISE + _SERIES_DE_LA_FRISE)}
    return sorted(evenements, key=lambda e: (e.date, ordre.get(e.parametre, 99)))


