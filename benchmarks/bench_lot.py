"""Mesure, en une exécution, le débit du décompte par lot (à lancer à la main, ce n'est pas un test).

    .venv/bin/python benchmarks/bench_lot.py            # 1 000 000 lignes
    .venv/bin/python benchmarks/bench_lot.py 200000     # autre taille

Trois débits sur la même table (population synthétique, reimb.population, année 2024, garanties
150 % / 130 % responsables, colonne ``personne`` : plafond annuel de la participation compris) :

1. ``reimb.decompte_lot`` : contrôles, recherche des paramètres, calcul, table en sortie ; avec
   ``euros=False`` (colonnes ``_centimes``) et avec les colonnes ``Decimal`` (par défaut) ;
2. le moteur scalaire ``reimb.decompte`` dans une boucle Python, sur un échantillon (extrapolé) ;
3. un plancher « numpy nu » : la même arithmétique en centimes sur des tableaux d'entiers préparés
   d'avance (codes, jours, centimes, grilles de paramètres), avec la même recherche des paramètres
   (une fois par jour de la plage, puis recopiée sur les lignes), sans contrôle ni DataFrame.

Les mesures sont entrelacées (un appel de chaque méthode par tour, cinq tours) et chaque durée est la
meilleure des cinq, après un premier appel qui remplit les caches : sur une machine partagée, un tour
ralenti pénalise toutes les méthodes, pas une seule. Le plancher et la boucle scalaire sont vérifiés
égaux au lot, centime pour centime, avant d'être chronométrés.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from decimal import Decimal

import numpy as np
import pandas as pd

import reimb
from reimb import lot, modele, tarifs
from reimb.parametres import attribut, serie
from reimb.population import population

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ECHANTILLON_SCALAIRE = 3_000
TOURS = 5


def table_de_test(n: int) -> pd.DataFrame:
    salaries = max(1, round(n / 9.45))  # ≈ 9,45 consultations par salarié (enfants compris)
    t = population(salaries=salaries, annee=2024, graine=2024)
    while len(t) < n:  # complète si le tirage est un peu court
        t = pd.concat([t, population(salaries=max(1, (n - len(t)) // 9), annee=2024, graine=len(t))], ignore_index=True)
    t = t.iloc[:n].reset_index(drop=True)
    t["personne"] = t["personne"].astype(str).astype("category")
    return t.assign(garantie_dptam=150, garantie_hors_dptam=130, responsable=True)


# --- Le plancher : la même arithmétique, nue -------------------------------------------------------


def grille(nom, echelle):
    """(débuts en jours depuis 1970, valeurs entières à l'échelle donnée) d'un paramètre."""
    valeurs = serie(nom)
    debuts = np.array([lot._jour(v.debut) for v in valeurs], dtype=np.int64)
    entiers = np.array([0 if v.valeur is None else int(v.valeur * echelle) for v in valeurs], dtype=np.int64)
    aucun = np.array([v.valeur is None for v in valeurs])
    return debuts, entiers, aucun


def au_jour(g, p):
    """La valeur du paramètre pour chaque ligne : cherchée pour chaque jour de la plage, puis recopiée."""
    debuts, valeurs, aucun = g
    i = np.searchsorted(debuts, p["plage"], side="right") - 1
    return valeurs[i][p["rang_jour"]], aucun[i][p["rang_jour"]]


def grille_tarifs(noms):
    cles, valeurs = [], []
    for rang, nom in enumerate(noms):
        try:
            vals = serie(nom)
        except KeyError:
            continue
        for v in vals:
            cles.append((rang << 20) + lot._jour(v.debut))
            valeurs.append(int(v.valeur * 100))
    return np.array(cles, dtype=np.int64), np.array(valeurs, dtype=np.int64)


def preparer(t: pd.DataFrame) -> dict:
    """Les tableaux d'entiers du plancher (préparés hors chronomètre)."""
    cats = ("opposable", "opposable_hors_parcours", "hors_dptam", "autorite")
    combos = [(a, s, c) for a in tarifs.ACTES for s in modele.SPECIALITES for c in cats]
    jours = t["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    p = {
        "jours": jours,
        "plage": np.arange(jours.min(), jours.max() + 1, dtype=np.int64),
        "rang_jour": (jours - jours.min()).astype(np.intp),
        "hon": np.rint(t["honoraires"].to_numpy() * 100).astype(np.int64),
        "secteur": t["secteur"].to_numpy(),
        "dp": t["droit_permanent"].to_numpy(),
        "dptam": t["dptam"].cat.codes.to_numpy().astype(np.int64),
        "spec": pd.Categorical(t["specialite"].astype(str), categories=modele.SPECIALITES).codes.astype(np.int64),
        "parcours": t["parcours"].to_numpy(), "age": t["age"].to_numpy(),
        "css": t["css"].to_numpy(), "ald": t["ald"].to_numpy(), "maternite": t["maternite"].to_numpy(),
        "niv_d": np.full(len(t), 150, dtype=np.int64), "niv_h": np.full(len(t), 130, dtype=np.int64),
        "responsable": t["responsable"].to_numpy(),
        "personne": t["personne"].cat.codes.to_numpy().astype(np.int64),
        "tarifs": grille_tarifs(tuple(f"{tarifs.cle_serie(a, s)}.{c}" for a, s, c in combos)),
        "tarifs18": grille_tarifs(tuple(f"{tarifs.cle_serie(a, s)}.hors_dptam_opposable" for a, s, c in combos)),
        "n_spe": len(modele.SPECIALITES), "n_cat": len(cats),
    }
    # Base propre aux jeunes enfants chez le généraliste (secteur 1 / DPTAM), par jour de la plage.
    nom_enfant = "tarifs.consultation.generaliste.opposable_moins_de_6_ans"
    enf = serie(nom_enfant)
    i = np.searchsorted(np.array([lot._jour(v.debut) for v in enf]), p["plage"], side="right") - 1
    p["enfant_ok"] = (i >= 0) & (p["plage"] <= lot._jour(enf[-1].fin))
    p["enfant_val"] = np.array([int(v.valeur * 100) for v in enf], dtype=np.int64)[np.maximum(i, 0)]
    p["enfant_seuil"] = int(attribut(nom_enfant, "age_inferieur_a"))
    p["generaliste"] = modele.SPECIALITES.index("generaliste")
    for cle, nom, echelle in [
        ("age_hp", "taux_amo.age_hors_parcours", 1), ("da", "depassement_autorise.taux", 10),
        ("t_n", "taux_amo.consultation", 10), ("t_hp", "taux_amo.hors_parcours", 10),
        ("t_exo", "taux_amo.exoneration", 10), ("pf", "participation_forfaitaire.montant", 100),
        ("age_pf", "participation_forfaitaire.age_exoneration", 1),
        ("dep_max", "contrat_responsable.plafond_depassement_hors_dptam", 10),
        ("ecart", "contrat_responsable.ecart_minimal_dptam", 10),
        ("plafond_an", "participation_forfaitaire.plafond_annuel", 100),
    ]:
        p[cle] = grille(nom, echelle)
    return p


def plancher(p: dict) -> dict:
    """La même arithmétique que decompte_lot (pourcentages à l'échelle 10), sans aucun contrôle."""
    j, hon = p["jours"], p["hon"]
    plage, rang_jour = p["plage"], p["rang_jour"]
    secteur, dp, a_dptam = p["secteur"], p["dp"], p["dptam"] >= 0
    ligne_dptam = a_dptam | ((secteur == 1) & ~dp)
    pe = p["parcours"] | (p["age"] < au_jour(p["age_hp"], p)[0])
    hp = ~pe
    cat = np.where(secteur == 3, 3, np.where(ligne_dptam, np.where(pe, 0, 1), 2))
    rang = p["spec"] * p["n_cat"]  # acte « consultation » : rang 0

    def tarif(categorie, grille_):
        cles, valeurs = grille_
        series = np.arange(p["n_spe"] * p["n_cat"] * 2, dtype=np.int64)  # toutes les séries × tous les jours
        i = np.searchsorted(cles, (np.repeat(series, len(plage)) << 20) + np.tile(plage, len(series)), side="right") - 1
        return valeurs[i][(rang + categorie) * len(plage) + rang_jour]

    brss = tarif(cat, p["tarifs"])
    b18 = tarif(cat, p["tarifs18"])
    brss = np.where((cat == 2) & pe & (hon == b18), b18, brss)
    generaliste = p["spec"] == p["generaliste"]
    enfant = (cat == 0) & generaliste & (p["age"] < p["enfant_seuil"]) & p["enfant_ok"][rang_jour]
    brss = np.where(enfant, p["enfant_val"][rang_jour], brss)
    dep = hon - brss
    cent = 1000
    da = au_jour(p["da"], p)[0]
    tarif_parcours = tarif(np.where(cat == 1, 0, cat), p["tarifs"])
    maximum = 100 * ((tarif_parcours * (cent + da) + cent * 100 - 1) // (cent * 100))
    da_max = np.where(hp & (secteur != 3) & ~generaliste, np.maximum(maximum - brss, 0), 0)  # DA : spécialistes conventionnés
    exonere = pe & (p["ald"] | p["maternite"])
    t_n, t_hp, t_exo = au_jour(p["t_n"], p)[0], au_jour(p["t_hp"], p)[0], au_jour(p["t_exo"], p)[0]
    t = np.where(hp, t_hp, np.where(exonere, t_exo, t_n))
    t_ref = np.where(exonere, t_exo, t_n)
    amo_brut = (2 * brss * t + cent) // (2 * cent)
    tm = brss - amo_brut
    majoration = np.where(t < t_ref, (2 * brss * np.maximum(t_ref - t, 0) + cent) // (2 * cent), 0)
    pf = np.where((p["age"] < au_jour(p["age_pf"], p)[0]) | p["css"] | p["maternite"], 0, au_jour(p["pf"], p)[0])
    dep_max, dep_aucun = au_jour(p["dep_max"], p)
    ecart, ecart_aucun = au_jour(p["ecart"], p)
    niv_d, niv_h = p["niv_d"] * 10, p["niv_h"] * 10
    a_plafonner = ~p["css"] & p["responsable"] & ~ligne_dptam
    niv = np.where(ligne_dptam, niv_d, niv_h)
    limite_1 = cent + dep_max
    limite_2 = np.maximum(cent, niv_d - ecart)
    plafond = np.where(~ecart_aucun & (limite_2 < limite_1), limite_2, limite_1)
    plafonne = a_plafonner & ~dep_aucun & (niv > plafond)
    niv = np.where(plafonne, plafond, niv)
    couvert = np.minimum((2 * brss * niv + cent) // (2 * cent), hon)
    exclusions = p["responsable"] & hp
    couvert = np.where(exclusions, np.minimum(couvert, hon - np.minimum(dep, da_max)), couvert)
    amc = np.maximum(couvert - amo_brut - np.where(exclusions, majoration, 0), 0)
    amc = np.where(p["css"], tm, amc)
    # Plafond annuel, par personne et par année (mêmes étapes que le lot).
    annee = plage.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)[rang_jour]
    annee -= annee.min()
    groupe = p["personne"] * (int(annee.max()) + 1) + annee
    cap = au_jour(p["plafond_an"], p)[0]
    a_trier = np.flatnonzero(np.bincount(groupe, weights=pf)[groupe] > cap)
    if len(a_trier):
        ordre = a_trier[np.lexsort((a_trier, j[a_trier], groupe[a_trier]))]
        g_o, pf_o = groupe[ordre], pf[ordre]
        cumul = np.cumsum(pf_o)
        nouveau = np.ones(len(ordre), dtype=bool)
        nouveau[1:] = g_o[1:] != g_o[:-1]
        depart = np.maximum.accumulate(np.where(nouveau, np.arange(len(ordre)), 0))
        pf = pf.copy()
        pf[ordre] = np.clip(cap[ordre] - (cumul - pf_o - (cumul[depart] - pf_o[depart])), 0, pf_o)
    retenue = np.minimum(pf, amo_brut)
    amo = amo_brut - retenue
    return {"brss_appliquee": brss, "amo_brut": amo_brut, "participation_forfaitaire": pf, "amo": amo,
            "ticket_moderateur": tm, "depassement": dep, "amc": amc, "reste_a_charge": hon - amo - amc}


# --- Le moteur scalaire, en boucle ------------------------------------------------------------------


def arguments_scalaires(t: pd.DataFrame) -> list[tuple]:
    """Les valeurs Python de chaque ligne (préparées hors chronomètre)."""
    lignes = []
    for r in t.itertuples(index=False):
        lignes.append((
            Decimal(repr(r.honoraires)), r.date.date(), int(r.secteur), None if pd.isna(r.dptam) else str(r.dptam),
            str(r.specialite), bool(r.droit_permanent), int(r.age), bool(r.css), bool(r.ald), bool(r.maternite),
            bool(r.parcours),
        ))
    return lignes


def boucle_scalaire(lignes):
    resultats = []
    for hon, jour, secteur, dptam, spe, dp, age, css, ald, mat, parcours in lignes:
        resultats.append(reimb.decompte(
            honoraires=hon, date=jour, parcours=parcours,
            medecin=reimb.Medecin(secteur=secteur, dptam=dptam, specialite=spe, droit_permanent=dp),
            patient=reimb.Patient(age=age, css=css, ald=ald, maternite=mat),
            garantie=reimb.Garantie(dptam=150, hors_dptam=130, responsable=True),
        ))
    return resultats


def main():
    print(f"reimb — décompte par lot : {N:,} lignes".replace(",", " "))
    print(f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} (1 min)")
    t0 = time.perf_counter()
    table = table_de_test(N)
    print(f"table synthétique préparée en {time.perf_counter() - t0:.1f} s "
          f"({table['personne'].nunique()} personnes, {table['date'].dt.year.iloc[0]})")

    p = preparer(table)
    echantillon = table.sample(ECHANTILLON_SCALAIRE, random_state=0)
    lignes = arguments_scalaires(echantillon)

    # Vérifications (hors chronomètre) : le plancher et la boucle scalaire calculent la même chose que le lot.
    r = reimb.decompte_lot(table, euros=False)
    for nom, v in plancher(p).items():
        assert np.array_equal(v, r[f"{nom}_centimes"].to_numpy()), nom
    res = boucle_scalaire(lignes)
    attendu = r.loc[echantillon.index, "reste_a_charge_centimes"].to_numpy()
    assert [int(x.reste_a_charge * 100) for x in res] == attendu.tolist()  # mêmes restes à charge
    del r, res

    # Mesures entrelacées (une de chaque par tour), meilleure durée de chaque : une machine partagée
    # ralentit un tour, pas une méthode plutôt qu'une autre.
    mesures = {"centimes": [], "euros": [], "plancher": [], "scalaire": []}
    for _ in range(TOURS):
        for cle, f in (("centimes", lambda: reimb.decompte_lot(table, euros=False)),
                       ("euros", lambda: reimb.decompte_lot(table)),
                       ("plancher", lambda: plancher(p)),
                       ("scalaire", lambda: boucle_scalaire(lignes))):
            t0 = time.perf_counter()
            f()
            mesures[cle].append(time.perf_counter() - t0)
    d_centimes, d_euros, d_plancher, d_scalaire = (min(mesures[k]) for k in ("centimes", "euros", "plancher", "scalaire"))

    debit = {
        "decompte_lot (euros=False)": N / d_centimes,
        "decompte_lot (colonnes Decimal)": N / d_euros,
        "reimb.decompte en boucle (extrapolé)": ECHANTILLON_SCALAIRE / d_scalaire,
        "plancher numpy nu": N / d_plancher,
    }
    print()
    largeur = max(map(len, debit))
    for nom, v in debit.items():
        print(f"{nom:<{largeur}}  {v:>14,.0f} lignes/s".replace(",", " "))
    scal, plan = debit["reimb.decompte en boucle (extrapolé)"], debit["plancher numpy nu"]
    print()
    print(f"decompte_lot (euros=False) / boucle scalaire : {debit['decompte_lot (euros=False)'] / scal:8.0f} ×  (objectif ≥ 100)")
    print(f"decompte_lot (Decimal)     / boucle scalaire : {debit['decompte_lot (colonnes Decimal)'] / scal:8.0f} ×")
    print(f"plancher / decompte_lot (euros=False)         : {plan / debit['decompte_lot (euros=False)']:8.2f} ×  (objectif ≤ 3)")
    print(f"plancher / decompte_lot (Decimal)             : {plan / debit['decompte_lot (colonnes Decimal)']:8.2f} ×")
    print(f"1 000 000 lignes par la boucle scalaire : {1_000_000 / scal:.0f} s (extrapolé)")
    print(f"charge moyenne en fin de mesure : {os.getloadavg()[0]:.1f} (1 min) — au-delà du nombre de cœurs, "
          "les rapports sont bruités")


if __name__ == "__main__":
    main()
