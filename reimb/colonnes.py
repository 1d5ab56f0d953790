"""Les colonnes d'une table de consultations, vérifiées et normalisées avant le calcul par lot.

Une table de courtier vient d'Excel ou d'un CSV lu par pandas : les noms de colonnes portent des
majuscules, des accents, des espaces (« Spécialité », « DPTAM », « age  ») ; pandas 3 lit une date en
texte (dtype ``str``) ; une colonne peut être catégorielle, une période, ou mêler des valeurs égales de
types différents (45, 45.0, ``Decimal("45")``, ``numpy.int64(45)``). Ce module ne devine rien :

- :func:`verifier_colonnes` refuse une colonne qui *ressemble* à une colonne lue par
  :func:`reimb.decompte_lot` sans en être une (casse, accents, espaces, faute de frappe, synonyme
  courant) en nommant la colonne attendue, et refuse les noms de colonnes en double. Les autres
  colonnes (identifiant de sinistre, foyer…) sont libres : elles sont conservées telles quelles.
- :func:`normaliser_table` rend une copie dont les colonnes lues ont des types que les deux moteurs
  (par lot et scalaire) lisent de la même façon : dates en texte ISO (``2016-03-01``) ou françaises
  (``01/03/2016``, jour/mois/année) → ``datetime64`` ; catégories et périodes de dates → dates ; âges
  entiers écrits 45.0 ou ``Decimal("45")`` → 45 ; cellule non hachable (une liste) → son texte, refusé
  ensuite ligne par ligne. Les scalaires numpy d'une colonne d'objets restent tels quels :
  :mod:`reimb.montants` les lit comme les nombres Python.

Aucune règle de droit ici : que des types pandas. numpy et pandas ne sont importés qu'à l'appel
(:func:`lire_date` sert aussi sans eux).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime

from .erreurs import ErreurSaisie

__all__ = ["COLONNES_ENTREE", "ErreurColonne", "lire_date", "normaliser_table", "verifier_colonnes"]

COLONNES_ENTREE = (
    "honoraires", "date", "secteur", "droit_permanent", "dptam", "specialite", "brss", "acte", "parcours",
    "age", "css", "ald", "maternite", "garantie_dptam", "garantie_hors_dptam", "responsable", "personne",
    "professionnel",
)
"""Les colonnes lues par :func:`reimb.decompte_lot` (voir son module)."""

_MONTANTS_SORTIE = ("brss_appliquee", "amo_brut", "participation_forfaitaire", "participation_forfaitaire_reportee",
                    "amo", "ticket_moderateur", "depassement", "amc", "reste_a_charge")
COLONNES_SORTIE = (*_MONTANTS_SORTIE, *(f"{m}_centimes" for m in _MONTANTS_SORTIE),
                   "parcours_effectif", "plafond_responsable", "erreur")
"""Les colonnes écrites par :func:`reimb.decompte_lot` : connues, jamais prises pour une faute de frappe."""

SYNONYMES = {
    "age_patient": "age", "age_du_patient": "age", "age_assure": "age", "age_beneficiaire": "age",
    "date_soins": "date", "date_des_soins": "date", "date_de_soins": "date", "date_soin": "date",
    "date_consultation": "date", "date_de_consultation": "date",
    "honoraire": "honoraires", "montant_honoraires": "honoraires", "honoraires_factures": "honoraires",
    "base": "brss", "br": "brss", "brs": "brss", "base_de_remboursement": "brss", "base_remboursement": "brss",
    "secteur_conventionnel": "secteur", "secteur_medecin": "secteur",
    "specialite_medecin": "specialite", "specialites": "specialite",
    "optam": "dptam", "adhesion_dptam": "dptam", "dptam_medecin": "dptam",
    "c2s": "css", "cmu": "css", "cmuc": "css", "cmu_c": "css", "complementaire_sante_solidaire": "css",
    "parcours_de_soins": "parcours", "dans_le_parcours": "parcours",
    "contrat_responsable": "responsable",
    "niveau_dptam": "garantie_dptam", "niveau_hors_dptam": "garantie_hors_dptam",
    "dp": "droit_permanent", "droit_a_depassement_permanent": "droit_permanent",
    "assure": "personne", "id_personne": "personne", "beneficiaire": "personne",
    "medecin": "professionnel", "praticien": "professionnel", "id_medecin": "professionnel",
}
"""Noms qu'un courtier donne naturellement à une colonne lue (normalisés : minuscules, sans accents, « _ »)."""

SEUIL_RESSEMBLANCE = 0.8
"""Ressemblance (difflib) à partir de laquelle un nom est pris pour une faute de frappe (« parcour », « honoraire »)."""


class ErreurColonne(ErreurSaisie):
    """Une colonne refusée : ``colonnes`` (les noms tels que tapés) et ``attendues`` (les noms lus, ou ``None``)."""

    def __init__(self, colonnes: list, attendues: list, message: str, acceptes: str | None = None):
        self.colonnes, self.attendues = colonnes, attendues
        super().__init__("table", message, acceptes)


def _cle(nom) -> str:
    """Un nom de colonne comparable : sans accents, en minuscules, espaces, tirets et points en « _ »."""
    texte = unicodedata.normalize("NFKD", str(nom))
    texte = "".join(c for c in texte if not unicodedata.combining(c)).lower().strip()
    return re.sub(r"[\s\-.'’]+", "_", texte).strip("_")


def colonne_attendue(nom) -> str | None:
    """La colonne lue que ``nom`` semble désigner sans l'être (``"DPTAM"`` → ``"dptam"``), sinon ``None``."""
    if not isinstance(nom, str) or nom in COLONNES_ENTREE or nom in COLONNES_SORTIE:
        return None
    cle = _cle(nom)
    if cle in COLONNES_ENTREE:
        return cle
    if cle in SYNONYMES:
        return SYNONYMES[cle]
    if cle.startswith("garantie"):  # seules deux colonnes de garantie existent : aucune autre n'est ignorée
        proches = difflib.get_close_matches(cle, ("garantie_dptam", "garantie_hors_dptam"), n=1, cutoff=0)
        return proches[0]
    if cle in COLONNES_SORTIE:
        return None
    proches = difflib.get_close_matches(cle, COLONNES_ENTREE, n=1, cutoff=SEUIL_RESSEMBLANCE)
    return proches[0] if proches else None


def verifier_colonnes(table) -> None:
    """Refuse (:class:`ErreurColonne`) une table dont une colonne ressemble à une colonne lue sans l'être,
    ou dont un nom de colonne est en double. Ne rend rien ; ne lit aucune valeur.

    >>> import pandas as pd
    >>> verifier_colonnes(pd.DataFrame({"honoraires": [50], "date": ["2016-03-01"], "secteur": [2], "DPTAM": ["OPTAM"]}))
    Traceback (most recent call last):
    ...
    reimb.colonnes.ErreurColonne: table : colonne « DPTAM » inconnue : vouliez-vous dire « dptam » ? (valeurs acceptées : renommez la colonne, par ex. table.rename(columns={'DPTAM': 'dptam'}) ; colonnes lues : honoraires, date, secteur, droit_permanent, dptam, specialite, brss, acte, parcours, age, css, ald, maternite, garantie_dptam, garantie_hors_dptam, responsable, personne, professionnel)
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise ErreurSaisie("table", f"{type(table).__name__} n'est pas un DataFrame", "un pandas.DataFrame, une ligne par consultation")
    colonnes = list(table.columns)
    doubles = []
    for c in colonnes:
        if colonnes.count(c) > 1 and c not in doubles:
            doubles.append(c)
    if doubles:
        noms = ", ".join(f"« {c} »" for c in doubles)
        raise ErreurColonne(doubles, [c if c in COLONNES_ENTREE else None for c in doubles],
                            f"colonne(s) en double : {noms}",
                            "un seul exemplaire de chaque colonne (par ex. table.loc[:, ~table.columns.duplicated()])")
    fautes = [(c, colonne_attendue(c)) for c in colonnes]
    fautes = [(c, a) for c, a in fautes if a is not None]
    if fautes:
        details = " ; ".join(
            (f"colonne de garantie inconnue « {c} »" if a.startswith("garantie") else f"colonne « {c} » inconnue")
            + f" : vouliez-vous dire « {a} » ?" for c, a in fautes)
        renommer = "{" + ", ".join(f"{c!r}: {a!r}" for c, a in fautes) + "}"
        raise ErreurColonne([c for c, _ in fautes], [a for _, a in fautes], details,
                            f"renommez la colonne, par ex. table.rename(columns={renommer}) ; "
                            f"colonnes lues : {', '.join(COLONNES_ENTREE)}")


# --- Dates écrites en texte ------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)
_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def lire_date(valeur) -> date | None:
    """Une date écrite en texte : ISO ``2016-03-01`` (éventuellement suivie de ``00:00:00``) ou française
    ``01/03/2016`` (jour/mois/année) ; ``None`` si le texte n'est pas une de ces dates ou une date impossible.

    >>> lire_date("2016-03-01"), lire_date("1/3/2016"), lire_date("31/02/2016"), lire_date("03/01/16")
    (datetime.date(2016, 3, 1), datetime.date(2016, 3, 1), None, None)
    """
    if not isinstance(valeur, str):
        return None
    texte = valeur.strip()
    m = _ISO.fullmatch(texte)
    if m:
        a, mo, j = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _FR.fullmatch(texte)
        if not m:
            return None
        j, mo, a = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(a, mo, j)
    except ValueError:
        return None


# --- Normalisation ---------------------------------------------------------------------------------------

def _cellule(v, np):
    """Une cellule d'une colonne d'objets : scalaire numpy → nombre Python (sauf float32/16 : leur texte
    court est lu par reimb.montants), cellule non hachable (liste, dict…) → son texte."""
    if isinstance(v, np.generic):
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.float64):
            return float(v)
        return v
    try:
        hash(v)
    except TypeError:
        return repr(v)
    return v


def _age(v, np):
    """Un âge d'une colonne d'objets : entier écrit 45.0, ``Decimal("45")`` ou ``numpy.float32(45)`` → 45 (comme Patient)."""
    from decimal import Decimal

    v = _cellule(v, np)
    if isinstance(v, bool):
        return v
    if isinstance(v, (float, np.floating)) and np.isfinite(v) and float(v).is_integer():
        return int(v)
    if isinstance(v, Decimal) and v.is_finite() and v == v.to_integral_value():
        return int(v)
    return v


def _par_valeur_distincte(s, f, pd):
    """Applique ``f`` à chaque couple (type, valeur) distinct d'une colonne d'objets.

    Par type puis par valeur, et non par valeur seule : ``pd.factorize`` confond 45, 45.0 et
    ``Decimal("45")`` (valeurs égales), et lire un représentant pour tout le groupe ferait accepter ou
    refuser une ligne selon ses voisines (revue, M1). Cellules non hachables (listes) : une à une.
    """
    import numpy as np

    valeurs = s.to_numpy(dtype=object)
    sortie = np.empty(len(valeurs), dtype=object)
    types = np.frompyfunc(type, 1, 1)(valeurs)
    codes_t, types_u = pd.factorize(types)
    for k in range(len(types_u)):
        masque = codes_t == k
        sous = valeurs[masque]
        try:
            codes, uniques = pd.factorize(sous, use_na_sentinel=True)
        except TypeError:  # une liste, un dict : pas de hachage possible
            sortie[masque] = [f(v) for v in sous]
            continue
        lues = np.empty(len(uniques) + 1, dtype=object)
        lues[:-1] = [f(u) for u in uniques]
        res = lues[codes]
        na = codes < 0
        if na.any():
            res[na] = sous[na]  # cases vides (None, NaN, pd.NA) : telles quelles
        sortie[masque] = res
    return pd.Series(sortie, index=s.index, dtype=object, name=s.name)


_TYPES_SURS = {"string", "empty", "boolean", "date", "integer", "floating", "decimal", "datetime", "datetime64",
               "timedelta", "timedelta64", "period", "bytes", "categorical"}
"""Colonnes d'objets homogènes : rien à convertir (reimb lit déjà ces cellules à l'identique dans les deux moteurs)."""


def _colonne_objets(s, nom, pd):
    import numpy as np
    from pandas.api.types import infer_dtype

    sorte = infer_dtype(s, skipna=True)
    if nom == "age":
        if sorte in ("integer", "string", "empty", "boolean"):
            return s
        return _par_valeur_distincte(s, lambda v: _age(v, np), pd)
    if sorte in _TYPES_SURS:
        return s
    # Colonne mêlée (nombres numpy et textes…) : reimb.montants lit chaque cellule à l'identique dans les
    # deux moteurs, seules les cellules non hachables (listes) empêchent le lot de regrouper les valeurs.
    try:
        pd.factorize(s.to_numpy(dtype=object))
        return s
    except TypeError:
        return _par_valeur_distincte(s, lambda v: _cellule(v, np), pd)


def _colonne_date(s, pd):
    import numpy as np

    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s  # refusée par le lot avec son message (fuseau horaire)
    if isinstance(s.dtype, np.dtype) and s.dtype.kind == "M":
        return s
    if isinstance(s.dtype, pd.PeriodDtype):
        if s.dtype.freq.freqstr != "D":
            exemple = next((str(p) for p in s if p is not pd.NaT), "")
            raise ErreurColonne(["date"], ["date"], f"la colonne « date » contient des périodes (par ex. « {exemple} »), pas des jours",
                                "des dates (un jour), par ex. une colonne datetime64 ou des périodes quotidiennes (freq=\"D\")")
        return s.dt.to_timestamp().astype("datetime64[s]")
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _colonne_date(pd.Series(np.asarray(s, dtype=object), index=s.index, name=s.name), pd)
    if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return s  # nombres, booléens… : refusés ligne par ligne par le lot (« pas une date »)
    valeurs = s.to_numpy(dtype=object, na_value=None)
    try:
        codes, uniques = pd.factorize(valeurs, use_na_sentinel=True)
    except TypeError:  # une liste dans la colonne
        valeurs = np.array([_cellule(v, np) for v in valeurs], dtype=object)
        codes, uniques = pd.factorize(valeurs, use_na_sentinel=True)
    if not any(isinstance(u, str) for u in uniques):
        return s if s.dtype == object else pd.Series(valeurs, index=s.index, dtype=object, name=s.name)
    lues = [lire_date(u) if isinstance(u, str) else u for u in uniques]
    toutes = all(isinstance(d, date) and not isinstance(d, datetime) for d in lues)
    if toutes:
        # Une colonne datetime64 : la forme que le lot lit d'un bloc.
        jours = np.array([np.datetime64(d, "D") for d in lues] + [np.datetime64("NaT", "D")], dtype="datetime64[D]")
        return pd.Series(jours[codes].astype("datetime64[s]"), index=s.index, name=s.name)
    # Des textes qui ne sont pas des dates : chaque ligne sera refusée avec son texte ; les autres sont lues.
    lues_o = np.empty(len(lues) + 1, dtype=object)
    lues_o[:-1] = [u if d is None else d for u, d in zip(uniques, lues)]
    lues_o[-1] = None
    sortie = lues_o[codes]
    return pd.Series(sortie, index=s.index, dtype=object, name=s.name)


def normaliser_table(table):
    """Une copie de ``table`` aux colonnes vérifiées (:func:`verifier_colonnes`) et aux types normalisés.

    Seules les colonnes lues par :func:`reimb.decompte_lot` changent, et seulement si leur type l'exige
    (les autres colonnes sont partagées avec ``table``, sans copie) :

    - ``date`` : texte ISO ``aaaa-mm-jj`` ou français ``jj/mm/aaaa`` (dtype ``str`` de pandas 3 ou
      ``object``), catégorie, période quotidienne → ``datetime64[s]`` ; un texte qui n'est pas une date
      reste tel quel (la ligne sera refusée avec son texte) ; une période mensuelle est refusée ;
    - ``age`` (colonne d'objets) : un âge entier écrit 45.0, ``Decimal("45")`` ou ``numpy.float32(45)`` → 45 ;
    - colonnes d'objets qui contiennent une cellule non hachable (une liste…) : scalaires numpy →
      nombres Python, cellules non hachables → leur texte (la ligne est ensuite refusée avec ce texte).

    >>> import pandas as pd
    >>> t = normaliser_table(pd.DataFrame({"honoraires": [50.0], "date": pd.Series(["01/03/2016"], dtype="str"), "secteur": [2]}))
    >>> t["date"].dtype, t["date"][0]
    (dtype('<M8[s]'), Timestamp('2016-03-01 00:00:00'))
    """
    import numpy as np
    import pandas as pd

    verifier_colonnes(table)
    sortie = table.copy(deep=False)
    for nom in COLONNES_ENTREE:
        if nom not in table.columns:
            continue
        s = table[nom]
        if nom == "date":
            nouvelle = _colonne_date(s, pd)
        elif s.dtype == object:
            nouvelle = _colonne_objets(s, nom, pd)
        elif isinstance(s.dtype, pd.CategoricalDtype) and (nom == "age" or s.cat.categories.dtype == object):
            # Les catégories sont lues une fois chacune par le lot : on les normalise comme une colonne d'objets.
            avant = pd.Series(np.asarray(s.cat.categories, dtype=object), dtype=object)
            apres = _colonne_objets(avant, nom, pd)
            if apres is avant or all(type(a) is type(b) and a == b for a, b in zip(avant, apres)):
                nouvelle = s
            elif len(set(apres)) == len(apres):
                nouvelle = s.cat.rename_categories(list(apres))
            else:
                codes = s.cat.codes.to_numpy()
                valeurs = np.asarray(apres, dtype=object)[codes]
                valeurs[codes < 0] = None
                nouvelle = pd.Series(valeurs, index=s.index, name=nom, dtype=object)
        else:
            nouvelle = s
        if nouvelle is not s:
            sortie[nom] = nouvelle
    return sortie

