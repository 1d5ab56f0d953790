"""Le décompte d'une table de consultations : les règles de :func:`reimb.decompte`, par lot, en centimes.

Les courtiers comparent des garanties sur la consommation d'une entreprise, pas sur une consultation :
:func:`decompte_lot` calcule d'un coup les décomptes de toute une table (un ``pandas.DataFrame``).

Mêmes règles, mêmes nombres
    Les règles sont celles du noyau (:mod:`reimb.regles`), écrites une fois et appliquées ici à des
    tableaux numpy, comme :func:`reimb.decompte` les applique à une consultation. Ce module ne fait que
    lire et écrire des colonnes : la base vient de :func:`reimb.tarifs.brss` (appelée une fois par
    combinaison distincte), les paramètres de :func:`reimb.parametres.valeurs_aux_jours`.

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
    ``garantie_dptam``,       niveaux en % de la BRSS, Sécu comprise, ``"frais réels"``, ou toute formulation
    ``garantie_hors_dptam``   d'un tableau (« RO + 100 % BR », « 100 % TM », « … dans la limite de 150 € par
                              an » : :mod:`reimb.formules`, chaque formulation distincte lue une fois) ; vides
                              tous les deux : pas de complémentaire ; un seul des deux : ligne refusée ; un
                              plafond annuel se cumule par ``personne`` et année civile, dans l'ordre des dates
    ``responsable``           booléen (absent : ``True``) ; ignoré sans complémentaire
    ``personne``              facultatif : identifiant de l'assuré, active le plafond annuel de la
                              participation forfaitaire (voir plus bas)
    ``professionnel``         facultatif (avec ``personne``) : identifiant du médecin, active le
                              plafond journalier de la participation
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

Plafonds de la participation forfaitaire (colonnes ``personne`` et ``professionnel``)
    Par jour et par professionnel (``participation_forfaitaire.plafond_journalier``), puis par personne
    et par année civile (``plafond_annuel``) : les règles du noyau, qui lisent ce qui est déjà compté.
    Les consultations sont prises **par date, puis dans l'ordre des lignes** ; la participation comptée
    est celle qui est due, part « reportée » comprise ; les lignes refusées ne comptent pas. Le décret
    compte à la date du *remboursement*, nous prenons la date des soins. Sans colonne ``personne``,
    chaque ligne est traitée seule, exactement comme par :func:`reimb.decompte`.

Grandes tables
    Au-delà de ``TAILLE_MORCEAU`` lignes, le calcul se fait par morceaux de personnes entières (la mémoire de
    pointe reste bornée, benchmarks/README.md) ; le résultat est le même, au centime et dans le même ordre.

Seuls pandas et numpy sont importés ici ; ``import reimb`` ne charge ce module qu'au premier appel de
``reimb.decompte_lot``.
"""

from __future__ import annotations

import contextlib
import math
from decimal import Decimal

import numpy as np
import pandas as pd

from . import modele, tarifs
from .decompte import decompte, entrees_formule, lire_saisie, tarif_du_parcours
from .erreurs import ErreurSaisie
from .colonnes import COLONNES_ENTREE, normaliser_table
from .parametres import (
    EPOQUE, couverture, parametre, jour_1970, periode, scenario_actif, serie,
)
from .lot_lecture import (
    Calendrier, _ages, _booleens, _centimes, _choix, _decimales, _decimaux, _jours, _montants, _niveaux,
    _codes, _quelque_part, _secteurs, acces_direct, arguments_moteur, bases, chercher, decouper, en_pourcentage,
    refus_du_noyau, tarifs_du_parcours,
)
from .lot_lecture import appeler_moteur  # noqa: F401 — réexporté (reimb.presentation.population s'en sert)
from .regles import CONTROLES, noyau
from .regles.cumul import deja_compte
from .regles.xp import tableau

__all__ = ["COLONNES_MONTANTS", "ErreurLot", "decompte_lot"]

COLONNES_MONTANTS = (
    "brss_appliquee", "amo_brut", "participation_forfaitaire", "participation_forfaitaire_reportee",
    "amo", "ticket_moderateur", "depassement", "amc", "reste_a_charge",
)
COLONNES_INDICATEURS = ("parcours_effectif", "plafond_responsable")
OBLIGATOIRES = ("honoraires", "date", "secteur")
PREMIERES_LIGNES = 5  # nombre de lignes refusées citées dans le message d'une ErreurLot

_EPOQUE = EPOQUE
_jour = jour_1970
# Les paramètres exprimés en % : leurs décimales fixent, avec les niveaux de garantie, l'échelle 10ᵏ.
_POURCENTAGES = (
    "taux_amo.consultation", "taux_amo.hors_parcours", "taux_amo.exoneration", "depassement_autorise.taux",
    "contrat_responsable.plafond_depassement_hors_dptam", "contrat_responsable.ecart_minimal_dptam",
)


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


# --- Le calcul ------------------------------------------------------------------------------------------

# Chaque contrôle : (colonne en cause, sorte, donnée). Sortes : "propre" (message du lot), "saisie" (les
# vérifications de la saisie du moteur, reimb.decompte.lire_saisie), "base" (reimb.tarifs.brss pour la
# ligne), "base_da" (le tarif du parcours pour la ligne), "noyau" (un refus de reimb.regles.controles,
# écrit une fois), "param" (un paramètre absent à cette date : reimb.parametres.parametre pour la ligne).
_CONTROLES: list = [None]


def _controle(colonne: str, sorte: str = "saisie", donnee=None) -> int:
    _CONTROLES.append((colonne, sorte, donnee))
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
    "garantie_dptam, garantie_hors_dptam", "propre",
    "garantie incomplète : un seul des deux niveaux est donné (valeurs acceptées : les deux niveaux, "
    "en % de la BRSS ou « frais réels », ou aucun des deux pour « pas de complémentaire »)",
)
C_DATE = _controle("date")
C_DATE_HEURE = _controle(
    "date", "propre",
    "la date porte une heure autre que minuit : une date de soins est un jour (valeurs acceptées : "
    "des datetime.date, ou une colonne datetime64 à minuit, par ex. table['date'].dt.normalize())",
)
C_PARCOURS = _controle("parcours")
C_ACTE = _controle("acte")
C_HONORAIRES = _controle("honoraires")
C_DPTAM_DATE = _controle("dptam")
C_PARAM_PARCOURS = _controle("date")  # âge du parcours : vérifié avec la saisie
C_BRSS = _controle("brss")
C_BASE = _controle("brss", "base")  # reimb.tarifs.brss refuse (base non établie, date hors table…)
_DU_JOUR = {  # entrée du noyau → paramètre daté, dans l'ordre où le moteur les lit
    "t_normal": "taux_amo.consultation", "t_hp": "taux_amo.hors_parcours", "t_exo": "taux_amo.exoneration",
    "pf_montant": "participation_forfaitaire.montant", "age_pf": "participation_forfaitaire.age_exoneration",
    "pf_plafond_jour": "participation_forfaitaire.plafond_journalier",
    "pf_plafond_annee": "participation_forfaitaire.plafond_annuel", "da": "depassement_autorise.taux",
    "dep_max": "contrat_responsable.plafond_depassement_hors_dptam", "ecart": "contrat_responsable.ecart_minimal_dptam",
}
C_PARAM = {cle: _controle("date", "param", nom) for cle, nom in _DU_JOUR.items()}  # absent à cette date
C_BASE_DA = _controle("brss", "base_da")
C_NOYAU = {c.code: _controle(c.champ, "noyau", c) for c in CONTROLES}
C_PERSONNE = _controle(
    "personne", "propre",
    "personne manquante : les plafonds de la participation forfaitaire se comptent par personne "
    "(valeurs acceptées : un identifiant par assuré, ou pas de colonne « personne »)",
)
C_PROFESSIONNEL = _controle(
    "professionnel", "propre",
    "professionnel manquant : le plafond journalier de la participation forfaitaire se compte par "
    "professionnel (valeurs acceptées : un identifiant par médecin, ou pas de colonne « professionnel »)",
)


class _Refus:
    """Le code du premier contrôle que chaque ligne ne passe pas (0 : ligne correcte)."""

    def __init__(self, n: int):
        self.code = np.zeros(n, dtype=np.int16)
        self._valides = np.ones(n, dtype=bool)

    def __call__(self, masque, controle: int) -> None:
        if _quelque_part(masque):  # le plus souvent, aucune ligne : une lecture, pas d'écriture
            self.code[self._valides & masque] = controle
            self._valides = self.code == 0

    def valides(self) -> np.ndarray:
        return self._valides


def decompte_lot(table: pd.DataFrame, *, erreurs: str = "lever", euros: bool = True, scenario=None,
                 _taille_morceau: int | None = None) -> pd.DataFrame:
    """Les décomptes de toute une table de consultations, en centimes exacts (voir le module).

    ``erreurs`` : ``"lever"`` (par défaut : :class:`ErreurLot` si une ligne est refusée) ou
    ``"colonne"`` (une colonne ``erreur`` signale les lignes refusées). ``euros`` : ajouter les colonnes
    en ``Decimal`` (par défaut) en plus des colonnes ``_centimes``. ``scenario`` : un
    :class:`~reimb.Scenario` (réforme imaginée), appliqué aux soins datés de son début ou après.
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
    table = _verifier_table(table, erreurs, euros)
    with scenario_actif(scenario) if scenario is not None else contextlib.nullcontext():
        return _par_morceaux(table, erreurs, euros, _taille_morceau or TAILLE_MORCEAU)


TAILLE_MORCEAU = 1_000_000
"""Lignes calculées à la fois : au-delà, la table est découpée en morceaux de personnes entières (mémoire bornée)."""


def _par_morceaux(table: pd.DataFrame, erreurs: str, euros: bool, taille: int) -> pd.DataFrame:
    """Le calcul, morceau par morceau ; les résultats recopiés à leur place, dans l'ordre des lignes.

    Une personne (colonne ``personne``) n'est jamais coupée : ses plafonds de participation se comptent dans
    son morceau, avec toutes ses consultations, comme sur la table entière. L'échelle des pourcentages est
    celle de toute la table. Le résultat est donc le même, au centime, qu'en un seul morceau.
    """
    n = len(table)
    morceaux = decouper(table, taille)
    lues = table if morceaux is None else table[[c for c in COLONNES_ENTREE if c in table.columns]]
    echelle = 0 if morceaux is None else _echelle(
        [f for c in ("dptam", "hors_dptam") for f in _niveaux(table.get(f"garantie_{c}"), f"garantie.{c}", 0)[1]])
    montants, drapeaux = {}, {}
    valide = np.ones(n, dtype=bool)
    refusees, total_refusees = [], 0  # (position, colonne, message) des premières lignes refusées
    messages = np.full(n, None, dtype=object) if erreurs == "colonne" else None
    for idx in morceaux or [None]:
        sous = lues if idx is None else lues.take(idx)
        v, e, refus = _calcul(sous, echelle)
        code, ok = refus.code, refus.valides()
        rejetees = np.flatnonzero(~ok)
        if len(rejetees):
            position = rejetees if idx is None else idx[rejetees]
            total_refusees += len(rejetees)
            valide[position] = False
            if messages is not None:
                messages[position] = _messages(sous, v, rejetees, code[rejetees])
            else:
                refusees += [(int(position[j]), _CONTROLES[code[i]][0], _message(sous, v, int(i), int(code[i])))
                             for j, i in enumerate(rejetees[:PREMIERES_LIGNES])]
        if messages is None and total_refusees:
            del v, e, refus, sous
            continue  # la table sera refusée : inutile de recopier les montants
        sorties = {**{nom: v[cle] for nom, cle in _SORTIES.items()}, "parcours_effectif": e["pe"],
                   "plafond_responsable": v["plafonne"]}
        for nom, x in sorties.items():
            cible = montants if nom in _SORTIES else drapeaux
            if idx is None:  # un seul morceau : les tableaux du calcul, sans copie
                x = np.asarray(x)
                cible[nom] = x if x.shape == (n,) and x.flags.writeable else np.array(np.broadcast_to(x, n))
                continue
            if nom not in cible:
                cible[nom] = np.zeros(n, dtype=np.asarray(x).dtype)
            elif np.asarray(x).dtype == object and cible[nom].dtype != object:  # entiers démesurés : objets
                cible[nom] = cible[nom].astype(object)
            cible[nom][idx] = x
        del v, e, refus, sorties, sous  # le morceau suivant (ou les Decimal) sans la mémoire de celui-ci
    if total_refusees and erreurs == "lever":
        refusees = sorted(refusees)[:PREMIERES_LIGNES]
        raise ErreurLot([(table.index[i], col, msg) for i, col, msg in refusees], total_refusees, n)
    return _assembler(table, montants, drapeaux, valide, messages, euros)


def _calcul(table: pd.DataFrame, echelle: int = 0):
    """(valeurs du noyau, colonnes lues, refus) : lecture, paramètres, noyau de règles, plafonds de la PF."""
    refus = _Refus(len(table))
    e = _lire(table, refus)
    e["echelle"] = echelle
    v, cal = _entrees(table, e, refus)
    _parametres(v, e, cal, refus)
    groupe_jour, groupe_annee = _groupes(table, e, refus)
    appliquer_noyau(v, groupe_jour, groupe_annee, e["jours"], refus.valides(), refus)
    return v, e, refus


def expliquer(table: pd.DataFrame, position: int, *, scenario=None):
    """Le décompte expliqué (étapes comprises) de la ligne ``position`` (0, 1, …) d'une table.

    Mêmes montants que :func:`decompte_lot` pour cette ligne : les participations déjà comptées le jour et
    dans l'année (colonnes ``personne``, ``professionnel``) sont celles du lot ; les étapes sont écrites
    par :mod:`reimb.explication`. Une ligne refusée lève son :class:`~reimb.ErreurSaisie`.
    """
    table = _verifier_table(table, "colonne", False)
    with scenario_actif(scenario) if scenario is not None else contextlib.nullcontext():
        v, _, refus = _calcul(table)
        code = int(refus.code[position])
        if code:
            raise ErreurSaisie(_CONTROLES[code][0], f"ligne refusée — {_message(table, v, position, code)}")
        deja = {f"pf_deja_payees_{p}": Decimal(int(np.broadcast_to(v[f"pf_deja_{p}"], len(table))[position])).scaleb(-2)
                for p in ("jour", "annee")}
        deja["deja_rembourse_annee"] = Decimal(int(np.broadcast_to(v["deja_an"], len(table))[position])).scaleb(-2)
        return decompte(**arguments_moteur(table.iloc[position]), **deja)


_SORTIES = {m: "brss" if m == "brss_appliquee" else m for m in COLONNES_MONTANTS}  # colonne → valeur du noyau


def _verifier_table(table, erreurs, euros) -> pd.DataFrame:
    """Vérifie options et colonnes ; rend la table normalisée (:func:`reimb.colonnes.normaliser_table`)."""
    if not isinstance(table, pd.DataFrame):
        raise ErreurSaisie("table", f"{type(table).__name__} n'est pas un DataFrame", "un pandas.DataFrame, une ligne par consultation")
    table = normaliser_table(table)
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
    if "professionnel" in table.columns and "personne" not in table.columns:
        raise ErreurSaisie("table", "colonne « professionnel » sans colonne « personne » : le plafond journalier "
                           "de la participation se compte par personne et par professionnel",
                           "les deux colonnes personne et professionnel, ou aucune")
    return table


def _lire(table: pd.DataFrame, refuser: _Refus) -> dict:
    """Les colonnes lues, dans l'ordre des contrôles du moteur (Medecin, Patient, Garantie, saisie)."""
    n, col = len(table), table.get
    e = {}
    e["secteur"], bad = _secteurs(table["secteur"], n)
    refuser(bad, C_SECTEUR)
    e["dp"], bad = _booleens(col("droit_permanent"), False, n)
    refuser(bad, C_DP)
    e["dptam"], bad = _choix(col("dptam"), modele.DPTAM, n, defaut_code=-1, vide_code=-1)  # −1 : aucun
    refuser(bad, C_DPTAM)
    spe = modele.SPECIALITES
    e["spec"], bad = _choix(col("specialite"), spe, n, defaut_code=spe.index("generaliste"), vide_code=None)
    refuser(bad, C_SPECIALITE)
    secteur, dp, a_dptam = e["secteur"], e["dp"], e["dptam"] >= 0
    refuser(dp & (secteur != 1), C_DP_SECTEUR)
    refuser((secteur == 3) & a_dptam, C_DPTAM_SECTEUR)
    refuser((secteur == 1) & ~dp & a_dptam, C_DPTAM_SECTEUR)
    e["ligne_dptam"] = a_dptam | ((secteur == 1) & ~dp)
    e["age"], bad = _ages(col("age"), n)
    refuser(bad, C_AGE)
    defauts = modele.Patient()
    for nom, controle in (("css", C_CSS), ("ald", C_ALD), ("maternite", C_MATERNITE)):
        e[nom], bad = _booleens(col(nom), getattr(defauts, nom), n)
        refuser(bad, controle)
    e["cd_d"], e["niv_d"], present_d, bad = _niveaux(col("garantie_dptam"), "garantie.dptam", n)
    refuser(bad, C_G_DPTAM)
    e["cd_h"], e["niv_h"], present_h, bad = _niveaux(col("garantie_hors_dptam"), "garantie.hors_dptam", n)
    refuser(bad, C_G_HORS)
    e["garantie"] = present_d & present_h
    e["responsable"], bad = _booleens(col("responsable"), modele.Garantie().responsable, n)
    refuser(bad & e["garantie"], C_RESPONSABLE)
    refuser(present_d ^ present_h, C_G_INCOMPLETE)
    jours, bad, avec_heure = _jours(table["date"], n)
    refuser(bad, C_DATE)
    refuser(avec_heure, C_DATE_HEURE)
    debut, fin = couverture()
    j_min, j_max = (int(jours.min()), int(jours.max())) if n else (0, 0)
    if j_min < _jour(debut) or j_max > _jour(fin):
        refuser((jours < _jour(debut)) | (jours > _jour(fin)), C_DATE)
    e["jours"], e["plage"] = jours, (j_min, j_max)
    e["parcours"], bad = _booleens(col("parcours"), True, n)
    refuser(bad, C_PARCOURS)
    e["acte"], bad = _choix(col("acte"), tarifs.ACTES, n, defaut_code=tarifs.ACTES.index("consultation"), vide_code=None)
    refuser(bad, C_ACTE)
    e["hon"], vides, bad = _montants(table["honoraires"], "honoraires", n)
    refuser(vides | bad, C_HONORAIRES)
    for i, nom in enumerate(modele.DPTAM):  # un dispositif hors de sa période : vérifié seulement s'il peut l'être
        d0, d1, _, _ = periode(f"dptam.{nom}")
        if j_min < _jour(d0) or (d1 is not None and j_max > _jour(d1)):
            lignes = np.flatnonzero(e["dptam"] == i)  # les seules lignes de ce dispositif
            hors = (jours[lignes] < _jour(d0)) | ((jours[lignes] > _jour(d1)) if d1 is not None else False)
            if hors.any():
                masque = np.zeros(n, dtype=bool)
                masque[lignes[hors]] = True
                refuser(masque, C_DPTAM_DATE)
    return e


def _echelle(formules: list) -> int:
    """k : l'échelle 10ᵏ qui rend entiers les paramètres en % et les niveaux de garantie lus."""
    return max([_decimales(x.valeur) for nom in _POURCENTAGES for x in serie(nom) if x.valeur is not None]
               + [_decimales(f.pourcentage) for f in formules if f is not None] + [0]
               # un forfait en euros se convertit en % de la BRSS au centième de point (double limite) : 2 décimales
               + [2 if any(f is not None and f.forfait for f in formules) else 0])


def _entrees(table: pd.DataFrame, e: dict, refuser: _Refus):
    """Les entrées du noyau, en tableaux : bases (par reimb.tarifs.brss), paramètres du jour, niveaux."""
    n = len(table)
    cal = e["cal"] = Calendrier(e["jours"], e["plage"])
    age_hp, _, hors = chercher("taux_amo.age_hors_parcours", cal, math.ceil)
    if _quelque_part(hors):
        refuser(~e["parcours"] & hors, C_PARAM_PARCOURS)
    pe = e["pe"] = e["parcours"] | (e["age"] < age_hp)
    hp = np.flatnonzero(~pe)  # l'accès direct ne change que les lignes hors parcours
    if len(hp):
        pe[hp] = acces_direct(e["acte"][hp], e["spec"][hp], e["age"][hp])
    if "brss" in table.columns:
        brss_donnee, brss_vide, bad = _montants(table["brss"], "brss", n, positif_strict=True)
        saisie = ~brss_vide
        refuser(saisie & bad, C_BRSS)
    else:  # aucune base donnée : une vue constante, sans tableaux de n lignes
        saisie = np.broadcast_to(False, n)
    e["saisie"] = saisie
    besoin = refuser.valides() if saisie.strides == (0,) else ~saisie & refuser.valides()
    base, base_refusee = bases(e, besoin, pe, avec_honoraires=True)
    refuser(base_refusee, C_BASE)
    brss = np.where(saisie, brss_donnee, base) if saisie.any() else base
    k = max(_echelle(e["niv_d"] + e["niv_h"]), e.get("echelle", 0))  # au moins celle de toute la table (morceaux)
    P = 10**k  # échelle des pourcentages : 70 % → 70·P
    pct = en_pourcentage(k)
    secteur, spec = e["secteur"], e["spec"]
    garantie = e["garantie"] & ~e["css"]
    v = {
        "honoraires": e["hon"], "brss": brss, "conventionne": secteur != 3, "peut_depasser": (secteur != 1) | e["dp"],
        "generaliste": spec == modele.SPECIALITES.index("generaliste"), "ligne_dptam": e["ligne_dptam"],
        "pe": pe, "age": e["age"], "css": e["css"], "ald": e["ald"], "maternite": e["maternite"],
        "garantie": garantie, "responsable": garantie & e["responsable"], "cent": 100 * P,
    }
    for cle, codes, lus_ in (("dptam", e["cd_d"], e["niv_d"]), ("hors", e["cd_h"], e["niv_h"])):
        # Une formulation distincte → ses entrées du noyau, une fois ; recopiées sur les lignes par leur code
        # (une seule formulation pour toute la table : une vue constante, sans recopie).
        if len(codes) and (codes.strides == (0,) or (codes == codes[0]).all()):
            codes = e[f"cd_{cle[0]}"] = np.broadcast_to(codes[:1], n)
        par_formule = [entrees_formule(f, cle, k) for f in lus_] + [entrees_formule(None, cle, k)]
        for nom in ("niv", "fr", "pfr", "tm", "plus", "forfait", "plan"):
            valeurs = [d[f"{nom}_{cle}"] for d in par_formule]
            if nom not in ("niv", "fr") and all(x == valeurs[0] for x in valeurs):
                v[f"{nom}_{cle}"] = valeurs[0]   # la même pour toute la table : un scalaire, le noyau saute ce calcul
                continue
            if nom in ("fr", "tm", "plus"):
                colonne = np.array(valeurs, dtype=bool)
            else:
                colonne = np.array(valeurs, dtype=object)
                if all(abs(x) < 2**62 for x in valeurs):
                    colonne = colonne.astype(np.int64)
            v[f"{nom}_{cle}"] = np.broadcast_to(colonne[codes[:1]], n) if codes.strides == (0,) else colonne[codes]
    # La ligne de garantie de chaque consultation, pour cumuler son plafond annuel (personne × année × ligne).
    v["_lignes_garantie"] = (e["ligne_dptam"], e["cd_d"], len(e["niv_d"]) + 1, e["cd_h"])  # calculée si besoin
    v["deja_an"] = 0
    v["_refus_da"] = (cal, pct)
    return v, cal


def _parametres(v: dict, e: dict, cal: Calendrier, refuser: _Refus) -> None:
    """Les paramètres du jour de chaque ligne, et le tarif du parcours (DA), dans l'ordre des refus du moteur."""
    _, pct = v.pop("_refus_da")
    hp = ~v["pe"]
    conversions = {"pf_montant": _centimes, "pf_plafond_jour": _centimes, "pf_plafond_annee": _centimes,
                   "age_pf": math.ceil}
    for cle, nom in _DU_JOUR.items():
        conv = conversions.get(cle, pct)
        v[cle], aucun, hors = chercher(nom, cal, conv)
        v[f"_hors_{cle}"] = hors
        if cle in ("dep_max", "ecart"):
            v[f"{cle.split('_')[0]}_aucun"] = aucun
    # Dans l'ordre du moteur : paramètres, puis tarif du parcours (DA), puis les refus du noyau.
    masques = {"t_hp": lambda: hp, "t_exo": lambda: v["pe"] & (v["ald"] | v["maternite"]), "da": lambda: hp,
               "dep_max": lambda: v["garantie"] & v["responsable"] & ~v["ligne_dptam"]}
    masques["ecart"] = masques["dep_max"]
    for cle in _DU_JOUR:
        hors = v.pop(f"_hors_{cle}")
        if _quelque_part(hors):
            refuser(hors & masques.get(cle, lambda: True)(), C_PARAM[cle])
    # Le tarif du parcours des lignes hors parcours ; ailleurs, la base (lignes refusées comprises : sans effet).
    tarif, refusee = tarifs_du_parcours(e, hp & refuser.valides(), v["brss"])
    refuser(refusee, C_BASE_DA)
    v["tarif_parcours"] = tarif
    _grands_nombres(v)


def _groupes(table: pd.DataFrame, e: dict, refuser: _Refus):
    """(groupe du plafond journalier, groupe du plafond annuel) de chaque ligne, ou None sans les colonnes."""
    personnes = _personnes(table, refuser)
    if personnes is None:
        return None, None
    groupe_jour = None
    if len(personnes) and personnes.min() < 0:  # personne manquante (ligne refusée) : le groupe 0
        personnes = np.maximum(personnes, 0)
    if "professionnel" in table.columns:
        jours = e["jours"] - (e["jours"].min() if len(e["jours"]) else 0)
        pro = _codes(table["professionnel"])
        refuser(pro < 0, C_PROFESSIONNEL)
        groupe_jour = (personnes * (int(pro.max()) + 1) + np.maximum(pro, 0)) * (int(jours.max()) + 1) + jours
    cal = e["cal"]  # l'année de chaque jour de la plage (comptée depuis la première), recopiée sur les lignes
    if cal.plage is not None:
        par_jour = cal.plage.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        annee = cal.etaler(par_jour - par_jour[0])
    else:
        annee = e["jours"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        annee -= annee.min() if len(annee) else 0
    if not len(annee) or (annee.strides == (0,) and annee[0] == 0):  # une seule année : la personne suffit
        return groupe_jour, personnes
    return groupe_jour, personnes * (int(annee.max()) + 1) + annee


def appliquer_noyau(v: dict, groupe_jour, groupe_annee, jours, valide, refuser: _Refus | None = None) -> dict:
    """Le noyau de règles sur des tableaux déjà lus ; entre deux règles, ce qui est déjà compté (participations).

    Les refus du noyau (``refuser``) sont posés avant le cumul : une ligne refusée ne compte pas. Sert au lot
    et au « plancher » du banc d'essai (benchmarks/bench_lot.py) : aucune autre copie des règles.
    """
    xp = tableau()
    noyau.calculer_jusqu_a(xp, v, noyau.participation_due)
    if refuser is not None:
        refus_du_noyau(xp, v, refuser, C_NOYAU)
        valide = refuser.valides()
    v["pf_deja_jour"] = 0 if groupe_jour is None else deja_compte(v["pf_due"], groupe_jour, jours, v["pf_plafond_jour"], valide)
    noyau.calculer(xp, v, [noyau.plafond_journalier])
    v["pf_deja_annee"] = 0 if groupe_annee is None else deja_compte(v["pf_jour"], groupe_annee, jours, v["pf_plafond_annee"], valide)
    noyau.calculer(xp, v, noyau.REGLES[noyau.REGLES.index(noyau.plafond_journalier) + 1:
                                       noyau.REGLES.index(noyau.remboursement_complementaire) + 1])
    # Plafond annuel d'une ligne de garantie (« … dans la limite de X € par an ») : ce que la ligne a déjà versé
    # à la personne dans l'année civile, dans l'ordre des dates (colonne ``personne`` ; sans elle, chaque
    # consultation est seule).
    actif = False if np.ndim(v["f_plan"]) == 0 and v["f_plan"] < 0 else v["garantie"] & ~v["css"] & (v["f_plan"] >= 0)
    if groupe_annee is not None and np.any(actif & valide):
        ligne, dptam, decalage, hors = v["_lignes_garantie"]
        ligne_garantie = np.where(ligne, dptam, decalage + hors)
        groupe = np.asarray(groupe_annee, dtype=np.int64) * (int(np.max(ligne_garantie)) + 1) + ligne_garantie
        plafond = np.where(actif, v["f_plan"], np.iinfo(np.int64).max)
        v["deja_an"] = deja_compte(np.where(actif, v["amc"], 0), groupe, jours, plafond, valide & actif)
    return noyau.calculer_apres(xp, v, noyau.remboursement_complementaire)


def _grands_nombres(v: dict) -> None:
    """Entiers 64 bits tant que les produits y tiennent (toujours, pour des montants réalistes) ; au-delà,
    entiers Python exacts (tableaux d'objets) plutôt qu'un débordement silencieux."""
    def plus_grand(x):  # une vue constante (numpy.broadcast_to) : sa première valeur suffit
        x = np.asarray(x)
        x = x[:1] if x.ndim and x.strides == (0,) else x
        return int(x.max()) if x.size else 0

    h_max = max([1] + [plus_grand(v[c]) for c in ("honoraires", "brss", "tarif_parcours")])
    p_max = max([v["cent"]] + [plus_grand(v[c]) for c in ("niv_dptam", "niv_hors", "dep_max", "da", "t_normal", "t_hp", "t_exo")])
    if not 8 * h_max * (p_max + v["cent"]) < 2**62:
        for c in ("honoraires", "brss", "tarif_parcours", "niv_dptam", "niv_hors", "forfait_dptam", "forfait_hors"):
            v[c] = np.asarray(v[c]).astype(object)


def _personnes(table: pd.DataFrame, refuser: _Refus):
    if "personne" not in table.columns:
        return None
    personnes = _codes(table["personne"])
    refuser(personnes < 0, C_PERSONNE)
    return personnes


def _assembler(table, montants: dict, drapeaux: dict, valide, messages, euros: bool) -> pd.DataFrame:
    """La table de sortie : les colonnes d'entrée, puis les colonnes calculées (un DataFrame, sans recopie)."""
    nouvelles = {}
    if euros:
        for nom, x in montants.items():
            nouvelles[nom] = _decimaux(x, valide)
    for nom, x in montants.items():
        if messages is not None:
            if x.dtype == object:  # entiers Python (montants démesurés) : None pour une ligne refusée
                nouvelles[f"{nom}_centimes"] = np.where(valide, x, None)
            else:
                entiers = pd.array(x, dtype="Int64")
                entiers[~valide] = pd.NA
                nouvelles[f"{nom}_centimes"] = entiers
        else:
            nouvelles[f"{nom}_centimes"] = x
    for nom, x in drapeaux.items():
        if messages is not None:
            x = pd.array(x, dtype="boolean")
            x[~valide] = pd.NA
        nouvelles[nom] = x
    ajout = pd.DataFrame(nouvelles, index=table.index, copy=False)  # sans recopier les colonnes en un bloc
    if messages is not None:  # object : None (pas NaN) pour une ligne correcte
        ajout["erreur"] = pd.Series(messages, index=table.index, dtype=object)
    return pd.concat([table, ajout], axis=1)


def _messages(table: pd.DataFrame, v: dict, lignes: np.ndarray, controles: np.ndarray) -> np.ndarray:
    """Les messages des lignes refusées, écrits une fois par ligne *distincte*.

    Deux lignes aux mêmes valeurs, refusées par le même contrôle, ont le même message : les lignes
    sont regroupées par une empreinte de leurs valeurs (``pandas.util.hash_pandas_object``).
    """
    if not len(lignes):
        return np.empty(0, dtype=object)
    try:
        empreintes = pd.util.hash_pandas_object(table.iloc[lignes], index=False).to_numpy()
    except (TypeError, ValueError):  # valeurs qu'on ne sait pas hacher : une ligne à la fois
        return np.array([_message(table, v, int(i), int(c)) for i, c in zip(lignes, controles)], dtype=object)
    groupes, uniques = pd.factorize(pd.MultiIndex.from_arrays([empreintes, controles]))
    premieres = np.full(len(uniques), -1, dtype=np.int64)
    premieres[groupes[::-1]] = np.arange(len(groupes))[::-1]  # la première ligne de chaque groupe
    textes = np.array([_message(table, v, int(lignes[k]), int(controles[k])) for k in premieres], dtype=object)
    return textes[groupes]


def _message(table: pd.DataFrame, v: dict, i: int, controle: int) -> str:
    """Le message d'une ligne refusée, écrit par le code qui porte la règle — jamais un second texte :

    - refus du noyau (dépassement interdit, DA…) : le message de :mod:`reimb.regles.controles`, avec les
      valeurs de la ligne ;
    - saisie (secteur, âge, montants, dates…) : les vérifications de :func:`reimb.decompte.lire_saisie` ;
    - base : :func:`reimb.tarifs.brss` pour la ligne ; paramètre absent à la date : :func:`reimb.parametres.parametre` ;
    - contrôles propres au lot (date avec heure, garantie incomplète, personne manquante) : leur message.
    """
    colonne, sorte, donnee = _CONTROLES[controle]
    if sorte == "propre":
        return f"{colonne} : {donnee}"
    if sorte == "noyau":
        ligne = {cle: (x[i] if isinstance(x, np.ndarray) else x) for cle, x in v.items()}
        ligne = {cle: (x.item() if isinstance(x, np.generic) else x) for cle, x in ligne.items()}
        return str(ErreurSaisie(donnee.champ, donnee.message(ligne), donnee.acceptes(ligne)))
    try:
        args = arguments_moteur(table.iloc[i])
        if sorte == "saisie":
            lire_saisie(**args)
        elif sorte == "base":
            _, honoraires, _, _, _, _, pe = lire_saisie(**args)
            tarifs.brss(args["acte"], args["medecin"], args["date"], pe, honoraires=honoraires, age=args["patient"].age)
        elif sorte == "param":
            lire_saisie(**args)
            parametre(donnee, args["date"])
        else:  # "base_da" : le tarif du parcours de la ligne
            _, _, brss, _, _, _, _ = lire_saisie(**args)
            tarif_du_parcours(args["acte"], args["medecin"], args["date"], args["patient"].age, brss, brss is not None)
    except ErreurSaisie as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 — le moteur ne devrait lever que des ErreurSaisie
        return f"{colonne} : ligne refusée ({type(e).__name__} : {e})"
    return f"{colonne} : ligne refusée (contrôle {controle} sans message : écart à signaler)"
