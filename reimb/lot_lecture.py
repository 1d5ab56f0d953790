"""Lecture des colonnes d'une table pour :func:`reimb.decompte_lot` : chaque cellule lue avec les règles de
saisie du moteur (montants au centime, booléens, secteurs, âges, niveaux, dates), chaque valeur *distincte*
examinée une fois ; les bornes (époques, seuils d'âge) qui font qu'une base se lit une fois par
combinaison, et ces bases (:func:`bases`, par :func:`reimb.tarifs.brss`) ; les paramètres du jour d'une colonne
de dates (:class:`Calendrier`) ; le découpage d'une grande table en morceaux de personnes entières
(:func:`decouper`). Aucun nombre de la loi ici : seulement la lecture.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_float_dtype, is_integer_dtype

from . import modele, tarifs
from .decompte import decompte, tarif_du_parcours
from .erreurs import ErreurSaisie
from .montants import montant
from .parametres import EPOQUE, noeud, periode, scenario_courant, serie, toutes_les_series, valeurs_aux_jours
from .parametres import jour_1970 as _jour
from .regles import CONTROLES
from .tarifs import ACTES

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


def _factoriser(s: pd.Series, natifs: bool = False):
    """(codes, valeurs distinctes, booléens) : chaque valeur distincte n'est examinée qu'une fois.

    Les cellules vides ont le code −1 ; les booléens d'une colonne d'objets (que le hachage confondrait
    avec 1 et 0) ont aussi le code −1 et sont signalés à part (None : aucun booléen possible).
    """
    if isinstance(s.dtype, pd.CategoricalDtype):  # ``natifs`` : les codes de pandas (int8…), sans conversion
        codes = s.cat.codes.to_numpy()
        return codes if natifs else codes.astype(np.int64), list(s.cat.categories), None
    if is_bool_dtype(s.dtype):
        return np.full(len(s), -1, dtype=np.int64), [], ~s.isna().to_numpy()
    valeurs = _objets(s) if s.dtype == object else s.to_numpy()
    if valeurs.dtype.kind in "iuf" and len(valeurs) and valeurs[0] == valeurs[0] and (valeurs == valeurs[0]).all():
        # Colonne constante (une seule garantie pour toute l'entreprise, par ex.) : rien à hacher, ni à recopier
        # (une vue constante, en lecture seule).
        return np.broadcast_to(np.int64(0), len(valeurs)), [valeurs[0]], None
    booleens = _est_booleen(valeurs) if valeurs.dtype == object else np.zeros(len(s), dtype=bool)
    if booleens.any():
        valeurs = valeurs.copy()
        valeurs[booleens] = None
    codes, uniques = pd.factorize(valeurs, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), list(uniques), booleens


def _par_valeur(s: pd.Series, lire, natifs: bool = False):
    """Applique ``lire`` (qui lève ErreurSaisie si la valeur est refusée) à chaque valeur distincte.

    Rend (codes, lues, vides, refuses) : ``lues[codes]`` est la valeur lue de chaque ligne.
    """
    codes, uniques, booleens = _factoriser(s, natifs)
    lues, ok = [], []
    for u in uniques:
        try:
            lues.append(lire(u))
            ok.append(True)
        except ErreurSaisie:
            lues.append(None)
            ok.append(False)
    if all(ok) and codes.strides == (0,) and len(codes):  # une seule valeur, lue : des vues constantes
        vides, refuses = np.broadcast_to(codes[:1] < 0, len(codes)), np.broadcast_to(False, len(codes))
    elif all(ok):  # aucune valeur distincte refusée : vides = code −1, sans table d'états recopiée sur les lignes
        vides, refuses = codes < 0, np.zeros(len(codes), dtype=bool)
    else:
        etat = np.array([0 if o else 2 for o in ok] + [1], dtype=np.int8)  # 0 lue, 1 vide, 2 refusée ; −1 → dernier
        etats = etat[codes]
        vides, refuses = etats == 1, etats == 2
    if booleens is not None and booleens.any():
        vides &= ~booleens
        refuses |= booleens
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
        if len(x) and 0 <= x.min() and x.max() < borne:  # ni NaN, ni infini, ni négatif, ni trop grand : d'un bloc
            c = x * 100  # sur place ensuite : deux tableaux de n lignes au lieu de quatre
            np.rint(c, out=c)
            centimes = c.astype(np.int64)
            np.divide(c, 100, out=c)
            refuses = c != x
            if positif_strict:
                refuses |= centimes == 0
            if refuses.any():
                centimes[refuses] = 0
            return centimes, np.zeros(n, dtype=bool), refuses
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
        unite, pas = np.datetime_data(v.dtype)
        par_jour = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                    "ns": 86_400_000_000_000}.get(unite)
        if par_jour is None or pas != 1:
            nat = np.isnat(v)
            jours_d = v.astype("datetime64[D]")
            return np.where(nat, 0, jours_d.astype(np.int64)), nat, ~nat & (jours_d.astype(v.dtype) != v)
        x = v.view(np.int64)
        # Division entière par une constante (rapide, contrairement à divmod), reste retrouvé par un produit.
        jours = x // par_jour
        avec_heure = jours * par_jour != x
        nat = x == np.iinfo(np.int64).min if len(x) and x.min() == np.iinfo(np.int64).min else np.zeros(len(x), dtype=bool)
        if nat.any():
            jours[nat], avec_heure[nat] = 0, False
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
        return np.broadcast_to(np.int8(defaut_code), n), np.zeros(n, dtype=bool)

    def lire(u):
        if isinstance(u, str) and u in acceptes:
            return acceptes.index(u)
        raise ErreurSaisie("", "")

    codes, lues, vides, refuses = _par_valeur(s, lire, natifs=True)  # les codes ne servent qu'à lire la table
    table = np.array([defaut_code if c is None else c for c in lues] + [defaut_code if vide_code is None else vide_code],
                     dtype=np.int8)  # des rangs dans ``acceptes`` : un octet par ligne
    if np.array_equal(table[:-1], np.arange(len(lues))) and (vide_code is None or table[-1] == -1):
        # Catégories dans l'ordre de ``acceptes`` (les tables de reimb.population) : le code est le rang, sans
        # table à relire ; un vide (−1) reste −1, ou devient defaut_code ci-dessous (refusé, sans vide_code).
        resultat = codes.astype(np.int8)
    else:
        resultat = table[codes]  # valeur refusée → defaut_code ; vide → vide_code (ou refusée, sans vide_code)
    if vide_code is None:
        refuses = refuses | vides
    if refuses.any():
        resultat[refuses] = defaut_code
    return resultat, refuses


def _secteurs(s: pd.Series, n: int):
    """(secteur 1/2/3, refusés) : comme Medecin, un nombre égal à 1, 2 ou 3, jamais un booléen."""
    if is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return np.ones(n, dtype=np.int64), np.ones(n, dtype=bool)
    if is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype) and not s.hasnans:
        v = s.to_numpy().astype(np.int64, copy=False)
        bas, haut = min(modele.SECTEURS), max(modele.SECTEURS)
        if len(v) and bas <= v.min() and v.max() <= haut and modele.SECTEURS == tuple(range(bas, haut + 1)):
            return v.astype(np.int8), np.zeros(n, dtype=bool)
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
        if len(v) and 0 <= v.min() and v.max() <= 130:  # tous lus : deux lectures, aucun masque de n lignes
            return v, np.broadcast_to(False, n)
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
    if vides.strides == (0,) and refuses.strides == (0,) and n:  # une seule formulation : une vue constante
        return codes, lues, np.broadcast_to(~vides[:1] & ~refuses[:1], n), refuses
    return codes, lues, ~vides & ~refuses, refuses

def _decimaux(centimes: np.ndarray, valide: np.ndarray) -> np.ndarray:
    """Des Decimal au centime (``Decimal('18.60')``), un objet par valeur distincte ; None si refusée."""
    if centimes.dtype != object and len(centimes):
        bas = min(int(centimes.min()), 0)  # des montants positifs : les centimes eux-mêmes servent de rang
        etendue = int(centimes.max()) - bas + 1
        if etendue <= max(4 * len(centimes), 1 << 16):  # valeurs distinctes par comptage, sans hachage
            rang = centimes - bas if bas else centimes
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


def _quelque_part(masque) -> bool:
    """Une ligne au moins est vraie ; une vue constante (``numpy.broadcast_to``) : sa première valeur suffit."""
    masque = np.asarray(masque)
    return bool((masque[:1] if masque.ndim and masque.strides == (0,) else masque).any())


def _codes(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype=np.int64)
    return pd.factorize(s, use_na_sentinel=True)[0].astype(np.int64)


def decouper(table: pd.DataFrame, taille: int):
    """Les positions des lignes de chaque morceau (None : un seul morceau, toute la table).

    Sans colonne ``personne``, des tranches de ``taille`` lignes. Avec, des personnes entières, prises dans
    l'ordre de leurs codes, ≈ ``taille`` lignes par morceau (une personne est entière dans le sien) ; dans un
    morceau, les lignes restent dans l'ordre de la table.
    """
    n = len(table)
    if n <= taille:
        return None
    if "personne" not in table.columns:
        return [np.arange(i, min(i + taille, n)) for i in range(0, n, taille)]
    codes = _codes(table["personne"]) + 1  # 0 : personne manquante (ligne refusée, seule dans son groupe)
    compte = np.bincount(codes)
    morceau = ((np.cumsum(compte) - compte) // taille).astype(np.int32)[codes]  # début de la personne // taille
    ordre = np.argsort(morceau, kind="stable")
    bornes = np.searchsorted(morceau[ordre], np.arange(int(morceau.max()) + 2))
    return [ordre[a:b] for a, b in zip(bornes[:-1], bornes[1:]) if b > a]


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


# --- Paramètres datés, pour une colonne de dates -------------------------------------------------------


class Calendrier:
    """Les jours des lignes d'une table, et leur rang dans la plage [premier jour, dernier jour].

    Une table couvre souvent quelques centaines de jours distincts pour des millions de lignes : un
    paramètre est cherché une fois par jour de la plage (:func:`reimb.parametres.valeurs_aux_jours`),
    puis recopié sur les lignes par son rang. Au-delà de 2¹⁶ jours de plage, la recherche se fait ligne à ligne.
    """

    PLAGE_MAX = 1 << 16

    def __init__(self, jours: np.ndarray, bornes: tuple[int, int] | None = None):
        self.jours, self.plage, self._rang = jours, None, None
        if len(jours):
            bas, haut = bornes or (int(jours.min()), int(jours.max()))  # (premier, dernier jour), s'ils sont connus
            if haut - bas < self.PLAGE_MAX:
                self.plage = np.arange(bas, haut + 1, dtype=np.int64)

    @property
    def rang(self) -> np.ndarray:
        """Le rang du jour de chaque ligne dans la plage : calculé à la première valeur qui change dans la plage
        (une table dont les paramètres ne changent pas n'en a pas besoin)."""
        if self._rang is None:
            self._rang = (self.jours - self.plage[0]).astype(np.intp, copy=False)
        return self._rang

    def etaler(self, par_jour: np.ndarray) -> np.ndarray:
        """Des valeurs calculées pour chaque jour de la plage, recopiées sur chaque ligne.

        Une valeur la même sur toute la plage (le cas d'une table d'une année) n'est pas recopiée : une vue
        en lecture seule de longueur n (``numpy.broadcast_to``), sans mémoire ni copie."""
        if len(par_jour) and (par_jour == par_jour[0]).all():
            return np.broadcast_to(par_jour[:1], len(self.jours))
        return par_jour[self.rang]


def chercher(nom: str, cal: Calendrier, en_entier):
    """(valeurs, aucun, hors) du paramètre ``nom`` pour chaque ligne (voir valeurs_aux_jours). Les valeurs de la
    plage de jours sont gardées par (paramètre, plage, scénario, conversion) : une autre table de la même période
    (les graphiques du cours en recalculent une à chaque réglage) ne les cherche plus."""
    if cal.plage is None:
        return valeurs_aux_jours(nom, cal.jours, en_entier)
    par_jour = _valeurs_de_la_plage(nom, int(cal.plage[0]), len(cal.plage), scenario_courant(), en_entier)
    return tuple(cal.etaler(x) for x in par_jour)


@lru_cache(maxsize=512)
def _valeurs_de_la_plage(nom: str, premier: int, jours: int, scenario, en_entier) -> tuple:
    resultat = valeurs_aux_jours(nom, np.arange(premier, premier + jours, dtype=np.int64), en_entier)
    for x in resultat:
        x.flags.writeable = False  # gardés : jamais modifiés par qui les lit
    return resultat


@lru_cache(maxsize=64)
def en_pourcentage(k: int):
    """La conversion d'un pourcentage en entier à l'échelle 10ᵏ (70 % → 70·10ᵏ) : une seule fonction par échelle,
    pour que les valeurs gardées par :func:`chercher` se retrouvent d'une table à l'autre."""

    def pct(d: Decimal) -> int:
        return _exact(d.scaleb(k))

    return pct


# --- Bases : reimb.tarifs.brss une fois par combinaison distincte ----------------------------------------


def _cle(colonnes: list, n: int):
    """(clé, étendue) : des codes entiers (valeur, nombre de valeurs) combinés en une clé entière de [0, étendue),
    de la taille d'un indice (``intp``) : numpy indexe par elle sans la convertir (une copie de moins à chaque lecture).

    Une colonne constante (vue ``numpy.broadcast_to``) n'entre pas dans la clé : elle ne distingue aucune ligne."""
    cle, etendue = None, 1
    for x, d in colonnes:
        if x.ndim != 1 or x.strides == (0,):
            continue
        x = x.view(np.int8) if x.dtype == bool else x
        if cle is None:
            cle = x.astype(np.intp)
        else:  # sur place : une clé, pas un tableau neuf par colonne
            cle *= d
            cle += x
        etendue *= d
    if cle is None:
        cle = np.zeros(n, dtype=np.intp)
    return cle, etendue


def _compacter(cle: np.ndarray, etendue: int, premieres: bool = False):
    """(codes 0…u−1, u) d'une clé entière de [0, etendue) : par comptage si l'étendue est petite, sinon hachage.

    ``premieres`` : rend aussi la position de la première ligne de chaque code (un tableau de u positions)."""
    if etendue <= max(4 * len(cle), 1 << 20):
        if premieres:  # la première position de chaque clé, du même passage qui marque les clés présentes
            premiere = np.full(etendue, -1, dtype=np.int64)
            premiere[cle[::-1]] = np.arange(len(cle) - 1, -1, -1, dtype=np.int64)
            presents = premiere >= 0
        else:
            presents = np.zeros(etendue, dtype=bool)
            presents[cle] = True
        rang = np.cumsum(presents, dtype=np.int32)
        rang -= 1
        resultat = rang[cle], int(rang[-1]) + 1 if etendue else 0
        return (*resultat, premiere[presents]) if premieres else resultat
    codes, uniques = pd.factorize(cle)
    codes = codes.astype(np.int64, copy=False)
    if not premieres:
        return codes, len(uniques)
    premiere = np.full(len(uniques), -1, dtype=np.int64)
    premiere[codes[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype=np.int64)
    return codes, len(uniques), premiere


def _indexer(cle: np.ndarray, etendue: int):
    """(codes, u, lignes) d'une clé entière de [0, etendue) : la clé elle-même quand l'étendue est petite (des
    combinaisons sans ligne ont alors leur code, sans effet : position −1), sinon :func:`_compacter` ; ``lignes`` :
    une ligne de chaque combinaison (toute ligne d'une combinaison a la même base : n'importe laquelle convient)."""
    if etendue > max(len(cle), 1 << 16):
        return _compacter(cle, etendue, premieres=True)
    premiere = np.full(etendue, -1, dtype=np.intp)
    premiere[cle] = np.arange(len(cle), dtype=np.intp)  # une ligne de chaque combinaison (la dernière écrite)
    return cle, etendue, premiere


_MEMO_BASES: dict = {}  # (avec honoraires ?, scénario) → {clé d'une combinaison : base en centimes, ou None (refusée)}
_INCONNUE = object()


def _composantes(e: dict, lignes, parcours, epoque, classe_age, n_epoques: int, n_classes: int) -> list:
    """Ce qui fait une combinaison de :func:`bases`, pour les lignes ``lignes`` : (valeurs, nombre de valeurs
    possibles) de chaque composante — médecin, acte, parcours, époque, classe d'âge —, toujours dans cet ordre."""
    return [(e["dptam"][lignes] + 1, len(modele.DPTAM) + 1), (e["secteur"][lignes], max(modele.SECTEURS) + 1),
            (e["dp"][lignes], 2), (e["spec"][lignes], len(modele.SPECIALITES)), (e["acte"][lignes], len(ACTES)),
            (parcours, 2), (epoque, n_epoques), (classe_age, n_classes)]


def _cles_memo(composantes: list) -> np.ndarray:
    """La clé de mémoire de chaque combinaison : toutes ses composantes en un entier, constantes comprises (la clé
    de :func:`_cle` omet les colonnes constantes d'une table : elle ne vaut que pour cette table)."""
    cle = np.zeros(len(composantes[0][0]), dtype=np.int64)
    for x, d in composantes:
        cle = cle * d + x
    return cle


def _memoriser(avec_honoraires: bool, scenario, cles: list, lire) -> list:
    """La base de chaque clé : gardée par processus et scénario, lue par ``lire(j)`` (rang de la clé) la première
    fois ; None pour une combinaison refusée (:class:`ErreurSaisie`)."""
    memo = _MEMO_BASES.setdefault((avec_honoraires, scenario), {})
    if len(memo) > 100_000:
        memo.clear()
    trouvees = [memo.get(c, _INCONNUE) for c in cles]
    for j in [j for j, b in enumerate(trouvees) if b is _INCONNUE]:  # une première fois dans ce processus
        try:
            b = lire(j)
        except ErreurSaisie:
            b = None
        memo[cles[j]] = trouvees[j] = b
    return trouvees


def _par_combinaison(u: int, ks: np.ndarray, trouvees: list):
    """(base, refusée) de chaque combinaison, en tableaux de ``u`` valeurs."""
    par_combinaison = np.zeros(u, dtype=np.int64)
    refus_combinaison = np.zeros(u, dtype=bool)
    par_combinaison[ks] = [b or 0 for b in trouvees]
    refus_combinaison[ks] = [b is None for b in trouvees]
    return par_combinaison, refus_combinaison


def _scinder_par_honoraires(e: dict, sel, parcours, codes: np.ndarray, u: int, premieres: np.ndarray, scenario):
    """Les combinaisons de :func:`bases` que les honoraires peuvent encore partager : (codes, u, lignes, extra,
    montant_propre) — ``extra`` : 0, ou 1 + le rang des honoraires parmi les tarifs ; à partir du rang
    ``montant_propre``, une combinaison par montant d'honoraires (acte au tarif opposable obligatoire)."""
    extra = np.zeros(u, dtype=np.int64)
    montant_propre = u
    # Des honoraires égaux à un tarif de la table peuvent changer la base (règle du 1er avril 2018) ;
    # tout autre montant donne la même base que le code nu : une combinaison de plus pour eux tous.
    regle_2018 = np.flatnonzero((e["secteur"][sel] != 3) & ~e["ligne_dptam"][sel] & parcours[sel])
    if len(regle_2018):
        connus = tarifs_de_la_table(scenario)
        hon = e["hon"][sel][regle_2018]
        i = np.minimum(np.searchsorted(connus, hon), len(connus) - 1)
        rang = np.where(connus[i] == hon, i + 2, 1)
        sous, v, prem = _compacter(codes[regle_2018] * (len(connus) + 2) + rang, u * (len(connus) + 2), True)
        premieres[codes[regle_2018]] = -1  # des combinaisons entières (leur clé le dit) : vidées, puis remplacées
        premieres = np.concatenate([premieres, regle_2018[prem]])
        codes[regle_2018] = u + sous
        extra = np.concatenate([extra, np.zeros(v, dtype=np.int64)])
        extra[codes[regle_2018]] = rang
        u += v
    # Un acte au tarif opposable obligatoire (consultation longue) refuse tout autre montant que sa base :
    # chaque montant d'honoraires y est sa propre combinaison (jamais le refus ou l'accord d'une autre ligne).
    oblig = _lignes_opposables(e["acte"][sel], e["spec"][sel])
    if len(oblig):
        montants, m = _compacter_libre(e["hon"][sel][oblig])
        sous, v, prem = _compacter(codes[oblig].astype(np.int64) * m + montants, u * m, True)
        premieres[codes[oblig]] = -1  # des combinaisons entières, elles aussi (acte et spécialité sont dans la clé)
        premieres = np.concatenate([premieres, oblig[prem]])
        extra = np.concatenate([extra, np.zeros(v, dtype=np.int64)])
        extra[u + sous] = extra[codes[oblig]]
        codes[oblig] = u + sous
        montant_propre = u
        u += v
    return codes, u, premieres, extra, montant_propre


def bases(e: dict, besoin: np.ndarray, parcours, *, avec_honoraires: bool, saisie=None, brss=None, fond=None):
    """La base de chaque ligne ``besoin``, lue par :func:`reimb.tarifs.brss` une fois par combinaison distincte.

    La combinaison : médecin (secteur, droit permanent, DPTAM, spécialité), acte, parcours, époque des
    paramètres (les dates entre deux changements de la table), classe d'âge (entre deux seuils d'âge de la
    table des tarifs) et, là où la règle du 1er avril 2018 peut jouer (non-adhérent, dans le parcours),
    les honoraires. Une table réaliste n'en compte que quelques centaines, calculées sur des clés entières
    (comptage, sans hachage) ; chaque combinaison est lue une fois par processus et par scénario (la même base
    pour toute date de l'époque et tout âge de la classe ; des honoraires, seul compte leur rang parmi les tarifs,
    ou leur montant pour un acte au tarif opposable obligatoire). Sans ``avec_honoraires``, c'est le tarif du
    parcours du dépassement autorisé (:func:`reimb.decompte.tarif_du_parcours`) qui est lu ; avec, et toutes les
    lignes cherchées, ce tarif est lu aussi pour les combinaisons hors parcours (gardé dans ``e`` pour
    :func:`tarifs_du_parcours`).
    Rend (valeurs en centimes, refusées) ; hors ``besoin``, la valeur est 0, ou celle de ``fond`` s'il est donné.
    """
    n = len(besoin)
    toutes = bool(np.all(besoin))  # toutes les lignes : des vues, sans copie ni positions
    lignes = None if toutes else np.flatnonzero(besoin)
    if not n or (not toutes and not len(lignes)):
        return np.zeros(n, dtype=np.int64) if fond is None else fond.copy(), np.zeros(n, dtype=bool)
    sel = slice(None) if toutes else lignes
    n_sel = n if toutes else len(lignes)
    scenario = scenario_courant()
    bornes = bornes_epoques(scenario)
    cal = e["cal"]  # l'époque de chaque jour de la plage, recopiée sur les lignes
    if cal.plage is not None:  # l'époque de chaque jour de la plage, lue pour les seules lignes cherchées
        par_jour = np.searchsorted(bornes, cal.plage, side="right").astype(np.int16)
        epoque = np.broadcast_to(par_jour[:1], n_sel) if (par_jour == par_jour[0]).all() \
            else par_jour[cal.rang[sel]]
    else:
        epoque = np.searchsorted(bornes, e["jours"][sel], side="right")
    ages = bornes_ages()
    classe_age = np.searchsorted(ages, np.arange(131), side="right").astype(np.int8)[e["age"][sel]]  # âges de 0 à 130
    n_epoques, n_classes = len(bornes) + 1, len(ages) + 1
    cle, etendue = _cle(_composantes(e, sel, parcours[sel], epoque, classe_age, n_epoques, n_classes), n_sel)
    codes, u, premieres = _indexer(cle, etendue)  # et une ligne de chaque combinaison
    if avec_honoraires:
        codes, u, premieres, extra, montant_propre = _scinder_par_honoraires(e, sel, parcours, codes, u, premieres,
                                                                              scenario)
    else:
        autre, n_autre = _compacter_libre(np.where(saisie[sel], brss[sel], -1))
        if n_autre > 1:
            codes, u, premieres = _compacter(codes.astype(np.int64) * n_autre + autre, u * n_autre, True)
    # Une combinaison sans ligne est sautée ; chaque autre est cherchée dans la mémoire du processus par une clé
    # entière (ses composantes dans un ordre fixe, indépendant de la table), calculée d'un bloc.
    ks = np.flatnonzero(premieres >= 0)
    ps = premieres[ks]
    rs = ps if toutes else lignes[ps]
    pc = parcours[rs]
    cles = _cles_memo(_composantes(e, rs, pc, epoque[ps], classe_age[ps], n_epoques, n_classes))
    # Ce que la ligne lue ajoute : le rang de ses honoraires parmi les tarifs (règle de 2018), et le montant lui-même
    # pour un acte au tarif opposable obligatoire (son refus en dépend) ; pour le DA, la base donnée, s'il y en a une.
    if avec_honoraires:
        precis = np.where(ks >= montant_propre, e["hon"][rs], -1)
        cles_lues = list(zip(cles.tolist(), extra[ks].tolist(), precis.tolist()))
    else:
        cles_lues = list(zip(cles.tolist(), np.where(saisie[rs], brss[rs], -1).tolist()))
    trouvees = _memoriser(avec_honoraires, scenario, cles_lues, lambda j: _base_ligne(
        e, int(rs[j]), bool(pc[j]), avec_honoraires, None if saisie is None else (bool(saisie[rs[j]]), int(brss[rs[j]]))))
    par_combinaison, refus_combinaison = _par_combinaison(u, ks, trouvees)
    if avec_honoraires and toutes:
        # Le tarif du parcours (dépassement autorisé) des combinaisons hors parcours, sans base saisie : la même
        # clé, parcours compris (celui du DA), que dans un appel sans ``avec_honoraires`` ; gardé pour le lot.
        hp = np.flatnonzero(~pc)
        cles_da = _cles_memo(_composantes(e, rs[hp], np.ones(len(hp), dtype=np.int64), epoque[ps[hp]],
                                          classe_age[ps[hp]], n_epoques, n_classes))
        tarifs_da = _memoriser(False, scenario, [(c, -1) for c in cles_da.tolist()],
                               lambda j: _base_ligne(e, int(rs[hp[j]]), True, False, (False, 0)))
        e["_tarif_parcours"] = (codes, *_par_combinaison(u, ks[hp], tarifs_da))
    # Aucune combinaison refusée (le cas courant) : une vue constante plutôt qu'un masque recopié.
    refus = refus_combinaison[codes] if refus_combinaison.any() else np.broadcast_to(False, n_sel)
    if toutes:
        return par_combinaison[codes], refus
    valeurs, refusees = np.zeros(n, dtype=np.int64) if fond is None else fond.copy(), np.zeros(n, dtype=bool)
    valeurs[lignes] = par_combinaison[codes]
    refusees[lignes] = refus
    return valeurs, refusees


def tarifs_du_parcours(e: dict, besoin: np.ndarray, brss: np.ndarray):
    """(tarif du parcours, refusées) : le tarif auquel se mesure le dépassement autorisé, sur les lignes ``besoin``
    (hors parcours) ; ailleurs, la base ``brss``. Lu par :func:`bases` avec les bases quand toutes les lignes y ont
    été cherchées (aucune base saisie) ; sinon, cherché ici pour ces seules lignes."""
    da = e.pop("_tarif_parcours", None)
    if da is None:
        return bases(e, besoin, np.broadcast_to(True, len(besoin)), avec_honoraires=False, saisie=e["saisie"],
                     brss=brss, fond=brss)
    codes, par_combinaison, refus_combinaison = da
    lignes = np.flatnonzero(besoin)
    tarif = brss.copy()
    tarif[lignes] = par_combinaison[codes[lignes]]
    if not refus_combinaison.any():
        return tarif, np.broadcast_to(False, len(besoin))
    refusees = np.zeros(len(besoin), dtype=bool)
    refusees[lignes] = refus_combinaison[codes[lignes]]
    return tarif, refusees


@lru_cache(maxsize=1)
def _opposable_obligatoire() -> np.ndarray:
    """[acte, spécialité] → l'acte se facture au tarif opposable seulement (:func:`reimb.tarifs.tarif_opposable_obligatoire`)."""
    return np.array([[tarifs.tarif_opposable_obligatoire(a, s) for s in modele.SPECIALITES] for a in ACTES], dtype=bool)


def _lignes_opposables(actes: np.ndarray, specialites: np.ndarray) -> np.ndarray:
    """Les lignes d'un acte au tarif opposable obligatoire ; aucune recherche ligne à ligne si aucun des actes
    présents ne l'est (le cas d'une table de consultations)."""
    grille = _opposable_obligatoire()
    presents = actes[:1] if actes.strides == (0,) else np.flatnonzero(np.bincount(actes, minlength=len(ACTES)))
    if not len(actes) or not grille[presents].any():
        return np.empty(0, dtype=np.intp)
    return np.flatnonzero(grille.ravel()[actes.astype(np.int16) * np.int16(len(modele.SPECIALITES)) + specialites])


def _compacter_libre(x: np.ndarray):
    """(codes, nombre) d'une colonne entière quelconque : constante sans hachage, sinon pandas.factorize."""
    if not len(x) or (x == x[0]).all():
        return np.zeros(len(x), dtype=np.int64), 1
    codes, uniques = pd.factorize(x)
    return codes.astype(np.int64, copy=False), len(uniques)


def _base_ligne(e: dict, r: int, parcours: bool, avec_honoraires: bool, saisie=None) -> int:
    """La base (ou le tarif du parcours) d'une ligne, en centimes, par reimb.tarifs / reimb.decompte."""
    medecin = _medecin(int(e["secteur"][r]), int(e["dptam"][r]), int(e["spec"][r]), bool(e["dp"][r]))
    acte, age = ACTES[e["acte"][r]], int(e["age"][r])
    jour = date.fromordinal(int(e["jours"][r]) + EPOQUE)
    if avec_honoraires:
        honoraires = Decimal(int(e["hon"][r])).scaleb(-2)
        return _centimes(tarifs.brss(acte, medecin, jour, parcours, honoraires=honoraires, age=age).valeur)
    saisie_, brss = saisie
    base = Decimal(brss).scaleb(-2)
    return _centimes(tarif_du_parcours(acte, medecin, jour, age, base, saisie_)[0])


@lru_cache(maxsize=None)
def _medecin(secteur: int, dptam: int, spec: int, dp: bool) -> modele.Medecin:
    return modele.Medecin(secteur=secteur, dptam=None if dptam < 0 else modele.DPTAM[dptam],
                          specialite=modele.SPECIALITES[spec], droit_permanent=dp)


def acces_direct(actes: np.ndarray, specialites: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """:func:`reimb.tarifs.acces_direct_colonnes` calculé sur la grille (acte, spécialité, âge de 0 à 130), petite,
    puis lu ligne par ligne : le même résultat, sans trier la colonne."""
    na, ns = len(ACTES), len(modele.SPECIALITES)
    grille = np.arange(na * ns * 131, dtype=np.int64)
    par_case = tarifs.acces_direct_colonnes(grille // (ns * 131), grille // 131 % ns, grille % 131)
    if not par_case.any():  # aucune case en accès direct : rien à lire ligne par ligne
        return np.zeros(len(ages), dtype=bool)
    # Le rang de la case, sur 2 octets et calculé sur place (un seul tableau de n lignes).
    case = specialites.astype(np.int16 if na * ns * 131 < 2**15 else np.int64)
    if actes.strides == (0,) and len(actes):  # un seul acte (colonne absente) : un décalage
        case += int(actes[0]) * ns
    else:
        np.add(case, actes.astype(case.dtype) * ns, out=case)
    case *= 131
    np.add(case, ages, out=case, casting="unsafe")  # âges de 0 à 130 (refusés sinon)
    return par_case[case]


# --- Refus du noyau, sur les seules lignes où ils peuvent jouer ------------------------------------------


class _Lignes(dict):
    """Les valeurs du noyau restreintes à quelques lignes, lues à la demande (une colonne par valeur lue)."""

    def __init__(self, v: dict, lignes: np.ndarray):
        super().__init__()
        self._v, self._lignes = v, lignes

    def __missing__(self, cle):
        x = self._v[cle]
        if isinstance(x, np.ndarray) and x.ndim == 1:
            x = x[self._lignes]
        self[cle] = x
        return x


def refus_du_noyau(xp, v: dict, refuser, codes: dict) -> None:
    """Les refus du noyau (:mod:`reimb.regles.controles`), dans leur ordre. Un contrôle à condition préalable
    (``si`` : un dépassement facturé, 13 % des lignes d'une table réaliste) n'est évalué que sur les lignes encore
    valides qui la remplissent : ailleurs sa condition est fausse, le résultat est le même. ``refuser`` : le
    ``_Refus`` du lot ; ``codes`` : le code de refus du lot de chaque contrôle."""
    sous_tables = {}
    for c in CONTROLES:
        if c.si is None:
            refuser(c.condition(xp, v), codes[c.code])
            continue
        if c.si not in sous_tables:
            lignes = np.flatnonzero(np.asarray(c.si(xp, v), dtype=bool) & refuser.valides())
            sous_tables[c.si] = _Lignes(v, lignes)
        sous = sous_tables[c.si]
        if len(sous._lignes):
            refusees = np.asarray(c.condition(xp, sous), dtype=bool)
            if refusees.any():  # le plus souvent, aucune : pas de masque de n lignes
                masque = np.zeros(len(refuser.code), dtype=bool)
                masque[sous._lignes] = refusees
                refuser(masque, codes[c.code])
