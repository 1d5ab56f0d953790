"""Le coût de reimb.colonnes (verifier_colonnes, normaliser_table) rapporté à decompte_lot (à lancer à la main).

    .venv/bin/python benchmarks/bench_fiabilite.py            # 1 000 000 lignes
    .venv/bin/python benchmarks/bench_fiabilite.py 200000     # autre taille

Quatre tables de N lignes, les mêmes consultations (2024, généralistes et spécialistes, secteurs 2 et 3,
garanties 150 % / 130 %, une colonne ``personne`` catégorielle) écrites de quatre façons :

1. **typée** : ``datetime64``, flottants, entiers, catégories — ce que rend reimb.population ;
   normaliser_table n'a rien à convertir (le cas courant : il doit coûter presque rien) ;
2. **CSV pandas 3** : la date en texte (dtype ``str``, moitié ISO ``2024-03-01``, moitié ``01/03/2024``),
   comme la rend ``read_csv`` sans ``parse_dates`` (decompte_lot la refuse aujourd'hui : revue, H2) ;
3. **âges mêlés** : une colonne d'objets ``age`` qui mêle 45, 45.0, numpy.int64(45) et Decimal("45")
   (revue, M1) ;
4. **cellules numpy** : une colonne d'objets ``honoraires`` de numpy.float64 et de textes « 50,00 ».

Pour chacune : la durée de normaliser_table, celle de decompte_lot(euros=False) sur la table
normalisée, leur rapport, et le pic de mémoire Python (tracemalloc) de normaliser_table. Chaque durée
est la meilleure de TOURS appels entrelacés (machine partagée). Puis, pour le constat M9 de la revue,
le coût de ``erreurs="colonne"`` avec 20 % de lignes refusées, avec et sans colonne d'identifiants
(mesure « avant » : lot.py a un autre propriétaire).
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from decimal import Decimal

import numpy as np
import pandas as pd

import reimb
from reimb.colonnes import normaliser_table, verifier_colonnes

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
TOURS = 3


def table_typee(n: int, graine: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(graine)
    jours = np.datetime64("2024-01-01") + rng.integers(0, 366, n).astype("timedelta64[D]")
    secteur = np.where(rng.random(n) < 0.8, 2, 3)                          # honoraires libres : toutes les lignes valides
    spe = np.where(rng.random(n) < 0.7, "generaliste", "specialiste")
    honoraires = 40.0 + rng.integers(0, 60, n)                              # au-dessus de toute base de 2024
    return pd.DataFrame({
        "honoraires": honoraires,
        "date": jours.astype("datetime64[s]"),
        "secteur": secteur.astype(np.int64),
        "specialite": pd.Categorical(spe, categories=reimb.modele.SPECIALITES),
        "age": rng.integers(0, 90, n).astype(np.int64),
        "personne": pd.Categorical(rng.integers(0, n // 9 + 1, n).astype(str)),
        "garantie_dptam": 150, "garantie_hors_dptam": 130,
    })


def variantes(t: pd.DataFrame) -> dict[str, pd.DataFrame]:
    n = len(t)
    jours = t["date"].to_numpy().astype("datetime64[D]")
    iso = np.datetime_as_string(jours)
    fr = pd.Series(jours).dt.strftime("%d/%m/%Y").to_numpy(dtype=str)
    texte = np.where(np.arange(n) % 2 == 0, iso, fr)
    ages = t["age"].to_numpy()
    age_obj = np.empty(n, dtype=object)
    age_obj[0::4] = ages[0::4].tolist()
    age_obj[1::4] = ages[1::4].astype(float).tolist()
    age_obj[2::4] = list(ages[2::4])                                         # numpy.int64
    age_obj[3::4] = [Decimal(int(a)) for a in ages[3::4]]
    h = t["honoraires"].to_numpy()
    h_obj = np.empty(n, dtype=object)
    h_obj[0::2] = list(h[0::2])                                              # numpy.float64
    h_obj[1::2] = [f"{x:.2f}".replace(".", ",") for x in h[1::2]]
    return {
        "typée": t,
        "CSV pandas 3 (date str)": t.assign(date=pd.Series(texte, dtype="str")),
        "âges mêlés (objets)": t.assign(age=age_obj),
        "cellules numpy (objets)": t.assign(honoraires=h_obj),
    }


def meilleur(f, tours=TOURS):
    durees = []
    for _ in range(tours):
        d0 = time.perf_counter()
        f()
        durees.append(time.perf_counter() - d0)
    return min(durees)


def pic_memoire(f) -> int:
    tracemalloc.start()
    f()
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pic


def main() -> None:
    print(f"Python {platform.python_version()} — pandas {pd.__version__}, numpy {np.__version__}")
    print(f"Machine : {os.cpu_count()} cœurs, charge moyenne {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{N:_} lignes, meilleure de {TOURS} mesures\n".replace("_", " "))
    t = table_typee(N)
    tables = variantes(t)
    d_verif = meilleur(lambda: verifier_colonnes(t), tours=20)
    print(f"verifier_colonnes : {d_verif * 1e6:.0f} µs (ne lit que les noms de colonnes)\n")
    print(f"{'table':<26} {'normaliser':>11} {'lot':>9} {'rapport':>8} {'pic mémoire':>12}  lot seul")
    for nom, table in tables.items():
        n = normaliser_table(table)
        reimb.decompte_lot(n, euros=False)  # caches remplis
        d_norm = meilleur(lambda table=table: normaliser_table(table))
        d_lot = meilleur(lambda n=n: reimb.decompte_lot(n, euros=False))
        pic = pic_memoire(lambda table=table: normaliser_table(table))
        try:
            reimb.decompte_lot(table, euros=False)
            seul = "passe"
        except Exception as e:  # noqa: BLE001 — on affiche ce que fait le lot d'aujourd'hui sans normalisation
            seul = f"{type(e).__name__}"
        print(f"{nom:<26} {d_norm:>9.3f} s {d_lot:>7.3f} s {d_norm / d_lot:>7.1%} {pic / 1e6:>9.1f} Mo  {seul}")

    # --- M9 : le rejeu du moteur scalaire pour les lignes refusées, avec et sans identifiant ---------------
    m = min(N, 10_000)
    r = table_typee(m, graine=9).drop(columns="personne")  # personne (un identifiant) défait déjà le regroupement
    refus = np.random.default_rng(9).random(m) < 0.2
    # Lignes refusées toutes pareilles (20 € < base, même jour, même âge, même médecin) : sans identifiant,
    # un seul rejeu du moteur scalaire suffit ; avec, une par ligne (revue, M9).
    r.loc[refus, "honoraires"] = 20.0
    r.loc[refus, "date"] = np.datetime64("2024-03-01", "s")
    r.loc[refus, "age"] = 45
    r.loc[refus, "secteur"] = 2
    r.loc[refus, "specialite"] = "generaliste"
    d_sans = meilleur(lambda: reimb.decompte_lot(r, erreurs="colonne", euros=False), tours=1)
    d_avec = meilleur(lambda: reimb.decompte_lot(r.assign(id_sinistre=np.arange(m)), erreurs="colonne", euros=False), tours=1)
    print(f"\nM9 (avant, lot.py d'aujourd'hui) : {m:_} lignes dont {refus.sum():_} refusées, erreurs=\"colonne\" :".replace("_", " "))
    print(f"  sans identifiant {d_sans:.2f} s ; avec une colonne id_sinistre {d_avec:.2f} s ; rapport {d_avec / d_sans:.1f}×")


if __name__ == "__main__":
    main()
