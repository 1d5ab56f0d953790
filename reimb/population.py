"""Une année **synthétique** de consultations pour le personnel d'une entreprise, prête pour ``decompte_lot``.

Les courtiers comparent des garanties collectives sur la consommation d'une entreprise. Faute de
données réelles (qui seraient personnelles et de santé), :func:`population` fabrique une année de
consultations **fictive mais plausible**, reproductible (graine). Ce n'est pas une statistique : les
hypothèses ci-dessous sont des ordres de grandeur choisis pour l'exercice, sauf la répartition des
médecins par secteur, qui vient de la fiche du projet.

Hypothèses (toutes modifiables par les arguments ; « [hyp.] » = choix du projet, non sourcé)
    Le personnel
        ``salaries`` salariés de 22 à 64 ans (âge uniforme), une femme sur deux [hyp.] ; chacun a 0,
        1, 2 ou 3 enfants à charge (probabilités 45, 20, 25, 10 %), de 0 à 17 ans, couverts par le
        contrat [hyp.]. Chaque personne a un identifiant (colonne ``personne`` : ``"S0001"``,
        ``"S0001-E1"``) et son foyer (``foyer`` : l'identifiant du salarié).
    Affection de longue durée (ALD) [hyp.]
        2 % des enfants, 5 % des salariés de moins de 45 ans, 12 % des autres ; une personne en ALD
        consulte deux fois plus, et 70 % de ses consultations sont en rapport avec l'ALD (``ald=True``).
    Maternité [hyp.]
        5 % des salariées de 25 à 42 ans sont, dans l'année, dans la période de l'assurance maternité
        (du 6e mois de grossesse à 12 jours après l'accouchement : environ 4 mois) ; leurs
        consultations de cette période ont ``maternite=True``.
    CSS
        aucun salarié n'est bénéficiaire de la complémentaire santé solidaire par défaut
        (``part_css=0``) : un salarié couvert par un contrat collectif l'est rarement [hyp.].
    Nombre de consultations par an [hyp.]
        loi de Poisson ; généraliste / spécialiste : 3,5 / 1,5 pour un adulte, 5 / 0,5 pour un enfant
        de moins de 6 ans, 2,5 / 0,7 de 6 à 17 ans. Dates uniformes dans l'année.
    Spécialités [hyp.]
        parmi les consultations de spécialiste : 85 % « specialiste » (CS + MPC + MCS), 10 %
        psychiatre, 5 % cardiologue. Quand la table des tarifs n'établit pas la base d'une
        consultation (par ex. un cardiologue non adhérent, un psychiatre hors parcours), elle est
        comptée comme une consultation de spécialiste ordinaire : la table ne devine rien, le
        générateur non plus.
    Secteur du médecin consulté
        Spécialistes : la répartition des médecins en 2023 de la fiche du projet (domain-facts §1,
        source secondaire [s]) : secteur 1 68,6 %, secteur 2 adhérent OPTAM/OPTAM-CO 15,4 %,
        secteur 2 non adhérent 15,2 %, non conventionné 0,8 % — appliquée aux consultations, ce qui
        suppose que chaque médecin reçoit autant de patients [hyp.] ; 1 point du secteur 1 est du
        secteur 1 DP [hyp.]. Généralistes : 90 % secteur 1, 0,5 % secteur 1 DP, 3 % secteur 2
        adhérent, 6 % secteur 2 non adhérent, 0,5 % non conventionné [hyp. : le secteur 2 est
        surtout le fait des spécialistes]. Un adhérent est au CAS du 1er décembre 2013 au
        31 décembre 2016, à l'OPTAM (20 % des spécialistes adhérents : OPTAM-CO) ensuite, aux dates
        de ``parametres/dptam.toml`` ; avant le CAS, il est compté non adhérent.
    Honoraires [hyp.]
        Secteur 1 : la base (pas de dépassement autorisé hors parcours simulé). Adhérent : 40 % des
        consultations au tarif opposable, les autres avec un dépassement de taux log-normal (médiane
        35 % de la base, au plus 100 %), arrondi à l'euro supérieur. Non adhérent et 1 DP : la base
        du secteur 1 majorée d'un taux log-normal (médiane 80 %, au plus 300 %), à l'euro supérieur.
        Non conventionné : la base du secteur 1 majorée d'un taux log-normal (médiane 100 %).
        Patient CSS : tarif opposable chez un médecin conventionné.
    Parcours de soins [hyp.]
        92 % des consultations de généraliste et 85 % de celles de spécialiste d'un adulte ou d'un
        jeune de 16-17 ans sont dans le parcours ; moins de 16 ans : toujours dans le parcours.

Le résultat a une ligne par consultation et les colonnes lues par :func:`reimb.decompte_lot`
(sans garantie : ajoutez ``garantie_dptam``, ``garantie_hors_dptam``, ``responsable``).
``honoraires`` est en euros, des flottants au centime exact (lus exactement par le lot) ;
``personne``, ``foyer``, ``lien``, ``specialite`` et ``dptam`` sont des catégories pandas.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from . import modele, tarifs
from .erreurs import ErreurSaisie
from .parametres import couverture, periode

__all__ = ["PARTS_SECTEURS", "population"]

# Type de médecin consulté : (secteur, droit permanent, adhérent DPTAM).
TYPES = {
    "secteur 1": (1, False, False),
    "secteur 1 DP": (1, True, False),
    "secteur 2 adhérent": (2, False, True),
    "secteur 2 non adhérent": (2, False, False),
    "non conventionné": (3, False, False),
}
PARTS_SECTEURS = {
    # domain-facts §1 (2023, médecins) : 68,6 / 15,4 / 15,2 / 0,8 ; 1 point du secteur 1 en « 1 DP » [hyp.]
    "specialiste": {"secteur 1": 0.676, "secteur 1 DP": 0.010, "secteur 2 adhérent": 0.154,
                    "secteur 2 non adhérent": 0.152, "non conventionné": 0.008},
    # [hyp.] le secteur 2 est surtout le fait des spécialistes
    "generaliste": {"secteur 1": 0.900, "secteur 1 DP": 0.005, "secteur 2 adhérent": 0.030,
                    "secteur 2 non adhérent": 0.060, "non conventionné": 0.005},
}
SPECIALITES_AUTRES = {"specialiste": 0.85, "psychiatre": 0.10, "cardiologue": 0.05}


def _choisir(rng, n, parts: dict):
    noms = list(parts)
    p = np.array([parts[k] for k in noms], dtype=float)
    return np.array(noms, dtype=object)[rng.choice(len(noms), size=n, p=p / p.sum())]


def _centimes_base(acte, specialite, secteur, dp, dptam, jour, parcours, age=None):
    """La base (centimes) d'une consultation d'après la table des tarifs, ou None si elle n'est pas établie."""
    try:
        medecin = modele.Medecin(secteur=secteur, dptam=dptam, specialite=specialite, droit_permanent=dp)
        return int(tarifs.brss(acte, medecin, jour, parcours, age=age).valeur * 100)
    except (ErreurSaisie, KeyError):
        return None


def _entier(valeur, champ: str, acceptes: str, *, minimum: int | None) -> int:
    """Un entier Python (``int`` ou entier numpy, jamais un booléen), au moins ``minimum``."""
    if isinstance(valeur, (bool, np.bool_)) or not isinstance(valeur, (int, np.integer)):
        aide = " (un texte : convertissez avec int())" if isinstance(valeur, str) else ""
        raise ErreurSaisie(champ, f"{valeur!r} (type {type(valeur).__name__}) n'est pas un nombre entier{aide}", acceptes)
    valeur = int(valeur)
    if minimum is not None and valeur < minimum:
        raise ErreurSaisie(champ, f"{valeur} est refusé : le minimum est {minimum}", acceptes)
    return valeur


def _proportion(valeur, champ: str) -> float:
    """Une proportion de 0 à 1 (``int``, ``float``, ``Decimal`` ou nombre numpy ; pas un booléen ni un texte)."""
    acceptes = "un nombre de 0 à 1, par ex. 0.05 pour 5 %"
    if isinstance(valeur, (bool, np.bool_)) or not isinstance(valeur, (numbers.Real, Decimal)):
        raise ErreurSaisie(champ, f"{valeur!r} (type {type(valeur).__name__}) n'est pas une proportion", acceptes)
    p = float(valeur)
    if not 0 <= p <= 1:  # NaN compris
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas une proportion", acceptes)
    return p


def _parts_secteurs(parts) -> dict:
    """Les parts de chaque type de médecin, vérifiées : les deux lignes, des types connus, des parts ≥ 0 de somme > 0."""
    champ = "parts_secteurs"
    types = ", ".join(f"« {t} »" for t in TYPES)
    acceptes = (f"un dict {{'generaliste': {{type: part}}, 'specialiste': {{type: part}}}}, types parmi {types}, "
                "parts ≥ 0 de somme > 0 (voir reimb.population.PARTS_SECTEURS)")
    if not isinstance(parts, Mapping):
        raise ErreurSaisie(champ, f"{type(parts).__name__} n'est pas un dict", acceptes)
    inconnues = [k for k in parts if k not in PARTS_SECTEURS]
    if inconnues:
        raise ErreurSaisie(champ, f"ligne inconnue {inconnues[0]!r}", acceptes)
    for ligne in PARTS_SECTEURS:
        if ligne not in parts:
            raise ErreurSaisie(champ, f"la ligne {ligne!r} manque", acceptes)
        sous = parts[ligne]
        if not isinstance(sous, Mapping) or not sous:
            raise ErreurSaisie(f"{champ}[{ligne!r}]", f"{sous!r} n'est pas un dict de parts", acceptes)
        for t, part in sous.items():
            if t not in TYPES:
                proches = difflib.get_close_matches(str(t), TYPES, n=1)
                aide = f" (vouliez-vous dire « {proches[0]} » ?)" if proches else ""
                raise ErreurSaisie(f"{champ}[{ligne!r}]", f"type de médecin {t!r} inconnu{aide}", acceptes)
            if isinstance(part, (bool, np.bool_)) or not isinstance(part, (numbers.Real, Decimal)) \
                    or not math.isfinite(float(part)) or float(part) < 0:
                raise ErreurSaisie(f"{champ}[{ligne!r}][{t!r}]", f"{part!r} n'est pas une part ≥ 0", acceptes)
        if sum(float(v) for v in sous.values()) <= 0:
            raise ErreurSaisie(f"{champ}[{ligne!r}]", "toutes les parts sont nulles", acceptes)
    return {ligne: {t: float(v) for t, v in parts[ligne].items()} for ligne in PARTS_SECTEURS}


def population(salaries: int = 250, annee: int = 2024, graine: int = 0, *, part_css: float = 0.0,
               parts_secteurs: dict | None = None) -> pd.DataFrame:
    """Une année synthétique de consultations du personnel d'une entreprise (voir les hypothèses du module).

    >>> t = population(salaries=20, annee=2024, graine=1)
    >>> sorted(t.columns)[:5]
    ['age', 'ald', 'css', 'date', 'dptam']
    >>> t["date"].dt.year.unique().tolist()
    [2024]
    """
    salaries = _entier(salaries, "salaries", "un nombre entier de salariés ≥ 1", minimum=1)
    debut, fin = couverture()
    premiere = max(debut.year, 2013)
    annee = _entier(annee, "annee", f"une année de {premiere} à {fin.year}", minimum=None)
    if not premiere <= annee <= fin.year:
        raise ErreurSaisie("annee", f"{annee} n'est pas une année que la table des tarifs couvre",
                           f"une année de {premiere} à {fin.year}")
    graine = _entier(graine, "graine", "un nombre entier ≥ 0 (la même graine redonne la même population)", minimum=0)
    part_css = _proportion(part_css, "part_css")
    parts = PARTS_SECTEURS if parts_secteurs is None else _parts_secteurs(parts_secteurs)
    rng = np.random.default_rng(graine)

    # --- Les personnes ------------------------------------------------------------------------------
    age_sal = rng.integers(22, 65, size=salaries)
    femme_sal = rng.random(salaries) < 0.5
    nb_enfants = rng.choice(4, size=salaries, p=[0.45, 0.20, 0.25, 0.10])
    foyer_enf = np.repeat(np.arange(salaries), nb_enfants)
    rang_enf = np.concatenate([np.arange(1, k + 1) for k in nb_enfants]) if nb_enfants.sum() else np.zeros(0, int)
    age_enf = rng.integers(0, 18, size=len(foyer_enf))
    ids_sal = np.array([f"S{i + 1:04d}" for i in range(salaries)], dtype=object)
    personnes = pd.DataFrame({
        "personne": np.concatenate([ids_sal, [f"{ids_sal[f]}-E{r}" for f, r in zip(foyer_enf, rang_enf)]]),
        "foyer": np.concatenate([ids_sal, ids_sal[foyer_enf]]),
        "lien": ["salarié"] * salaries + ["enfant"] * len(foyer_enf),
        "age": np.concatenate([age_sal, age_enf]),
        "femme": np.concatenate([femme_sal, rng.random(len(foyer_enf)) < 0.5]),
    })
    m = len(personnes)
    age = personnes["age"].to_numpy()
    p_ald = np.where(age < 18, 0.02, np.where(age < 45, 0.05, 0.12))
    en_ald = rng.random(m) < p_ald
    css = rng.random(m) < part_css
    enceinte = personnes["femme"].to_numpy() & (age >= 25) & (age <= 42) & (rng.random(m) < 0.05)
    jours_annee = (date(annee, 12, 31) - date(annee, 1, 1)).days + 1
    debut_mat = rng.integers(0, jours_annee, size=m)  # début de la période de maternité (≈ 4 mois)

    # --- Les consultations --------------------------------------------------------------------------
    moy_gen = np.where(age < 6, 5.0, np.where(age < 18, 2.5, 3.5)) * np.where(en_ald, 2, 1)
    moy_spe = np.where(age < 6, 0.5, np.where(age < 18, 0.7, 1.5)) * np.where(en_ald, 2, 1)
    n_gen, n_spe = rng.poisson(moy_gen), rng.poisson(moy_spe)
    qui = np.concatenate([np.repeat(np.arange(m), n_gen), np.repeat(np.arange(m), n_spe)])
    n = len(qui)
    generaliste = np.arange(n) < n_gen.sum()
    specialite = np.where(generaliste, "generaliste", _choisir(rng, n, SPECIALITES_AUTRES)).astype(object)
    jour_i = rng.integers(0, jours_annee, size=n)
    jours = np.datetime64(f"{annee}-01-01") + jour_i.astype("timedelta64[D]")
    a = age[qui]
    type_med = np.where(generaliste, _choisir(rng, n, parts["generaliste"]), _choisir(rng, n, parts["specialiste"]))
    secteur = np.array([TYPES[t][0] for t in type_med])
    dp = np.array([TYPES[t][1] for t in type_med])
    adherent = np.array([TYPES[t][2] for t in type_med])
    # Adhésion datée : CAS, puis OPTAM / OPTAM-CO (parametres/dptam.toml) ; avant le CAS, pas d'adhésion.
    cas_debut, cas_fin, _, _ = periode("dptam.CAS")
    optam_debut = periode("dptam.OPTAM")[0]
    optam_co = (rng.random(n) < 0.20) & ~generaliste
    dptam = np.full(n, None, dtype=object)
    jour_py = jours.astype("datetime64[D]").astype(object)
    ere_cas = (jours >= np.datetime64(cas_debut)) & (jours <= np.datetime64(cas_fin))
    ere_optam = jours >= np.datetime64(optam_debut)
    dptam[adherent & ere_cas] = "CAS"
    dptam[adherent & ere_optam] = np.where(optam_co, "OPTAM-CO", "OPTAM")[adherent & ere_optam]
    p_parcours = np.where(generaliste, 0.92, 0.85)
    parcours = (a < 16) | (rng.random(n) < p_parcours)
    ald = en_ald[qui] & (rng.random(n) < 0.70)
    maternite = enceinte[qui] & (jour_i >= debut_mat[qui]) & (jour_i < debut_mat[qui] + 122)
    css_c = css[qui]

    # --- Les bases (table des tarifs), une recherche par combinaison distincte ----------------------
    # Un patient de moins de 16 ans est toujours dans le parcours ici : parcours = parcours effectif.
    base, base_s1, ok = _bases(specialite, secteur, dp, dptam, jour_py, parcours, a)
    if not ok.all():  # base non établie : consultation de spécialiste ordinaire (voir le module)
        specialite[~ok] = "specialiste"
        base, base_s1, ok = _bases(specialite, secteur, dp, dptam, jour_py, parcours, a)
        if not ok.all():
            raise ErreurSaisie("annee", f"la table des tarifs ne donne pas toutes les bases de consultation en {annee}",
                               "une année que la table des tarifs couvre")
    return _finir(rng, personnes, qui, specialite, jours, secteur, dp, dptam, parcours, css_c, ald, maternite, base, base_s1)


def _bases(specialite, secteur, dp, dptam, jour_py, parcours, age):
    """(base, base du secteur 1, établie) en centimes, par la table des tarifs (reimb.brss).

    Une recherche par combinaison distincte (spécialité, médecin, jour, parcours, âge), pas par ligne ;
    l'âge ne compte que sous le seuil d'une base « enfant » (ex. moins de 6 ans chez le généraliste).
    """
    # Deux âges entre les mêmes seuils de la table (tranches d'âge, âges minimum) ont la même base.
    seuils = np.asarray(tarifs.seuils_age(), dtype=np.int64)
    rang = np.searchsorted(seuils, np.asarray(age, dtype=np.int64), side="right")
    age_cle = np.where(rang > 0, seuils[np.maximum(rang - 1, 0)], 0)
    cles = pd.DataFrame({"spe": specialite, "sect": secteur, "dp": dp, "dptam": dptam, "jour": jour_py, "parc": parcours,
                         "age": age_cle})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(cles.fillna({"dptam": ""})))
    base_u, base_s1_u, ok_u = [], [], []
    for spe, sect, dp_, dpt, jour, parc, ag in uniques:
        b = _centimes_base("consultation", spe, int(sect), bool(dp_), dpt or None, jour, bool(parc), int(ag))
        b1 = _centimes_base("consultation", spe, 1, False, None, jour, bool(parc), int(ag))
        base_u.append(b or 0)
        base_s1_u.append(b1 or 0)
        ok_u.append(b is not None and b1 is not None)
    return (np.array(base_u, dtype=np.int64)[codes], np.array(base_s1_u, dtype=np.int64)[codes],
            np.array(ok_u, dtype=bool)[codes])


def _finir(rng, personnes, qui, specialite, jours, secteur, dp, dptam, parcours, css, ald, maternite, base, base_s1):
    n = len(qui)
    adherent = np.array([d is not None for d in dptam], dtype=bool)
    non_adherent = (secteur == 2) & ~adherent | (secteur == 1) & dp & ~adherent
    # Taux de dépassement log-normaux [hyp.], honoraires arrondis à l'euro supérieur.
    taux_adh = np.minimum(rng.lognormal(np.log(0.35), 0.5, n), 1.0)
    taux_non_adh = np.minimum(rng.lognormal(np.log(0.80), 0.5, n), 3.0)
    taux_nc = np.minimum(rng.lognormal(np.log(1.00), 0.5, n), 3.0)
    au_tarif = rng.random(n) < 0.40

    def euro_sup(centimes):
        return -(-centimes // 100) * 100

    honoraires = base.copy()
    avec_dep = adherent & ~au_tarif
    honoraires[avec_dep] = np.maximum(euro_sup(base + np.rint(base * taux_adh).astype(np.int64)), base + 100)[avec_dep]
    honoraires[non_adherent] = np.maximum(euro_sup(base_s1 + np.rint(base_s1 * taux_non_adh).astype(np.int64)), base + 100)[non_adherent]
    nc = secteur == 3
    honoraires[nc] = euro_sup(base_s1 + np.rint(base_s1 * taux_nc).astype(np.int64))[nc]
    conventionne = secteur != 3
    honoraires[css & conventionne] = base[css & conventionne]

    p = personnes.iloc[qui].reset_index(drop=True)
    table = pd.DataFrame({
        "personne": pd.Categorical(p["personne"]), "foyer": pd.Categorical(p["foyer"]),
        "lien": pd.Categorical(p["lien"], categories=["salarié", "enfant"]), "age": p["age"].astype(np.int64),
        "date": pd.Series(jours).astype("datetime64[s]"),
        "specialite": pd.Categorical(specialite, categories=modele.SPECIALITES),
        "secteur": secteur.astype(np.int64), "droit_permanent": dp.astype(bool),
        "dptam": pd.Categorical(dptam, categories=modele.DPTAM),
        "parcours": parcours.astype(bool), "css": css.astype(bool), "ald": ald.astype(bool),
        "maternite": maternite.astype(bool), "honoraires": honoraires / 100,
    })
    ordre = np.lexsort((table["personne"].to_numpy(), table["date"].to_numpy()))
    return table.iloc[ordre].reset_index(drop=True)

