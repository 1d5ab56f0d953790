"""Lecture des colonnes d'une table pour :func:`reimb.decompte_lot` : chaque cellule lue avec les règles de
saisie du moteur (montants au centime, booléens, secteurs, âges, niveaux, dates), chaque valeur *distincte*
examinée une fois ; et les bornes (époques, seuils d'âge) qui font qu'une base se lit une fois par
combinaison. Aucun nombre de la loi ici : seulement la lecture.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_float_dtype, is_integer_dtype

from . import modele
from .decompte import decompte
from .erreurs import ErreurSaisie
from .montants import montant
from .parametres import jour_1970 as _jour
from .parametres import noeud, periode, serie, toutes_les_series

# Sûrs pour pd.factorize : un booléen dans la colonne changerait ce type inféré (True == 1 pour un hachage).
_TYPES_SANS_BOOLEEN = {"integer", "floating", "mixed-integer-float", "decimal", "string", "empty"}


def _exact(d: Decimal) -> int:
    e = int(d)
    if e != d:  # garde-fou interne : l'échelle choisie doit rendre la valeur entière
        raise ArithmeticError(f"{d} n'est pas entier à cette échelle")
    return e


def _centimes(d: Decimal) -> int:
    return _exact(d * 100)


def _decimales(d: Decimal) -> int:
    return max(0, -d.normalize().as_tuple().exponent)


# --- Lecture des colonnes ------------------------------------------------------------------------------


def _py(v):
    """Une valeur de cellule en valeur Python simple (pour rappeler le moteur sur une ligne)."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, Decimal) and v.is_nan():
        return None
    return v


def _objets(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=object)


def _est_booleen(valeurs: np.ndarray) -> np.ndarray:
    """Masque des éléments booléens d'un tableau d'objets (un booléen n'est ni un montant ni un secteur)."""
    if infer_dtype(valeurs, skipna=True) in _TYPES_SANS_BOOLEEN:
        return np.zeros(len(valeurs), dtype=bool)
    return np.frompyfunc(lambda v: isinstance(v, (bool, np.bool_)), 1, 1)(valeurs).astype(bool)


def _factoriser(s: pd.Series):
    """(codes, valeurs distinctes, booléens) : chaque valeur distincte n'est examinée qu'une fois.

    Les cellules vides ont le code −1 ; les booléens d'une colonne d'objets (que le hachage confondrait
    avec 1 et 0) ont aussi le code −1 et sont signalés à part.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype=np.int64), list(s.cat.categories), np.zeros(len(s), dtype=bool)
    if is_bool_dtype(s.dtype):
        return np.full(len(s), -1, dtype=np.int64), [], ~s.isna().to_numpy()
    valeurs = _objets(s) if s.dtype == object else s.to_numpy()
    if valeurs.dtype.kind in "iuf" and len(valeurs) and valeurs[0] == valeurs[0] and (valeurs == valeurs[0]).all():
        # Colonne constante (une seule garantie pour toute l'entreprise, par ex.) : rien à hacher.
        return np.zeros(len(valeurs), dtype=np.int64), [valeurs[0]], np.zeros(len(valeurs), dtype=bool)
    booleens = _est_booleen(valeurs) if valeurs.dtype == object else np.zeros(len(s), dtype=bool)
    if booleens.any():
        valeurs = valeurs.copy()
        valeurs[booleens] = None
    codes, uniques = pd.factorize(valeurs, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), list(uniques), booleens


def _par_valeur(s: pd.Series, lire):
    """Applique ``lire`` (qui lève ErreurSaisie si la valeur est refusée) à chaque valeur distincte.

    Rend (codes, lues, vides, refuses) : ``lues[codes]`` est la valeur lue de chaque ligne.
    """
    codes, uniques, booleens = _factoriser(s)
    lues, ok = [], []
    for u in uniques:
        try:
            lues.append(lire(u))
            ok.append(True)
        except ErreurSaisie:
            lues.append(None)
            ok.append(False)
    ok = np.array(ok + [False], dtype=bool)  # code −1 → dernier élément
    vides = (codes < 0) & ~booleens
    refuses = booleens | ((codes >= 0) & ~ok[codes])
    return codes, lues, vides, refuses


def _booleens(s: pd.Series | None, defaut: bool, n: int):
    """(valeurs, refusées) d'une colonne de booléens : seuls True et False sont acceptés, comme le moteur."""
    if s is None:
        return np.full(n, defaut, dtype=bool), np.zeros(n, dtype=bool)
    if s.dtype == bool:
        return s.to_numpy(), np.zeros(n, dtype=bool)
    if is_bool_dtype(s.dtype):  # booléens « nullable » : <NA> refusé
        return s.to_numpy(dtype=bool, na_value=False), s.isna().to_numpy()
    valeurs = _objets(s)
    if infer_dtype(valeurs, skipna=False) == "boolean":
        return valeurs.astype(bool), np.zeros(n, dtype=bool)
    ok = np.frompyfunc(lambda v: isinstance(v, (bool, np.bool_)), 1, 1)(valeurs).astype(bool)
    resultat = np.zeros(n, dtype=bool)
    resultat[ok] = valeurs[ok].astype(bool)
    return resultat, ~ok


def _montants(s: pd.Series | None, champ: str, n: int, *, positif_strict: bool = False):
    """(centimes, vides, refusés) d'une colonne de montants, avec les règles de :func:`reimb.montants.montant`.

    Entiers et flottants : lus d'un bloc. Un flottant est accepté s'il est le flottant le plus proche
    d'un montant au centime (c'est le cas exactement quand son texte ``repr`` a au plus deux décimales,
    la règle du moteur). Autres colonnes (``Decimal``, textes « 18,60 », mélanges) : chaque valeur
    *distincte* est lue par :func:`reimb.montants.montant`.
    """
    zeros = np.zeros(n, dtype=bool)
    if s is None:
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), zeros
    borne = _borne_saisie()
    if is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return np.zeros(n, dtype=np.int64), s.isna().to_numpy(), ~s.isna().to_numpy()
    if is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        vides = s.isna().to_numpy()
        v = s.to_numpy(dtype=np.int64, na_value=0) if vides.any() else s.to_numpy().astype(np.int64, copy=False)
        refuses = ~vides & ((v < 0) | (v >= borne) | ((v == 0) if positif_strict else False))
        v = np.where(refuses | vides, 0, v)
        return v * 100, vides, refuses
    if is_float_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        vides = np.isnan(x)
        fini = np.isfinite(x)
        xs = np.where(fini, x, 0.0)
        grand = np.abs(xs) >= borne
        xs = np.where(grand, 0.0, xs)
        c = np.rint(xs * 100)
        refuses = ~vides & (~fini | grand | (c / 100 != xs) | (xs < 0) | ((c == 0) if positif_strict else False))
        c = np.where(refuses | vides, 0, c).astype(np.int64)
        return c, vides, refuses
    codes, lues, vides, refuses = _par_valeur(s, lambda u: montant(u, champ, positif_strict=positif_strict))
    table = np.array([0 if c is None else int(c * 100) for c in lues] + [0], dtype=object)
    if all(-(2**62) < e < 2**62 for e in table):
        table = table.astype(np.int64)
    c = table[codes]
    c[refuses | vides] = 0
    return c, vides, refuses


@lru_cache(maxsize=1)
def _borne_saisie() -> int:
    """Le plus petit nombre refusé par :func:`reimb.montants.en_decimal` pour sa taille (10¹² aujourd'hui)."""
    from . import montants

    return 10 ** getattr(montants, "CHIFFRES_MAX", 15)


def _jours(s: pd.Series, n: int):
    """(jours depuis 1970, refusés, avec_heure) : une date par ligne, sinon la ligne est refusée."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        raise ErreurSaisie("date", "la colonne porte un fuseau horaire : une date de soins n'en a pas",
                           "des datetime.date, ou une colonne datetime64 sans fuseau (par ex. .dt.tz_localize(None).dt.normalize())")
    if np.issubdtype(s.dtype, np.datetime64):
        v = s.to_numpy()
        nat = np.isnat(v)
        jours_d = v.astype("datetime64[D]")
        avec_heure = ~nat & (jours_d.astype(v.dtype) != v)
        jours = np.where(nat, 0, jours_d.astype(np.int64))
        return jours, nat, avec_heure

    def lire(u):
        u = _py(u)
        if isinstance(u, date) and not isinstance(u, datetime):
            return _jour(u)
        raise ErreurSaisie("date", "pas une date")

    codes, lues, vides, refuses = _par_valeur(s, lire)
    table = np.array([0 if j is None else j for j in lues] + [0], dtype=np.int64)
    return table[codes], vides | refuses, np.zeros(n, dtype=bool)


def _choix(s: pd.Series | None, acceptes: tuple, n: int, *, defaut_code: int, vide_code: int | None):
    """(codes, refusés) d'une colonne de libellés : code = rang dans ``acceptes`` ; vide → ``vide_code``."""
    if s is None:
        return np.full(n, defaut_code, dtype=np.int64), np.zeros(n, dtype=bool)

    def lire(u):
        if isinstance(u, str) and u in acceptes:
            return acceptes.index(u)
        raise ErreurSaisie("", "")

    codes, lues, vides, refuses = _par_valeur(s, lire)
    table = np.array([-1 if c is None else c for c in lues] + [-1], dtype=np.int64)
    resultat = table[codes]
    if vide_code is None:
        refuses = refuses | vides
        resultat[vides] = defaut_code
    else:
        resultat[vides] = vide_code
    resultat[refuses] = defaut_code
    return resultat, refuses


def _secteurs(s: pd.Series, n: int):
    """(secteur 1/2/3, refusés) : comme Medecin, un nombre égal à 1, 2 ou 3, jamais un booléen."""
    if is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return np.ones(n, dtype=np.int64), np.ones(n, dtype=bool)
    if is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype) and not s.hasnans:
        v = s.to_numpy().astype(np.int64, copy=False)
        ok = np.isin(v, modele.SECTEURS)
        return v if ok.all() else np.where(ok, v, 1), ~ok
    if (is_integer_dtype(s.dtype) or is_float_dtype(s.dtype)) and not isinstance(s.dtype, pd.CategoricalDtype):
        v = s.to_numpy(dtype=np.float64, na_value=np.nan)
        ok = np.isin(v, modele.SECTEURS)
        return np.where(ok, v, 1).astype(np.int64), ~ok

    def lire(u):
        u = _py(u)
        if not isinstance(u, bool) and u is not None and u in modele.SECTEURS:
            return int(u)
        raise ErreurSaisie("", "")

    codes, lues, vides, refuses = _par_valeur(s, lire)
    table = np.array([1 if c is None else c for c in lues] + [1], dtype=np.int64)
    return table[codes], refuses | vides


def _ages(s: pd.Series | None, n: int):
    """(âges, refusés) : un entier de 0 à 130 (comme Patient) ; 45.0 dans une colonne de flottants vaut 45."""
    defaut = modele.Patient().age
    if s is None:
        return np.full(n, defaut, dtype=np.int64), np.zeros(n, dtype=bool)
    if is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype) and not s.hasnans:
        v = s.to_numpy().astype(np.int64, copy=False)
        ok = (v >= 0) & (v <= 130)
        return v if ok.all() else np.where(ok, v, defaut), ~ok
    if (is_integer_dtype(s.dtype) or is_float_dtype(s.dtype)) and not is_bool_dtype(s.dtype) \
            and not isinstance(s.dtype, pd.CategoricalDtype):
        v = s.to_numpy(dtype=np.float64, na_value=np.nan)
        ok = np.isfinite(v) & (v == np.round(v)) & (v >= 0) & (v <= 130)
        return np.where(ok, v, defaut).astype(np.int64), ~ok

    def lire(u):
        u = _py(u)
        if isinstance(u, int) and not isinstance(u, bool) and 0 <= u <= 130:
            return u
        raise ErreurSaisie("", "")

    codes, lues, vides, refuses = _par_valeur(s, lire)
    table = np.array([defaut if a is None else a for a in lues] + [defaut], dtype=np.int64)
    return table[codes], refuses | vides


def _niveaux(s: pd.Series | None, champ: str, n: int):
    """(codes, formulations lues, présents, refusés) d'une colonne de garanties : chaque formulation
    distincte (« 150 », « RO + 100 % BR », « 100 % TM »…) est lue une fois par :func:`reimb.formules.lire_formule`
    (via :func:`reimb.modele.niveau_ou_formule`)."""
    if s is None:
        return np.full(n, -1, dtype=np.int64), [], np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    codes, lues, vides, refuses = _par_valeur(s, lambda u: modele.niveau_ou_formule(_py(u), champ)[1])
    return codes, lues, ~vides & ~refuses, refuses

def _decimaux(centimes: np.ndarray, valide: np.ndarray) -> np.ndarray:
    """Des Decimal au centime (``Decimal('18.60')``), un objet par valeur distincte ; None si refusée."""
    if centimes.dtype != object and len(centimes):
        bas = int(centimes.min())
        etendue = int(centimes.max()) - bas + 1
        if etendue <= max(4 * len(centimes), 1 << 16):  # valeurs distinctes par comptage, sans hachage
            rang = centimes - bas
            presents = np.flatnonzero(np.bincount(rang, minlength=etendue))
            table = np.empty(etendue, dtype=object)
            table[presents] = [Decimal(int(c) + bas).scaleb(-2) for c in presents]
            resultat = table[rang]
            if not valide.all():
                resultat[~valide] = None
            return resultat
    codes, uniques = pd.factorize(centimes)
    objets = np.array([Decimal(int(c)).scaleb(-2) for c in uniques] + [None], dtype=object)
    resultat = objets[codes]
    if not valide.all():
        resultat[~valide] = None
    return resultat


# --- Bornes : où une base peut changer ------------------------------------------------------------------


def bornes_epoques(scenario) -> np.ndarray:
    """Les jours où une valeur de la table change (débuts, lendemains de fins, périodes des DPTAM)."""
    return _bornes_epoques_de(scenario)


@lru_cache(maxsize=8)
def _bornes_epoques_de(scenario) -> np.ndarray:
    jours = set()
    for nom in toutes_les_series():
        for x in serie(nom):
            jours.add(_jour(x.debut))
            if x.fin is not None:
                jours.add(_jour(x.fin) + 1)
    for nom in modele.DPTAM:
        d0, d1, _, _ = periode(f"dptam.{nom}")
        jours.add(_jour(d0))
        if d1 is not None:
            jours.add(_jour(d1) + 1)
    return np.array(sorted(jours), dtype=np.int64)


@lru_cache(maxsize=1)
def bornes_ages() -> np.ndarray:
    """Les âges où une base peut changer : chaque seuil d'âge de la table des tarifs (attributs ``age…``), et
    le suivant (un seuil « jusqu'à tel âge inclus » change au lendemain de l'anniversaire)."""
    seuils = set()

    def parcourir(noeud):
        for cle, sous in noeud.items():
            if isinstance(sous, dict):
                parcourir(sous)
            elif "age" in cle:
                for x in sous if isinstance(sous, list) else [sous]:
                    if isinstance(x, (int, Decimal)) and not isinstance(x, bool):
                        seuils.update((int(x), int(x) + 1))

    parcourir(noeud("tarifs"))
    return np.array(sorted(seuils), dtype=np.int64)




@lru_cache(maxsize=8)
def tarifs_de_la_table(scenario) -> np.ndarray:
    """Tous les montants de la table des tarifs, en centimes (toutes séries, toutes dates) : seuls des
    honoraires égaux à l'un d'eux peuvent donner une autre base que le code nu (règle du 1er avril 2018)."""
    montants = {int(x.valeur.scaleb(2)) for nom in toutes_les_series() if nom.startswith("tarifs.")
                for x in serie(nom) if x.valeur is not None}
    return np.array(sorted(montants), dtype=np.int64)


# --- Une ligne de table, en arguments du moteur d'une consultation -------------------------------------


def arguments_moteur(ligne) -> dict:
    """Les arguments de :func:`reimb.decompte` pour une ligne de table (une ``pandas.Series``).

    Sert à rejouer une ligne dans le moteur scalaire (messages d'erreur, tests d'égalité). Une cellule
    vide devient ``None`` ; une colonne absente prend la valeur par défaut du moteur.
    """
    def v(nom, defaut=None):
        return _py(ligne[nom]) if nom in ligne.index else defaut

    jour = v("date")
    if isinstance(jour, pd.Timestamp) and jour == jour.normalize() and jour.tzinfo is None:
        jour = jour.date()
    age = v("age", modele.Patient().age)
    if isinstance(age, float) and age.is_integer():
        age = int(age)
    medecin = modele.Medecin(
        secteur=v("secteur"), dptam=v("dptam"), specialite=v("specialite", "generaliste"),
        droit_permanent=v("droit_permanent", False),
    )
    patient = modele.Patient(age=age, css=v("css", False), ald=v("ald", False), maternite=v("maternite", False))
    g_d, g_h = v("garantie_dptam"), v("garantie_hors_dptam")
    garantie = None
    if g_d is not None or g_h is not None:
        garantie = modele.Garantie(dptam=g_d, hors_dptam=g_h, responsable=v("responsable", True))
    honoraires = ligne["honoraires"]  # tel quel : une cellule NaN est « nan n'est pas un montant »
    honoraires = honoraires.item() if isinstance(honoraires, np.generic) else honoraires
    return dict(honoraires=honoraires, date=jour, medecin=medecin, brss=v("brss"), patient=patient,
                garantie=garantie, parcours=v("parcours", True), acte=v("acte", "consultation"))


def appeler_moteur(ligne):
    """Le décompte scalaire (:func:`reimb.decompte`) d'une ligne de table."""
    return decompte(**arguments_moteur(ligne))
