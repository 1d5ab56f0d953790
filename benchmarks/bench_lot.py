"""Mesure, en une exécution, le débit du décompte par lot (à lancer à la main, ce n'est pas un test).

    .venv/bin/python benchmarks/bench_lot.py            # 1 000 000 lignes
    .venv/bin/python benchmarks/bench_lot.py 200000     # autre taille

Trois débits sur la même table (population synthétique, reimb.population, année 2024, garanties
150 % / 130 % responsables, colonne ``personne`` : plafond annuel de la participation compris) :

1. ``reimb.decompte_lot`` : contrôles, recherche des paramètres, calcul, table en sortie ; avec
   ``euros=False`` (colonnes ``_centimes``) et avec les colonnes ``Decimal`` (par défaut) ;
2. le moteur scalaire ``reimb.decompte`` dans une boucle Python, sur un échantillon (extrapolé) ;
3. un plancher : le même noyau de règles (``reimb.regles``, par ``lot.appliquer_noyau``) sur les
   tableaux d'entrée déjà lus (centimes int64, bases résolues, paramètres du jour, groupes des plafonds de
   la participation), sans lecture de colonnes, sans contrôle ni DataFrame — pas une autre copie des règles.

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
from reimb import lot
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


# --- Le plancher : le même noyau, sur des tableaux déjà lus ------------------------------------------


def preparer(t: pd.DataFrame) -> dict:
    """Les entrées du noyau, lues hors chronomètre par les lecteurs du lot lui-même (colonnes, bases par
    reimb.tarifs.brss, paramètres du jour, groupes des plafonds de la participation) : des int64 et des booléens."""
    refus = lot._Refus(len(t))
    e = lot._lire(t, refus)
    v, cal = lot._entrees(t, e, refus)
    lot._parametres(v, e, cal, refus)
    groupe_jour, groupe_annee = lot._groupes(t, e, refus)
    assert refus.valides().all()
    return {"v": v, "groupes": (groupe_jour, groupe_annee), "jours": e["jours"], "valide": refus.valides()}


def plancher(p: dict) -> dict:
    """Le noyau de règles seul (reimb.regles, via lot.appliquer_noyau) : aucune lecture, aucun contrôle, aucune
    table en sortie — et aucune copie des règles : c'est le code même du lot."""
    v = lot.appliquer_noyau(dict(p["v"]), *p["groupes"], p["jours"], p["valide"])
    return {nom: v[cle] for nom, cle in lot._SORTIES.items()}


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
    processeur = {cle: [] for cle in mesures}  # temps processeur : moins sensible aux autres processus de la machine
    for _ in range(TOURS):
        for cle, f in (("centimes", lambda: reimb.decompte_lot(table, euros=False)),
                       ("euros", lambda: reimb.decompte_lot(table)),
                       ("plancher", lambda: plancher(p)),
                       ("scalaire", lambda: boucle_scalaire(lignes))):
            t0, c0 = time.perf_counter(), time.process_time()
            f()
            mesures[cle].append(time.perf_counter() - t0)
            processeur[cle].append(time.process_time() - c0)
    d_centimes, d_euros, d_plancher, d_scalaire = (min(mesures[k]) for k in ("centimes", "euros", "plancher", "scalaire"))

    debit = {
        "decompte_lot (euros=False)": N / d_centimes,
        "decompte_lot (colonnes Decimal)": N / d_euros,
        "reimb.decompte en boucle (extrapolé)": ECHANTILLON_SCALAIRE / d_scalaire,
        "plancher (noyau seul)": N / d_plancher,
    }
    print()
    largeur = max(map(len, debit))
    for nom, v in debit.items():
        print(f"{nom:<{largeur}}  {v:>14,.0f} lignes/s".replace(",", " "))
    scal, plan = debit["reimb.decompte en boucle (extrapolé)"], debit["plancher (noyau seul)"]
    print()
    print(f"decompte_lot (euros=False) / boucle scalaire : {debit['decompte_lot (euros=False)'] / scal:8.0f} ×  (objectif ≥ 100)")
    print(f"decompte_lot (Decimal)     / boucle scalaire : {debit['decompte_lot (colonnes Decimal)'] / scal:8.0f} ×")
    print(f"plancher / decompte_lot (euros=False)         : {plan / debit['decompte_lot (euros=False)']:8.2f} ×  (objectif ≤ 2)")
    print(f"plancher / decompte_lot (Decimal)             : {plan / debit['decompte_lot (colonnes Decimal)']:8.2f} ×")
    c = {cle: min(x) for cle, x in processeur.items()}
    print(f"en temps processeur (meilleur de {TOURS}) : plancher {c['plancher'] * 1e3:.0f} ms, lot {c['centimes'] * 1e3:.0f} ms "
          f"({c['centimes'] / c['plancher']:.2f} ×), lot Decimal {c['euros'] * 1e3:.0f} ms ({c['euros'] / c['plancher']:.2f} ×)")
    print(f"1 000 000 lignes par la boucle scalaire : {1_000_000 / scal:.0f} s (extrapolé)")
    print(f"charge moyenne en fin de mesure : {os.getloadavg()[0]:.1f} (1 min) — au-delà du nombre de cœurs, "
          "les rapports sont bruités")


if __name__ == "__main__":
    main()
