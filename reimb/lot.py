"""Le décompte d'une table de consultations : les règles de :func:`reimb.decompte`, par lot, en centimes.

Les courtiers comparent des garanties sur la consommation d'une entreprise, pas sur une consultation :
:func:`decompte_lot` calcule d'un coup les décomptes de toute une table (un ``pandas.DataFrame``).

Mêmes règles, mêmes nombres
    Le calcul est celui de :func:`reimb.decompte`, ligne pour ligne et au centime près (un test de
    propriétés compare les deux moteurs sur des milliers de lignes tirées au hasard). Les taux, tarifs
    et plafonds sont lus dans la même table de paramètres datés (:func:`reimb.parametres.serie`), par
    intervalles de dates (``numpy.searchsorted``) : aucun nombre de la loi n'est écrit ici.

Centimes entiers
    Tout le calcul se fait en **centimes entiers** (``int64``), colonne par colonne avec numpy, sans
    boucle Python par ligne. L'arrondi au centime, demi vers le haut, se fait en entiers :
    ``arrondi(a / b) = (2a + b) // 2b`` pour a ≥ 0 — la règle de :func:`reimb.montants.arrondi`. Les
    pourcentages (taux, niveaux de garantie) sont des entiers à une échelle 10ᵏ choisie pour les rendre
    exacts (k = le plus grand nombre de décimales rencontré, souvent 0 ; 1 pour « 17,5 % »).

Colonnes lues (nommées comme les arguments de :func:`reimb.decompte`)
    ========================  ============================================================================
    ``honoraires``            obligatoire : montant en euros (nombre, ``Decimal`` ou texte « 18,60 »)
    ``date``                  obligatoire : ``datetime.date`` (colonne objet) ou colonne ``datetime64``
                              sans fuseau, à minuit (la façon pandas d'écrire une date)
    ``secteur``               obligatoire : 1, 2 ou 3 (non conventionné)
    ``droit_permanent``       booléen, secteur 1 DP (absent : ``False``)
    ``dptam``                 ``"CAS"``, ``"OPTAM"``, ``"OPTAM-CO"``, ``"OPTAM-ACO"`` ou vide (absent : aucun)
    ``specialite``            ``"generaliste"``, ``"specialiste"``… (absent : ``"generaliste"``)
    ``brss``                  base donnée ; vide (NaN/None) ou absente : lue dans la table des tarifs
    ``acte``                  ``"consultation"`` ou ``"consultation_correspondant"`` (absent : consultation)
    ``parcours``              booléen (absent : ``True``)
    ``age``, ``css``, ``ald``, ``maternite``   le patient (absents : 40 ans, ``False``) ; un âge entier,
                              éventuellement écrit 45.0 dans une colonne de flottants
    ``garantie_dptam``,       niveaux en % de la BRSS, Sécu comprise, ou ``"frais réels"`` ; vides tous
    ``garantie_hors_dptam``   les deux : pas de complémentaire ; un seul des deux : ligne refusée
    ``responsable``           booléen (absent : ``True``) ; ignoré sans complémentaire
    ``personne``              facultatif : identifiant de l'assuré, active le plafond annuel de la
                              participation forfaitaire (voir plus bas)
    ========================  ============================================================================

    Les valeurs par défaut sont celles de :func:`reimb.decompte`, :class:`~reimb.Medecin`,
    :class:`~reimb.Patient` et :class:`~reimb.Garantie`. Les autres colonnes sont conservées telles quelles.

Colonnes ajoutées
    Pour chaque montant — ``brss_appliquee`` (la base retenue), ``amo_brut``,
    ``participation_forfaitaire``, ``participation_forfaitaire_reportee``, ``amo``,
    ``ticket_moderateur``, ``depassement``, ``amc``, ``reste_a_charge`` — deux colonnes exactes :

    - ``<montant>_centimes`` : ``int64``, le nombre entier de centimes (pour calculer : sommes,
      moyennes, regroupements) ;
    - ``<montant>`` : des ``decimal.Decimal`` au centime (``Decimal('18.60')``), les mêmes objets que
      ceux de :func:`reimb.decompte` (pour lire et comparer). ``euros=False`` les omet : c'est la
      seule partie du calcul qui crée un objet Python par valeur (une par valeur *distincte*, en fait).

    Et ``parcours_effectif`` (le parcours retenu : un patient de moins de 16 ans n'est jamais hors
    parcours) et ``plafond_responsable`` (le plafond R.871-2 a réduit la garantie).

Lignes refusées
    Les contrôles sont ceux du moteur (et des classes Medecin, Patient, Garantie), dans le même ordre.
    Par défaut (``erreurs="lever"``), une table qui contient des lignes impossibles lève une
    :class:`ErreurLot` (une :class:`~reimb.ErreurSaisie`) qui liste les premières lignes refusées, la
    colonne en cause et le message du moteur pour cette ligne. Avec ``erreurs="colonne"``, rien n'est
    levé : une colonne ``erreur`` porte le message (vide, ``None``, si la ligne est correcte) et les
    montants de la ligne refusée sont manquants (``<NA>`` dans des colonnes ``Int64``, ``None`` en
    euros) — jamais un NaN silencieux. Une table mal formée (colonne obligatoire absente, colonne de
    sortie déjà présente, option inconnue) lève toujours.

Plafond annuel de la participation forfaitaire (colonne ``personne``)
    Au plus 50 € de participations par personne et par année civile (paramètre daté
    ``participation_forfaitaire.plafond_annuel``). Les consultations d'une personne sont prises **par
    date, puis dans l'ordre des lignes de la table** pour une même date ; la participation d'une
    consultation est ``min(participation, plafond − participations déjà comptées dans l'année)``,
    jamais négative. La participation comptée est celle qui est due, y compris la part « reportée »
    faute de remboursement suffisant. Simplifications : le décret compte les participations à la date
    du *remboursement*, nous prenons la date des soins ; les lignes refusées ne comptent pas ; le
    plafond journalier (4 participations par jour et par professionnel) n'est pas appliqué, la table
    ne disant pas quel professionnel. Sans colonne ``personne``, chaque ligne est traitée seule,
    exactement comme par :func:`reimb.decompte`.

Seuls pandas et numpy sont importés ici ; ``import reimb`` ne charge ce module qu'au premier appel de
``reimb.decompte_lot``.
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
from .decompte import decompte
from .erreurs import ErreurSaisie
from .montants import montant
from .parametres import attribut, couverture, periode, serie

__all__ = ["COLONNES_MONTANTS", "ErreurLot", "decompte_lot"]

COLONNES_MONTANTS = (
    "brss_appliquee", "amo_brut", "participation_forfaitaire", "participation_forfaitaire_reportee",
    "amo", "ticket_moderateur", "depassement", "amc", "reste_a_charge",
)
COLONNES_INDICATEURS = ("parcours_effectif", "plafond_responsable")
OBLIGATOIRES = ("honoraires", "date", "secteur")
PREMIERES_LIGNES = 5  # nombre de lignes refusées citées dans le message d'une ErreurLot

_EPOQUE = date(1970, 1, 1).toordinal()
_JOUR_MAX = np.iinfo(np.int64).max
# Les paramètres exprimés en % : leurs décimales fixent, avec les niveaux de garantie, l'échelle 10ᵏ.
_POURCENTAGES = (
    "taux_amo.consultation", "taux_amo.hors_parcours", "taux_amo.exoneration", "depassement_autorise.taux",
    "contrat_responsable.plafond_depassement_hors_dptam", "contrat_responsable.ecart_minimal_dptam",
)
# Sûrs pour pd.factorize : un booléen dans la colonne changerait ce type inféré (True == 1 pour un hachage).
_TYPES_SANS_BOOLEEN = {"integer", "floating", "mixed-integer-float", "decimal", "string", "empty"}


class ErreurLot(ErreurSaisie):
    """Des lignes refusées dans une table : ``lignes`` liste (étiquette, colonne, message) des premières.

    ``total`` est le nombre de lignes refusées. ``champ`` nomme les colonnes en cause.
    """

    def __init__(self, lignes: list[tuple[object, str, str]], total: int, n: int):
        self.lignes = lignes
        self.total = total
        colonnes = ", ".join(dict.fromkeys(col for _, col, _ in lignes))
        pluriel = "s" if total > 1 else ""
        debut = f"{total} ligne{pluriel} refusée{pluriel} sur {n}"
        if total > len(lignes):
            debut += f" ; les {len(lignes)} premières"
        detail = " ; ".join(f"ligne {etiquette!r} — {msg}" for etiquette, _, msg in lignes)
        super().__init__(
            colonnes,
            f"{debut} : {detail}. Corrigez ces lignes, ou appelez decompte_lot(table, erreurs=\"colonne\") "
            "pour les signaler dans une colonne « erreur » sans interrompre le calcul",
        )


# --- Paramètres datés, par intervalles ---------------------------------------------------------------


def _jour(d: date) -> int:
    return d.toordinal() - _EPOQUE


@lru_cache(maxsize=None)
def _grille(nom: str):
    """(débuts, fins, valeurs) du paramètre ``nom`` ; débuts et fins en jours depuis le 1er janvier 1970."""
    valeurs = serie(nom)
    debuts = np.array([_jour(v.debut) for v in valeurs], dtype=np.int64)
    fins = np.array([_jour(v.fin) if v.fin is not None else _JOUR_MAX for v in valeurs], dtype=np.int64)
    return debuts, fins, tuple(v.valeur for v in valeurs)


class _Calendrier:
    """Les jours des lignes d'une table, et leur rang dans la plage [premier jour, dernier jour].

    Une table couvre souvent quelques centaines de jours distincts pour des millions de lignes : un
    paramètre est cherché une fois par jour de la plage, puis recopié sur les lignes par son rang
    (un seul accès indexé par ligne). Au-delà de 2¹⁶ jours de plage, la recherche se fait ligne à ligne.
    """

    PLAGE_MAX = 1 << 16

    def __init__(self, jours: np.ndarray, plage: np.ndarray | None = None, rang: np.ndarray | None = None):
        self.jours = jours
        if plage is None and len(jours):
            bas, haut = int(jours.min()), int(jours.max())
            if haut - bas < self.PLAGE_MAX:
                plage = np.arange(bas, haut + 1, dtype=np.int64)
                rang = (jours - bas).astype(np.intp, copy=False)
        self.plage, self.rang = plage, rang

    def __len__(self):
        return len(self.jours)

    def sous(self, masque: np.ndarray) -> _Calendrier:
        return _Calendrier(self.jours[masque], self.plage, None if self.rang is None else self.rang[masque])

    def etaler(self, par_jour: np.ndarray) -> np.ndarray:
        """Des valeurs calculées pour chaque jour de la plage, recopiées sur chaque ligne."""
        if par_jour.dtype == bool and not par_jour.any():
            return np.zeros(len(self.jours), dtype=bool)
        return par_jour[self.rang]


def _chercher(nom: str, jours, en_entier):
    """La valeur du paramètre en vigueur chaque jour, convertie en entier par ``en_entier``.

    Rend (valeurs, aucun, hors) : ``aucun`` marque la valeur « aucun » (pas de plafond…), ``hors`` les
    jours que la série ne couvre pas (avant sa première valeur ou après sa fin) — la même recherche
    que :func:`reimb.parametres.parametre` (``bisect_right`` sur les débuts), pour tous les jours à la fois.
    ``jours`` : un tableau de jours depuis 1970, ou un :class:`_Calendrier`.
    """
    if isinstance(jours, _Calendrier):
        if jours.plage is None:
            return _chercher(nom, jours.jours, en_entier)
        v, aucun, hors = _chercher(nom, jours.plage, en_entier)
        return jours.etaler(v), jours.etaler(aucun), jours.etaler(hors)
    debuts, fins, valeurs = _grille(nom)
    i = np.searchsorted(debuts, jours, side="right") - 1
    hors = i < 0
    np.maximum(i, 0, out=i)
    hors |= jours > fins[i]
    entiers = np.array([0 if v is None else en_entier(v) for v in valeurs], dtype=object)
    if all(-(2**62) < e < 2**62 for e in entiers):
        entiers = entiers.astype(np.int64)
    aucun = np.array([v is None for v in valeurs], dtype=bool)
    return entiers[i], aucun[i], hors


_DECALAGE = 20  # jours depuis 1970 < 2²⁰ : une clé (série, jour) tient dans un entier


@lru_cache(maxsize=None)
def _grilles(noms: tuple[str, ...], en_entier):
    """Plusieurs séries réunies en une grille triée de clés ``(rang de la série << 20) + début``.

    Une série absente de la table (``KeyError`` : par ex. une base non établie) est notée inconnue.
    """
    cles, fins, valeurs, inconnues = [], [], [], []
    for rang, nom in enumerate(noms):
        try:
            debuts, fins_s, valeurs_s = _grille(nom)
        except KeyError:
            inconnues.append(True)
            continue
        inconnues.append(False)
        cles.extend((rang << _DECALAGE) + int(d) for d in debuts)
        fins.extend(fins_s.tolist())
        valeurs.extend(0 if v is None else en_entier(v) for v in valeurs_s)
    return (np.array(cles, dtype=np.int64), np.array(fins, dtype=np.int64),
            np.array(valeurs, dtype=np.int64), np.array(inconnues, dtype=bool))


@lru_cache(maxsize=None)
def _seuils_enfant(noms: tuple[str, ...]) -> np.ndarray:
    """L'âge (exclu) sous lequel chaque base « enfant » s'applique ; 0 si la série n'existe pas."""
    seuils = []
    for nom in noms:
        try:
            seuils.append(int(attribut(nom, "age_inferieur_a")))
        except KeyError:
            seuils.append(0)
    return np.array(seuils, dtype=np.int64)


@lru_cache(maxsize=None)
def _fins_2018(noms: tuple[str, ...]) -> np.ndarray:
    """La fin (jours depuis 1970) de chaque série ``noms`` ; sans fin, ou série absente : jamais."""
    fins = []
    for nom in noms:
        try:
            fins.append(int(_grille(nom)[1][-1]))
        except KeyError:
            fins.append(_JOUR_MAX)
    return np.array(fins, dtype=np.int64)


def _chercher_parmi(noms: tuple[str, ...], rangs: np.ndarray, jours, en_entier):
    """Pour chaque ligne, la valeur de la série ``noms[rang]`` au jour donné, en une seule recherche.

    Rend (valeurs, hors, inconnue) : ``inconnue`` marque une série absente de la table.
    ``jours`` : un tableau de jours depuis 1970, ou un :class:`_Calendrier` (une recherche par série
    et par jour de la plage, puis un accès indexé par ligne).
    """
    if isinstance(jours, _Calendrier):
        plage = jours.plage
        if plage is None or len(noms) * len(plage) > (1 << 22):
            return _chercher_parmi(noms, rangs, jours.jours, en_entier)
        tous = np.repeat(np.arange(len(noms), dtype=np.int64), len(plage))
        v, hors, inconnue = _chercher_parmi(noms, tous, np.tile(plage, len(noms)), en_entier)
        case = rangs * len(plage) + jours.rang
        return v[case], hors[case], inconnue[case]
    cles, fins, valeurs, inconnues = _grilles(noms, en_entier)
    inconnue = inconnues[rangs]
    if not len(cles):
        return np.zeros(len(rangs), dtype=np.int64), ~inconnue, inconnue
    j = np.clip(jours, 0, (1 << _DECALAGE) - 1)
    i = np.searchsorted(cles, (rangs << _DECALAGE) + j, side="right") - 1
    hors = i < 0
    np.maximum(i, 0, out=i)
    hors |= ((cles[i] >> _DECALAGE) != rangs) | (jours > fins[i]) | (jours != j)
    return valeurs[i], hors & ~inconnue, inconnue


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
    """(codes, niveaux lus, présents, refusés) d'une colonne de niveaux de garantie (lus par modele.niveau)."""
    if s is None:
        return np.full(n, -1, dtype=np.int64), [], np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    codes, lues, vides, refuses = _par_valeur(s, lambda u: modele.niveau(_py(u), champ))
    return codes, lues, ~vides & ~refuses, refuses


# --- Arithmétique entière -------------------------------------------------------------------------------


def _arrondi_div(num, den):
    """``num / den`` arrondi au plus proche, demi vers le haut (num ≥ 0, den > 0) : reimb.montants.arrondi."""
    return (2 * num + den) // (2 * den)


def _plafond_div(num, den):
    """``num / den`` arrondi à l'entier supérieur (num ≥ 0, den > 0)."""
    return (num + den - 1) // den


# --- Le calcul ------------------------------------------------------------------------------------------


# Chaque contrôle : (colonne en cause, message propre au calcul par lot ou None = message du moteur).
_CONTROLES = [None]


def _controle(colonne: str, message: str | None = None) -> int:
    _CONTROLES.append((colonne, message))
    return len(_CONTROLES) - 1


# Dans l'ordre où le moteur les fait : Medecin, Patient, Garantie, puis reimb.decompte.
C_SECTEUR = _controle("secteur")
C_DP = _controle("droit_permanent")
C_DPTAM = _controle("dptam")
C_SPECIALITE = _controle("specialite")
C_DP_SECTEUR = _controle("droit_permanent")
C_DPTAM_SECTEUR = _controle("dptam")
C_AGE = _controle("age")
C_CSS = _controle("css")
C_ALD = _controle("ald")
C_MATERNITE = _controle("maternite")
C_G_DPTAM = _controle("garantie_dptam")
C_G_HORS = _controle("garantie_hors_dptam")
C_RESPONSABLE = _controle("responsable")
C_G_INCOMPLETE = _controle(
    "garantie_dptam, garantie_hors_dptam",
    "garantie incomplète : un seul des deux niveaux est donné (valeurs acceptées : les deux niveaux, "
    "en % de la BRSS ou « frais réels », ou aucun des deux pour « pas de complémentaire »)",
)
C_DATE = _controle("date")
C_DATE_HEURE = _controle(
    "date",
    "la date porte une heure autre que minuit : une date de soins est un jour (valeurs acceptées : "
    "des datetime.date, ou une colonne datetime64 à minuit, par ex. table['date'].dt.normalize())",
)
C_PARCOURS = _controle("parcours")
C_ACTE = _controle("acte")
C_HONORAIRES = _controle("honoraires")
C_DPTAM_DATE = _controle("dptam")
C_PARAM = _controle("date")  # une règle que la table des paramètres ne donne pas à cette date
C_BRSS = _controle("brss")
C_BASE_INCONNUE = _controle("brss")  # base non établie dans la table des tarifs : donnez-la
C_HONORAIRES_REGLE = _controle("honoraires")
C_PERSONNE = _controle(
    "personne",
    "personne manquante : le plafond annuel de la participation forfaitaire se compte par personne "
    "(valeurs acceptées : un identifiant par assuré, ou pas de colonne « personne »)",
)


def decompte_lot(table: pd.DataFrame, *, erreurs: str = "lever", euros: bool = True) -> pd.DataFrame:
    """Les décomptes de toute une table de consultations, en centimes exacts (voir le module).

    ``erreurs`` : ``"lever"`` (par défaut : :class:`ErreurLot` si une ligne est refusée) ou
    ``"colonne"`` (une colonne ``erreur`` signale les lignes refusées). ``euros`` : ajouter les colonnes
    en ``Decimal`` (par défaut) en plus des colonnes ``_centimes``.
    Rend une nouvelle table : les colonnes d'entrée, puis les colonnes calculées.

    >>> import pandas as pd
    >>> from datetime import date
    >>> t = pd.DataFrame({"honoraires": [50, 50], "date": [date(2016, 3, 1)] * 2, "secteur": 2,
    ...                   "dptam": ["CAS", None], "specialite": "specialiste", "age": 45,
    ...                   "garantie_dptam": 125, "garantie_hors_dptam": 125})
    >>> decompte_lot(t)[["brss_appliquee", "amo", "amc", "reste_a_charge", "plafond_responsable"]]
      brss_appliquee    amo    amc reste_a_charge  plafond_responsable
    0          28.00  18.60  15.40          16.00                False
    1          23.00  15.10   8.05          26.85                 True

    (Ligne 1 : contrat responsable, non adhérent plafonné à 125 − 20 = 105 % de 23 €, soit 24,15 − 16,10.)
    """
    if not isinstance(table, pd.DataFrame):
        raise ErreurSaisie("table", f"{type(table).__name__} n'est pas un DataFrame", "un pandas.DataFrame, une ligne par consultation")
    if erreurs not in ("lever", "colonne"):
        raise ErreurSaisie("erreurs", f"{erreurs!r} n'est pas une option", "\"lever\" ou \"colonne\"")
    if not isinstance(euros, bool):
        raise ErreurSaisie("euros", f"{euros!r} n'est pas un booléen", "True ou False")
    manquantes = [c for c in OBLIGATOIRES if c not in table.columns]
    if manquantes:
        raise ErreurSaisie("table", f"colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}",
                           "une table avec au moins les colonnes honoraires, date et secteur")
    sorties = [f"{m}_centimes" for m in COLONNES_MONTANTS] + list(COLONNES_INDICATEURS) + ["erreur"]
    if euros:
        sorties += list(COLONNES_MONTANTS)
    deja = [c for c in sorties if c in table.columns]
    if deja:
        raise ErreurSaisie("table", f"colonne(s) déjà présente(s), que le décompte écrirait : {', '.join(deja)}",
                           "une table sans ces colonnes (retirez-les, par ex. table.drop(columns=[…]))")
    inconnues = [c for c in table.columns if isinstance(c, str) and c.startswith("garantie")
                 and c not in ("garantie_dptam", "garantie_hors_dptam")]
    if inconnues:
        raise ErreurSaisie("table", f"colonne(s) de garantie inconnue(s) : {', '.join(inconnues)}",
                           "garantie_dptam et garantie_hors_dptam")

    n = len(table)
    col = table.get
    code = np.zeros(n, dtype=np.int16)

    def refuser(masque, controle):
        if np.any(masque):  # le plus souvent, aucune ligne : une lecture, pas d'écriture
            code[(code == 0) & masque] = controle

    # --- Medecin --------------------------------------------------------------------------------
    secteur, bad = _secteurs(table["secteur"], n)
    refuser(bad, C_SECTEUR)
    dp, bad = _booleens(col("droit_permanent"), False, n)
    refuser(bad, C_DP)
    dptam, bad = _choix(col("dptam"), modele.DPTAM, n, defaut_code=-1, vide_code=-1)  # −1 : aucun
    refuser(bad, C_DPTAM)
    specialites = modele.SPECIALITES
    spec, bad = _choix(col("specialite"), specialites, n, defaut_code=specialites.index("generaliste"), vide_code=None)
    refuser(bad, C_SPECIALITE)
    a_dptam = dptam >= 0
    refuser(dp & (secteur != 1), C_DP_SECTEUR)
    refuser((secteur == 3) & a_dptam, C_DPTAM_SECTEUR)
    refuser((secteur == 1) & ~dp & a_dptam, C_DPTAM_SECTEUR)
    conventionne = secteur != 3
    peut_depasser = (secteur != 1) | dp
    ligne_dptam = a_dptam | ((secteur == 1) & ~dp)

    # --- Patient --------------------------------------------------------------------------------
    age, bad = _ages(col("age"), n)
    refuser(bad, C_AGE)
    defauts_patient = modele.Patient()
    css, bad = _booleens(col("css"), defauts_patient.css, n)
    refuser(bad, C_CSS)
    ald, bad = _booleens(col("ald"), defauts_patient.ald, n)
    refuser(bad, C_ALD)
    maternite, bad = _booleens(col("maternite"), defauts_patient.maternite, n)
    refuser(bad, C_MATERNITE)

    # --- Garantie -------------------------------------------------------------------------------
    cd_d, niv_d, present_d, bad = _niveaux(col("garantie_dptam"), "garantie.dptam", n)
    refuser(bad, C_G_DPTAM)
    cd_h, niv_h, present_h, bad = _niveaux(col("garantie_hors_dptam"), "garantie.hors_dptam", n)
    refuser(bad, C_G_HORS)
    garantie = present_d & present_h
    responsable, bad = _booleens(col("responsable"), modele.Garantie().responsable, n)
    refuser(bad & garantie, C_RESPONSABLE)
    refuser(present_d ^ present_h, C_G_INCOMPLETE)

    # --- Date, parcours, honoraires ---------------------------------------------------------------
    jours, bad, avec_heure = _jours(table["date"], n)
    refuser(bad, C_DATE)
    refuser(avec_heure, C_DATE_HEURE)
    debut, fin = couverture()
    refuser((jours < _jour(debut)) | (jours > _jour(fin)), C_DATE)
    cal = _Calendrier(jours)
    parcours, bad = _booleens(col("parcours"), True, n)
    refuser(bad, C_PARCOURS)
    actes = tarifs.ACTES
    acte, bad = _choix(col("acte"), actes, n, defaut_code=actes.index("consultation"), vide_code=None)
    refuser(bad, C_ACTE)
    hon, vides, bad = _montants(table["honoraires"], "honoraires", n)
    refuser(vides | bad, C_HONORAIRES)
    for i, nom in enumerate(modele.DPTAM):
        d0, d1, _, _ = periode(f"dptam.{nom}")
        hors = (jours < _jour(d0)) | ((jours > _jour(d1)) if d1 is not None else False)
        refuser((dptam == i) & hors, C_DPTAM_DATE)

    # --- Parcours de soins effectif ---------------------------------------------------------------
    age_hp, _, hors = _chercher("taux_amo.age_hors_parcours", cal, math.ceil)
    refuser(~parcours & hors, C_PARAM)
    pe = parcours | (age < age_hp)

    # --- Base de remboursement ------------------------------------------------------------------
    # Catégorie de tarif (reimb.tarifs.categorie) : 0 opposable, 1 hors parcours, 2 hors DPTAM, 3 autorité.
    categories = ("opposable", "opposable_hors_parcours", "hors_dptam", "autorite")
    cat = np.where(secteur == 3, 3, np.where(ligne_dptam, np.where(pe, 0, 1), 2))
    brss_donnee, brss_vide, bad = _montants(col("brss"), "brss", n, positif_strict=True)
    saisie = ~brss_vide
    refuser(saisie & bad, C_BRSS)

    # Une série de tarifs par (acte, spécialité, catégorie) : tarifs.<acte>.<spécialité>.<catégorie>.
    combinaisons = [(a, s_, c) for a in actes for s_ in specialites for c in categories]
    noms_tarifs = tuple(f"{tarifs.cle_serie(a, s_)}.{c}" for a, s_, c in combinaisons)
    noms_2018 = tuple(f"{tarifs.cle_serie(a, s_)}.hors_dptam_opposable" for a, s_, c in combinaisons)
    rang_tarif = (acte * len(specialites) + spec) * len(categories)

    def tarif(categorie_ligne, besoin, regle_2018):
        """La base des tarifs (centimes) pour les lignes ``besoin`` (reimb.tarifs.brss).

        ``regle_2018`` : un non-adhérent qui facture, dans le parcours, exactement la base « au tarif
        opposable » du jour a cette base (règle du 1er avril 2018) ; sinon le code nu.
        """
        valeurs = np.zeros(n, dtype=np.int64)
        if not besoin.any():
            return valeurs
        rangs = (rang_tarif + categorie_ligne)[besoin]
        cal_besoin = cal.sous(besoin)
        v, hors, inconnue = _chercher_parmi(noms_tarifs, rangs, cal_besoin, _centimes)
        if regle_2018:
            candidat = (categorie_ligne[besoin] == categories.index("hors_dptam")) & pe[besoin]
            v18, hors18, inconnue18 = _chercher_parmi(noms_2018, rangs, cal_besoin, _centimes)
            regle = candidat & ~hors18 & ~inconnue18 & (hon[besoin] == v18)
            v = np.where(regle, v18, v)
            hors &= ~regle
            inconnue &= ~regle
            # Après la fin d'une série « au tarif opposable », des honoraires égaux à la base du secteur 1
            # ne sont pas devinés : refus qui demande la base (reimb.tarifs.brss).
            apres = candidat & ~inconnue18 & (cal_besoin.jours > _fins_2018(noms_2018)[rangs])
            if apres.any():
                rangs_s1 = rang_tarif[besoin]  # catégorie 0 : « opposable » (secteur 1)
                v_s1, hors_s1, inconnue_s1 = _chercher_parmi(noms_tarifs, rangs_s1, cal_besoin, _centimes)
                refuser(_etendre(besoin, apres & ~hors_s1 & ~inconnue_s1 & (hon[besoin] == v_s1)), C_BASE_INCONNUE)
        valeurs[besoin] = v
        refuser(_etendre(besoin, inconnue), C_BASE_INCONNUE)
        refuser(_etendre(besoin, hors), C_PARAM)
        return valeurs

    brss = np.where(saisie, brss_donnee, tarif(cat, ~saisie & (code == 0), True))
    # Jeune enfant chez le généraliste (secteur 1 / DPTAM) : sa base propre là où la table la donne
    # (reimb.tarifs.brss, « opposable_moins_de_6_ans ») ; ailleurs, la base ordinaire.
    noms_enfant = tuple(f"{tarifs.cle_serie(a, s_)}.opposable_moins_de_6_ans" for a in actes for s_ in specialites)
    rang_enfant = acte * len(specialites) + spec
    enfant = ~saisie & (code == 0) & (cat == 0) & (age < _seuils_enfant(noms_enfant)[rang_enfant])
    if enfant.any():
        v_e, hors_e, inconnue_e = _chercher_parmi(noms_enfant, rang_enfant[enfant], cal.sous(enfant), _centimes)
        brss[enfant] = np.where(~hors_e & ~inconnue_e, v_e, brss[enfant])
    refuser(hon < brss, C_HONORAIRES_REGLE)
    dep = hon - brss
    a_dep = dep > 0
    refuser(a_dep & css & conventionne, C_HONORAIRES_REGLE)
    s1_dep = a_dep & ~peut_depasser
    refuser(s1_dep & pe, C_HONORAIRES_REGLE)
    refuser(s1_dep & ~pe & (spec == specialites.index("generaliste")), C_HONORAIRES_REGLE)

    # --- Paramètres datés (les refus « date » sont appliqués plus bas, dans l'ordre du moteur) --------
    hp = ~pe
    lus = [x for x in niv_d + niv_h if isinstance(x, Decimal)]
    k = max([_decimales(v.valeur) for nom in _POURCENTAGES for v in serie(nom) if v.valeur is not None]
            + [_decimales(x) for x in lus] + [0])
    P = 10**k  # échelle des pourcentages : 70 % → 70·P

    def pct(d):
        return _exact(d.scaleb(k))

    da, _, hors_da = _chercher("depassement_autorise.taux", cal, pct)
    t_normal, _, hors_tn = _chercher("taux_amo.consultation", cal, pct)
    t_hp, _, hors_thp = _chercher("taux_amo.hors_parcours", cal, pct)
    t_exo, _, hors_texo = _chercher("taux_amo.exoneration", cal, pct)
    pf_montant, _, hors_pf = _chercher("participation_forfaitaire.montant", cal, _centimes)
    age_pf, _, hors_age_pf = _chercher("participation_forfaitaire.age_exoneration", cal, math.ceil)
    dep_max, dep_aucun, hors_dep = _chercher("contrat_responsable.plafond_depassement_hors_dptam", cal, pct)
    ecart, ecart_aucun, hors_ecart = _chercher("contrat_responsable.ecart_minimal_dptam", cal, pct)

    def niveaux_lignes(codes, lus_):
        fr = np.array([x == modele.FRAIS_REELS for x in lus_] + [False], dtype=bool)
        entiers = np.array([pct(x) if isinstance(x, Decimal) else 0 for x in lus_] + [0], dtype=object)
        if all(e < 2**62 for e in entiers):
            entiers = entiers.astype(np.int64)
        return entiers[codes], fr[codes]

    niv_dptam, fr_dptam = niveaux_lignes(cd_d, niv_d)
    niv_hors, fr_hors = niveaux_lignes(cd_h, niv_h)

    # Entiers 64 bits tant que les produits y tiennent (toujours, pour des montants réalistes) ;
    # au-delà, entiers Python exacts (tableaux d'objets) plutôt qu'un débordement silencieux.
    h_max = max(int(np.max(hon)) if n else 0, int(np.max(brss)) if n else 0, 1)
    p_max = max([100 * P] + [int(np.max(a)) for a in (niv_dptam, niv_hors, dep_max, da, t_normal, t_hp, t_exo) if len(a)])
    if not 8 * h_max * (p_max + 100 * P) < 2**62:
        hon, brss, niv_dptam, niv_hors = (np.asarray(a).astype(object) for a in (hon, brss, niv_dptam, niv_hors))
        dep = hon - brss
    zero = hon * 0
    cent = 100 * P

    # --- Dépassement autorisé hors parcours (reimb.decompte : tarif *du parcours* + 17,5 %, à l'euro sup.)
    refuser(hp & hors_da, C_PARAM)
    cat_parcours = np.where(cat == 1, 0, cat)
    tarif_parcours = np.where(saisie, brss, tarif(cat_parcours, ~saisie & hp & (code == 0), False))
    # Base saisie égale à celle de la table (hors parcours ou parcours) : le tarif du parcours de la
    # table (reimb.decompte) ; sinon la base saisie en tient lieu. Lecture sans refus.
    m = saisie & hp & (code == 0)
    if m.any():
        cal_m = cal.sous(m)
        v_h, hors_h, inc_h = _chercher_parmi(noms_tarifs, (rang_tarif + cat)[m], cal_m, _centimes)
        v_p, hors_p, inc_p = _chercher_parmi(noms_tarifs, (rang_tarif + cat_parcours)[m], cal_m, _centimes)
        connu = ~hors_h & ~inc_h & ~hors_p & ~inc_p & ((brss[m] == v_h) | (brss[m] == v_p))
        tarif_parcours[m] = np.where(connu, v_p, brss[m])
    maximum = 100 * _plafond_div(tarif_parcours * (cent + da), cent * 100)
    # DA : spécialistes conventionnés seulement (reimb.decompte, art. 37.1).
    da_possible = hp & conventionne & (spec != specialites.index("generaliste"))
    da_max = np.where(da_possible, np.maximum(maximum - brss, 0), zero)
    refuser(s1_dep & hp & (hon > maximum), C_HONORAIRES_REGLE)

    # --- Taux AMO, remboursement Sécu avant participation, ticket modérateur ------------------------
    refuser(hors_tn, C_PARAM)
    refuser(hp & hors_thp, C_PARAM)
    exonere = pe & (ald | maternite)
    refuser(exonere & hors_texo, C_PARAM)
    t = np.where(hp, t_hp, np.where(exonere, t_exo, t_normal))
    t_ref = np.where(exonere, t_exo, t_normal)
    amo_brut = _arrondi_div(brss * t, cent)
    tm = brss - amo_brut
    majoration = np.where(t < t_ref, _arrondi_div(brss * np.maximum(t_ref - t, 0), cent), zero)

    # --- Participation forfaitaire -----------------------------------------------------------------
    refuser(hors_pf, C_PARAM)
    refuser(hors_age_pf, C_PARAM)
    pf = np.where((age < age_pf) | css | maternite, 0, pf_montant)

    # --- Complémentaire : niveau de la ligne, plafond du contrat responsable, montant garanti ---------
    a_plafonner = garantie & ~css & responsable & ~ligne_dptam
    refuser(a_plafonner & hors_dep, C_PARAM)
    refuser(a_plafonner & hors_ecart, C_PARAM)
    niv = np.where(ligne_dptam, niv_dptam, niv_hors)
    fr = np.where(ligne_dptam, fr_dptam, fr_hors)
    limite_1 = cent + dep_max
    limite_2 = np.maximum(cent, niv_dptam - ecart)
    plafond = np.where(~fr_dptam & ~ecart_aucun & (limite_2 < limite_1), limite_2, limite_1)
    plafonne = a_plafonner & ~dep_aucun & (fr | (niv > plafond))
    niv = np.where(plafonne, plafond, niv)
    fr = fr & ~plafonne
    garanti = np.where(fr, hon, _arrondi_div(brss * niv, cent))
    couvert = np.minimum(garanti, hon)  # principe indemnitaire
    exclusions = responsable & hp  # R.871-1 : ni la majoration hors parcours, ni le DA
    couvert = np.where(exclusions, np.minimum(couvert, hon - np.minimum(dep, da_max)), couvert)
    amc_garantie = np.maximum(couvert - amo_brut - np.where(exclusions, majoration, zero), 0)
    amc = np.where(css, tm, np.where(garantie, amc_garantie, zero))

    # Plafond annuel de la participation forfaitaire, par personne et par année civile.
    valide = code == 0
    if "personne" in table.columns:
        personne = table["personne"]
        if isinstance(personne.dtype, pd.CategoricalDtype):
            codes_p = personne.cat.codes.to_numpy(dtype=np.int64)
        else:
            codes_p, _ = pd.factorize(personne, use_na_sentinel=True)
        refuser(codes_p < 0, C_PERSONNE)
        valide = code == 0
        pf, hors = _plafond_annuel(np.where(valide, pf, 0), cal, codes_p, valide)
        refuser(hors, C_PARAM)
        valide = code == 0

    pf_retenue = np.minimum(pf, amo_brut)
    pf_reportee = pf - pf_retenue
    amo = amo_brut - pf_retenue
    reste = hon - amo - amc

    montants = {
        "brss_appliquee": brss, "amo_brut": amo_brut, "participation_forfaitaire": pf,
        "participation_forfaitaire_reportee": pf_reportee, "amo": amo, "ticket_moderateur": tm,
        "depassement": dep, "amc": amc, "reste_a_charge": reste,
    }
    return _assembler(table, montants, pe, plafonne & garantie, code, valide, erreurs, euros)


def _etendre(masque: np.ndarray, sous: np.ndarray) -> np.ndarray:
    """Un masque sur les lignes ``masque`` (de la taille de ``masque.sum()``) étendu à toute la table."""
    m = np.zeros(len(masque), dtype=bool)
    m[masque] = sous
    return m


def _plafond_annuel(pf, cal: _Calendrier, personnes, valide):
    """Participations après le plafond annuel par personne (ordre : date, puis ordre des lignes).

    Rend (participations, hors) : ``hors`` marque les jours que le paramètre ne couvre pas. Seuls les
    couples (personne, année) dont le total dépasse le plafond sont triés : les autres ne changent pas.
    """
    n = len(pf)
    jours = cal.jours
    plafond, _, hors = _chercher("participation_forfaitaire.plafond_annuel", cal, _centimes)
    if n == 0:
        return pf, hors
    debuts, _, _ = _grille("participation_forfaitaire.plafond_annuel")
    if any(date.fromordinal(int(d) + _EPOQUE).timetuple().tm_yday != 1 for d in debuts):
        # Le calcul suppose un plafond constant sur une année civile : un changement en cours d'année
        # demanderait une règle de transition que les sources ne donnent pas.
        raise NotImplementedError("plafond annuel de la participation forfaitaire modifié en cours d'année")
    if cal.plage is not None:  # l'année de chaque jour de la plage, recopiée sur les lignes
        annee = cal.etaler(cal.plage.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64))
    else:
        annee = jours.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    annee = annee - annee.min()
    groupe = np.where(valide, np.maximum(personnes, 0) * (int(annee.max()) + 1) + annee, 0)
    total = np.zeros(int(groupe.max()) + 1 if len(groupe) else 1, dtype=np.int64)
    np.add.at(total, groupe, np.where(valide, pf, 0).astype(np.int64))  # en centimes entiers, pas en flottants
    a_trier = np.flatnonzero(valide & (total[groupe] > plafond))
    if not len(a_trier):
        return pf, hors
    ordre = a_trier[np.lexsort((a_trier, jours[a_trier], groupe[a_trier]))]
    g_o, pf_o = groupe[ordre], pf[ordre]
    cumul = np.cumsum(pf_o)
    nouveau = np.ones(len(ordre), dtype=bool)
    nouveau[1:] = g_o[1:] != g_o[:-1]
    depart = np.maximum.accumulate(np.where(nouveau, np.arange(len(ordre)), 0))
    deja = cumul - pf_o - (cumul[depart] - pf_o[depart])  # participations déjà comptées, même personne et année
    resultat = pf.copy()
    resultat[ordre] = np.clip(plafond[ordre] - deja, 0, pf_o)
    return resultat, hors


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


def _assembler(table, montants, pe, plafonne, code, valide, erreurs, euros):
    n = len(table)
    tout_valide = bool(valide.all())
    if not tout_valide and erreurs == "lever":
        positions = np.flatnonzero(~valide)
        lignes = [
            (table.index[i], _CONTROLES[code[i]][0], _message(table, i, int(code[i])))
            for i in positions[:PREMIERES_LIGNES]
        ]
        raise ErreurLot(lignes, len(positions), n)
    nouvelles = {}
    if euros:
        for nom, v in montants.items():
            nouvelles[nom] = _decimaux(v, valide)
    for nom, v in montants.items():
        if erreurs == "colonne":
            if v.dtype == object:  # entiers Python (montants démesurés) : None pour une ligne refusée
                nouvelles[f"{nom}_centimes"] = np.where(valide, v, None)
            else:
                entiers = pd.array(v, dtype="Int64")
                entiers[~valide] = pd.NA
                nouvelles[f"{nom}_centimes"] = entiers
        else:
            nouvelles[f"{nom}_centimes"] = v
    if erreurs == "colonne":
        for nom, v in (("parcours_effectif", pe), ("plafond_responsable", plafonne)):
            indicateur = pd.array(v, dtype="boolean")
            indicateur[~valide] = pd.NA
            nouvelles[nom] = indicateur
        messages = np.full(n, None, dtype=object)
        rejetees = np.flatnonzero(~valide)
        messages[rejetees] = _messages(table, rejetees, code[rejetees])
        nouvelles["erreur"] = messages
    else:
        nouvelles["parcours_effectif"] = pe
        nouvelles["plafond_responsable"] = plafonne
    ajout = pd.DataFrame(nouvelles, index=table.index, copy=False)  # sans recopier les colonnes en un bloc
    if erreurs == "colonne":  # object : None (pas NaN) pour une ligne correcte
        ajout["erreur"] = pd.Series(messages, index=table.index, dtype=object)
    return pd.concat([table, ajout], axis=1)


def _messages(table: pd.DataFrame, lignes: np.ndarray, controles: np.ndarray) -> np.ndarray:
    """Les messages des lignes refusées, le moteur scalaire rejoué une fois par ligne *distincte*.

    Deux lignes aux mêmes valeurs, refusées par le même contrôle, ont le même message : les lignes
    sont regroupées par une empreinte de leurs valeurs (``pandas.util.hash_pandas_object``).
    """
    if not len(lignes):
        return np.empty(0, dtype=object)
    try:
        empreintes = pd.util.hash_pandas_object(table.iloc[lignes], index=False).to_numpy()
    except (TypeError, ValueError):  # valeurs qu'on ne sait pas hacher : une ligne à la fois
        return np.array([_message(table, int(i), int(c)) for i, c in zip(lignes, controles)], dtype=object)
    groupes, uniques = pd.factorize(pd.MultiIndex.from_arrays([empreintes, controles]))
    premieres = np.full(len(uniques), -1, dtype=np.int64)
    premieres[groupes[::-1]] = np.arange(len(groupes))[::-1]  # la première ligne de chaque groupe
    textes = np.array([_message(table, int(lignes[k]), int(controles[k])) for k in premieres], dtype=object)
    return textes[groupes]


def _message(table: pd.DataFrame, i: int, controle: int) -> str:
    """Le message d'une ligne refusée : celui du moteur scalaire pour cette ligne, mot pour mot.

    La ligne est rejouée par :func:`reimb.decompte` (qui lève l'ErreurSaisie) : les deux moteurs
    disent la même chose. Les contrôles propres au lot (date avec heure, garantie incomplète,
    personne manquante) ont leur message.
    """
    colonne, propre = _CONTROLES[controle]
    if propre is not None:
        return f"{colonne} : {propre}"
    ligne = table.iloc[i]
    try:
        appeler_moteur(ligne)
    except ErreurSaisie as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 — le moteur ne devrait lever que des ErreurSaisie
        return f"{colonne} : ligne refusée ({type(e).__name__} : {e})"
    return f"{colonne} : ligne refusée par le calcul par lot mais acceptée par reimb.decompte (écart à signaler)"


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
