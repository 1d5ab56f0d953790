"""Mémoire de pointe de ``reimb.decompte_lot`` rapportée à la taille de la table d'entrée (à lancer à la main).

    .venv/bin/python benchmarks/bench_memoire_lot.py            # 5 000 000 lignes
    .venv/bin/python benchmarks/bench_memoire_lot.py 1000000    # autre taille

La table est celle de ``bench_lot.py`` (population synthétique, garanties 150 % / 130 %, colonne ``personne``) ;
la pointe est mesurée par ``tracemalloc`` (numpy et pandas y déclarent leurs tableaux ; la table d'entrée, allouée
avant, n'y compte pas : la pointe est ce que l'appel ajoute, table de sortie comprise), pour ``euros=False``
(colonnes en centimes) et ``euros=True`` (colonnes ``Decimal`` en plus). Une mesure, une exécution : pas un test.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

from bench_lot import table_de_test

import reimb
import reimb.lot

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000


def main() -> None:
    t0 = time.perf_counter()
    table = table_de_test(N)
    entree = table.memory_usage(deep=True).sum()
    print(f"{N:_} lignes ; table d'entrée {entree / 1e6:,.0f} Mo (pandas, deep) ; préparée en {time.perf_counter() - t0:.1f} s"
          .replace("_", " ").replace(",", " "))
    print(f"morceaux de {reimb.lot.TAILLE_MORCEAU:_} lignes au plus ; charge moyenne {os.getloadavg()[0]:.1f} (1 min)".replace("_", " "))
    reimb.decompte_lot(table.head(1000), euros=False)  # caches remplis
    for euros in (False, True):
        gc.collect()
        tracemalloc.start()
        t0 = time.perf_counter()
        sortie = reimb.decompte_lot(table, euros=euros)
        duree = time.perf_counter() - t0
        _, pointe = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"euros={euros!s:<5} : pointe {pointe / 1e6:8,.0f} Mo = {pointe / entree:4.1f} × l'entrée ; "
              f"sortie {sortie.memory_usage(deep=True).sum() / 1e6:8,.0f} Mo ; {duree:5.1f} s (sous tracemalloc)".replace(",", " "))
        del sortie


if __name__ == "__main__":
    main()
