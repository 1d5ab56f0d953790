"""La table des paramètres : chaque nombre de la loi, daté et sourcé, et sa recherche par date.

Les valeurs vivent dans ``reimb/parametres/*.toml`` (un fichier par notion, à la manière
d'OpenFisca-France) ; ce module est le seul à lire ces fichiers. Chaque valeur porte sa date de
début (``debut``), éventuellement sa date de fin (``fin``), son unité et sa référence. Un
paramètre est nommé ``"fichier.cle"`` (``"participation_forfaitaire.montant"``).

Une date que la table ne couvre pas — avant la première valeur d'un paramètre, après sa ``fin``, ou
au-delà de la date jusqu'à laquelle la table a été vérifiée (``couverture.couverture``) — est une
:class:`~reimb.erreurs.ErreurSaisie`, jamais une valeur par défaut.
"""

from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .erreurs import ErreurSaisie

DOSSIER = Path(__file__).parent / "parametres"


@dataclass(frozen=True, slots=True)
class Valeur:
    """Une valeur d'un paramètre, avec sa période d'application et sa source."""

    nom: str
    valeur: Decimal | None  # None : « aucun » (pas de plafond, par exemple)
    debut: date
    fin: date | None
    unite: str
    description: str
    reference: str
    a_verifier: str | None = None
    composition: tuple[tuple[str, Decimal], ...] = ()


def _num(v):
    if v == "aucun":
        return None
    if isinstance(v, (int, Decimal)):
        return Decimal(v)
    raise TypeError(f"valeur de paramètre inattendue : {v!r}")


@lru_cache(maxsize=1)
def _fichiers() -> dict:
    donnees = {}
    for chemin in sorted(DOSSIER.glob("*.toml")):
        with chemin.open("rb") as f:
            donnees[chemin.stem] = tomllib.load(f, parse_float=Decimal)
    return donnees


def _noeud(nom: str) -> dict:
    noeud = _fichiers()
    for partie in nom.split("."):
        if not isinstance(noeud, dict) or partie not in noeud:
            raise KeyError(f"paramètre inconnu : {nom}")
        noeud = noeud[partie]
    return noeud


@lru_cache(maxsize=None)
def couverture() -> tuple[date, date]:
    """Première et dernière date couvertes par la table (la fin est la date de dernière vérification)."""
    c = _fichiers()["couverture"]["couverture"]
    return c["debut"], c["fin"]


@lru_cache(maxsize=None)
def serie(nom: str) -> tuple[Valeur, ...]:
    """Toutes les valeurs d'un paramètre, par date de début croissante, chacune avec sa fin."""
    noeud = _noeud(nom)
    if "meme_que" in noeud:
        return serie(noeud["meme_que"])
    brutes = sorted(noeud["valeurs"], key=lambda v: v["debut"])
    valeurs = []
    for i, v in enumerate(brutes):
        suivante = brutes[i + 1]["debut"] if i + 1 < len(brutes) else None
        fin = v.get("fin")
        if suivante is not None:
            fin = date.fromordinal(suivante.toordinal() - 1)
        valeurs.append(
            Valeur(
                nom=nom,
                valeur=_num(v["valeur"]),
                debut=v["debut"],
                fin=fin,
                unite=noeud.get("unite", ""),
                description=noeud.get("description", ""),
                reference=v["reference"],
                a_verifier=v.get("a_verifier"),
                composition=tuple((c["code"], Decimal(c["montant"])) for c in v.get("composition", ())),
            )
        )
    return tuple(valeurs)


@lru_cache(maxsize=None)
def _debuts(nom: str) -> list[date]:
    return [v.debut for v in serie(nom)]


def verifier_date(jour: date, champ: str = "date") -> None:
    """Refuse une date hors de la période couverte par la table."""
    if not isinstance(jour, date):
        raise ErreurSaisie(champ, f"{jour!r} n'est pas une date", "un objet datetime.date, par ex. date(2024, 6, 10)")
    if isinstance(jour, datetime):
        # Un datetime est une date pour isinstance, mais ne se compare pas à une date (TypeError) :
        # on le refuse plutôt que de deviner quel jour retenir (fuseau, minuit…).
        raise ErreurSaisie(
            champ,
            f"{jour!r} est un datetime (date et heure), pas une date",
            "un objet datetime.date, par ex. date(2024, 6, 10) ou mon_datetime.date()",
        )
    debut, fin = couverture()
    if jour < debut or jour > fin:
        raise ErreurSaisie(
            champ,
            f"le {jour:%d/%m/%Y} est hors de la période couverte par la table des paramètres",
            f"une date du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}",
        )


def parametre(nom: str, jour: date) -> Valeur:
    """La valeur du paramètre ``nom`` en vigueur le ``jour`` (erreur si la table ne le couvre pas)."""
    verifier_date(jour)
    valeurs = serie(nom)
    i = bisect.bisect_right(_debuts(nom), jour) - 1
    if i < 0 or (valeurs[i].fin is not None and jour > valeurs[i].fin):
        premiere, derniere = valeurs[0], valeurs[-1]
        periode = f"à partir du {premiere.debut:%d/%m/%Y}"
        if derniere.fin is not None:
            periode = f"du {premiere.debut:%d/%m/%Y} au {derniere.fin:%d/%m/%Y}"
        raise ErreurSaisie(
            "date",
            f"la table ne donne pas « {valeurs[0].description} » pour le {jour:%d/%m/%Y}",
            f"une date {periode}",
        )
    return valeurs[i]


def periode(nom: str) -> tuple[date, date | None, str, str]:
    """(début, fin, description, référence) d'un dispositif daté (``"dptam.CAS"``…)."""
    n = _noeud(nom)
    return n["debut"], n.get("fin"), n.get("description", ""), n["reference"]


def attribut(nom: str, cle: str):
    """Un attribut d'un paramètre (ex. ``age_inferieur_a`` d'une base réservée aux enfants) ;
    ``KeyError`` si le paramètre ou l'attribut n'existe pas."""
    return _noeud(nom)[cle]


def toutes_les_series() -> dict[str, tuple[Valeur, ...]]:
    """Tous les paramètres à valeurs datées, par nom (pour l'affichage de la table dans le cours)."""
    resultat = {}

    def parcourir(prefixe, noeud):
        for cle, sous in noeud.items():
            if isinstance(sous, dict):
                nom = f"{prefixe}.{cle}" if prefixe else cle
                if "valeurs" in sous or "meme_que" in sous:
                    resultat[nom] = serie(nom)
                else:
                    parcourir(nom, sous)

    parcourir("", _fichiers())
    return resultat
