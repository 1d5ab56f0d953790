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
import contextvars
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .erreurs import ErreurSaisie, ParametreInconnu

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
    scenario: str | None = None  # le nom du scénario qui a remplacé la valeur de la loi
    valeur_loi: Decimal | None = None  # la valeur de la loi remplacée par le scénario


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
            raise ParametreInconnu("parametre", f"« {nom} » n'est pas un paramètre de la table",
                                   "un nom de reimb/parametres/*.toml, par ex. « participation_forfaitaire.montant »")
        noeud = noeud[partie]
    return noeud


@lru_cache(maxsize=None)
def couverture() -> tuple[date, date]:
    """Première et dernière date couvertes par la table (la fin est la date de dernière vérification)."""
    c = _fichiers()["couverture"]["couverture"]
    return c["debut"], c["fin"]


def serie(nom: str) -> tuple[Valeur, ...]:
    """Toutes les valeurs d'un paramètre, par date de début croissante, chacune avec sa fin.

    Sous un scénario actif (:func:`scenario_actif`), les valeurs qu'il change le sont à partir de sa date.
    """
    return _index(nom, _SCENARIO.get())[0]


@lru_cache(maxsize=None)
def _serie_loi(nom: str) -> tuple[Valeur, ...]:
    noeud = _noeud(nom)
    if not isinstance(noeud, dict) or not ("meme_que" in noeud or isinstance(noeud.get("valeurs"), list)):
        raise ParametreInconnu("parametre", f"« {nom} » n'est pas un paramètre à valeurs datées",
                               "un paramètre qui a des valeurs datées, par ex. « participation_forfaitaire.montant »")
    if "meme_que" in noeud:
        return _serie_loi(noeud["meme_que"])
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
def _index(nom: str, scenario: Scenario | None) -> tuple[tuple[Valeur, ...], list[date]]:
    """(valeurs, débuts) du paramètre, sous le scénario s'il le change (gardé en mémoire)."""
    if scenario is not None and _cible(nom) in scenario.noms:
        valeurs = scenario.appliquer(_serie_loi(nom), _cible(nom))
        return valeurs, [v.debut for v in valeurs]
    if scenario is not None:
        return _index(nom, None)
    valeurs = _serie_loi(nom)
    return valeurs, [v.debut for v in valeurs]


@lru_cache(maxsize=None)
def _cible(nom: str) -> str:
    """Le nom du paramètre dont ``nom`` reprend les valeurs (``meme_que``), sinon ``nom``."""
    noeud = _noeud(nom)
    return _cible(noeud["meme_que"]) if "meme_que" in noeud else nom


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


_DU_JOUR: dict = {}


def parametre(nom: str, jour: date) -> Valeur:
    """La valeur du paramètre ``nom`` en vigueur le ``jour`` (erreur si la table ne le couvre pas).

    Gardée en mémoire par (nom, jour, scénario) : la table ne change pas pendant un processus, et un
    scénario fait partie de la clé. Une date refusée n'est pas gardée (l'erreur est levée à chaque fois).
    """
    scenario = _SCENARIO.get()
    if type(jour) is date:
        v = _DU_JOUR.get((nom, jour, scenario))
        if v is not None:
            return v
    v = _parametre(nom, jour, scenario)
    if len(_DU_JOUR) > 50_000:
        _DU_JOUR.clear()
    _DU_JOUR[(nom, jour, scenario)] = v
    return v


def _parametre(nom: str, jour: date, scenario) -> Valeur:
    verifier_date(jour)
    valeurs, debuts = _index(nom, scenario)
    i = bisect.bisect_right(debuts, jour) - 1
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


@lru_cache(maxsize=None)
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
                    resultat[nom] = _serie_loi(nom)
                else:
                    parcourir(nom, sous)

    parcourir("", _fichiers())
    return resultat


# --- Scénarios : « et si la loi changeait ? » ----------------------------------------------------------

_SCENARIO: contextvars.ContextVar[Scenario | None] = contextvars.ContextVar("reimb_scenario", default=None)


class Scenario:
    """Une réforme imaginée : des paramètres changés à partir d'une date, pour voir ce qui bouge.

    ``changements`` : ``{nom du paramètre: nouvelle valeur}``, les noms de ``reimb/parametres/*.toml``
    (``"participation_forfaitaire.montant"``, ``"taux_amo.consultation"``…), les valeurs dans l'unité
    de la table (euros, %, ans ; ``"aucun"`` pour « pas de plafond ») ; ``depuis`` : la date des soins
    à partir de laquelle ils s'appliquent ; ``nom`` : le nom montré dans les étapes.

    >>> s = Scenario({"participation_forfaitaire.montant": 4}, depuis=date(2025, 1, 1), nom="PF à 4 €")
    >>> s
    Scenario({'participation_forfaitaire.montant': Decimal('4')}, depuis=2025-01-01, nom='PF à 4 €')
    >>> Scenario({"participation_forfaitaire.montan": 4}, depuis=date(2025, 1, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reimb.erreurs.ErreurSaisie: changements : paramètre inconnu : « participation_forfaitaire.montan » (valeurs acceptées : participation_forfaitaire.montant ; ...)
    """

    __slots__ = ("changements", "depuis", "nom", "noms", "_cle")

    def __init__(self, changements, depuis: date, nom: str = "scénario"):
        from .montants import en_decimal

        if not isinstance(changements, dict) or not changements:
            raise ErreurSaisie("changements", f"{changements!r} n'est pas un dictionnaire de changements",
                               "{nom du paramètre: nouvelle valeur}, par ex. {\"participation_forfaitaire.montant\": 4}")
        verifier_date(depuis, "depuis")
        if not isinstance(nom, str) or not nom.strip():
            raise ErreurSaisie("nom", f"{nom!r} n'est pas un nom de scénario", "un texte, par ex. \"PF à 4 €\"")
        connus = list(toutes_les_series())
        lus = {}
        for cle, valeur in changements.items():
            if cle not in connus:
                import difflib

                proches = difflib.get_close_matches(str(cle), connus, n=3, cutoff=0.5)
                raise ErreurSaisie(
                    "changements", f"paramètre inconnu : « {cle} »",
                    " ; ".join(proches + ["…"]) if proches else "un nom de reimb/parametres/*.toml, par ex. participation_forfaitaire.montant",
                )
            if valeur is None or valeur == "aucun":
                lus[cle] = None
                continue
            d = en_decimal(valeur, f"changements[{cle!r}]")
            if d < 0:
                raise ErreurSaisie(f"changements[{cle!r}]", f"{valeur!r} est négatif", "une valeur positive ou nulle, ou \"aucun\"")
            lus[cle] = d
        object.__setattr__(self, "changements", lus)
        object.__setattr__(self, "depuis", depuis)
        object.__setattr__(self, "nom", nom)
        object.__setattr__(self, "noms", frozenset(_cible(c) for c in lus))
        object.__setattr__(self, "_cle", (tuple(sorted(lus.items(), key=lambda kv: kv[0])), depuis, nom))

    def __setattr__(self, nom, valeur):
        raise AttributeError("un Scenario ne se modifie pas : créez-en un autre")

    def __eq__(self, autre):
        return isinstance(autre, Scenario) and self._cle == autre._cle

    def __hash__(self):
        return hash(self._cle)

    def __repr__(self):
        return f"Scenario({self.changements!r}, depuis={self.depuis}, nom={self.nom!r})"

    def appliquer(self, valeurs: tuple[Valeur, ...], nom: str) -> tuple[Valeur, ...]:
        """La série ``valeurs`` du paramètre ``nom`` avec la valeur du scénario à partir de ``depuis``."""
        nouvelle = next(v for c, v in self.changements.items() if _cible(c) == nom)
        veille = date.fromordinal(self.depuis.toordinal() - 1)
        resultat = []
        for v in valeurs:
            if v.fin is not None and v.fin < self.depuis:
                resultat.append(v)
                continue
            if v.debut < self.depuis:
                resultat.append(replace(v, fin=veille))
            resultat.append(replace(v, debut=max(v.debut, self.depuis), valeur=nouvelle, scenario=self.nom,
                                    valeur_loi=v.valeur, a_verifier=None,
                                    composition=((f"scénario « {self.nom} »", nouvelle),) if v.composition and nouvelle is not None else ()))
        return tuple(resultat)


@contextmanager
def scenario_actif(scenario: Scenario | None):
    """Le temps d'un bloc ``with``, toutes les lectures de paramètres suivent ``scenario`` (None : la loi)."""
    if scenario is not None and not isinstance(scenario, Scenario):
        raise ErreurSaisie("scenario", f"{type(scenario).__name__} n'est pas un Scenario",
                           "reimb.Scenario({…}, depuis=…, nom=…) ou None")
    jeton = _SCENARIO.set(scenario)
    try:
        yield scenario
    finally:
        _SCENARIO.reset(jeton)


def scenario_courant() -> Scenario | None:
    """Le scénario actif, ou None."""
    return _SCENARIO.get()


# --- Recherche pour une colonne de dates (calcul par lot) ------------------------------------------------

EPOQUE = date(1970, 1, 1).toordinal()


def jour_1970(d: date) -> int:
    """Un jour compté depuis le 1er janvier 1970 (l'unité de ``datetime64[D]``)."""
    return d.toordinal() - EPOQUE


@lru_cache(maxsize=None)
def _grille(nom: str, scenario: Scenario | None):
    import numpy as np

    valeurs = _index(nom, scenario)[0]
    debuts = np.array([jour_1970(v.debut) for v in valeurs], dtype=np.int64)
    fins = np.array([jour_1970(v.fin) if v.fin is not None else np.iinfo(np.int64).max for v in valeurs], dtype=np.int64)
    return debuts, fins, tuple(v.valeur for v in valeurs)


def grille(nom: str):
    """(débuts, fins, valeurs) du paramètre sous le scénario actif ; débuts et fins en jours depuis 1970."""
    return _grille(nom, _SCENARIO.get())


def valeurs_aux_jours(nom: str, jours, en_entier):
    """La valeur du paramètre en vigueur chaque jour d'un tableau numpy de jours depuis 1970.

    Rend (valeurs, aucun, hors) : ``valeurs`` converties par ``en_entier`` (int64, ou objets si trop
    grandes), ``aucun`` marque la valeur « aucun », ``hors`` les jours que la série ne couvre pas — la
    même recherche que :func:`parametre` (``bisect_right`` sur les débuts), pour tous les jours à la fois.
    """
    import numpy as np

    debuts, fins, valeurs = grille(nom)
    i = np.searchsorted(debuts, jours, side="right") - 1
    hors = i < 0
    np.maximum(i, 0, out=i)
    hors |= jours > fins[i]
    entiers = np.array([0 if v is None else en_entier(v) for v in valeurs], dtype=object)
    if all(-(2**62) < e < 2**62 for e in entiers):
        entiers = entiers.astype(np.int64)
    aucun = np.array([v is None for v in valeurs], dtype=bool)
    return entiers[i], aucun[i], hors


def noeud(nom: str) -> dict:
    """Le nœud brut d'un fichier ou d'un paramètre de la table (``"tarifs"``, ``"dptam.CAS"``…), en lecture."""
    return _noeud(nom)
