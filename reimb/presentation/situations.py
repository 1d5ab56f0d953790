"""Les situations du cours, nommées en français : les choix d'un menu deviennent des objets ``reimb``.

Un stagiaire choisit « Secteur 2 adhérent CAS / OPTAM » ; le cours en fait un ``reimb.Medecin`` dont le
dispositif dépend de la date des soins (le CAS jusqu'au 31 décembre 2016, l'OPTAM ensuite — les
périodes sont lues dans ``reimb/parametres/dptam.toml``).
"""

from __future__ import annotations

from datetime import date

from ..erreurs import ErreurSaisie
from ..modele import Medecin
from ..parametres import periode
from .format import date_courte

#: Les choix du menu « Médecin » : (libellé, clé).
SECTEURS = (
    ("Secteur 1", "1"),
    ("Secteur 1 avec droit permanent à dépassement (DP)", "1DP"),
    ("Secteur 2 adhérent CAS / OPTAM", "2DPTAM"),
    ("Secteur 2 non adhérent", "2"),
    ("Non conventionné (« secteur 3 »)", "3"),
)
SPECIALITES = (
    ("Généraliste", "generaliste"),
    ("Spécialiste (autre spécialité)", "specialiste"),
    ("Gynécologue", "gynecologue"),
    ("Pédiatre", "pediatre"),
    ("Psychiatre", "psychiatre"),
    ("Neurologue", "neurologue"),
    ("Gériatre", "geriatre"),
    ("Cardiologue", "cardiologue"),
)
"""Les spécialités proposées dans les menus du cours (toutes celles de ``reimb.modele.SPECIALITES``)."""


def dptam_a_la_date(jour: date) -> str:
    """Le dispositif ouvert à la date : ``"CAS"`` (1er déc. 2013 – 31 déc. 2016) ou ``"OPTAM"`` (2017 →)."""
    premiers = []
    for nom in ("CAS", "OPTAM"):
        debut, fin, _, _ = periode(f"dptam.{nom}")
        premiers.append((debut, nom))
        if debut <= jour and (fin is None or jour <= fin):
            return nom
    debut, nom = min(premiers)
    raise ErreurSaisie(
        "date",
        f"aucun dispositif de pratique tarifaire maîtrisée n'existe le {date_courte(jour)}",
        f"une date à partir du {date_courte(debut)} ({nom})",
    )


def medecin(choix: str, specialite: str, jour: date) -> Medecin:
    """Le ``reimb.Medecin`` d'un choix du menu (voir ``SECTEURS``) à la date des soins."""
    if choix == "1":
        return Medecin(secteur=1, specialite=specialite)
    if choix == "1DP":
        return Medecin(secteur=1, droit_permanent=True, specialite=specialite)
    if choix == "2DPTAM":
        return Medecin(secteur=2, dptam=dptam_a_la_date(jour), specialite=specialite)
    if choix == "2":
        return Medecin(secteur=2, specialite=specialite)
    if choix == "3":
        return Medecin(secteur=3, specialite=specialite)
    raise ErreurSaisie("medecin", f"choix {choix!r} inconnu", ", ".join(c for _, c in SECTEURS))
