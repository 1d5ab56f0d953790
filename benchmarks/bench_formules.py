"""Mesure, en une exécution, ce que coûtent les formulations de garantie au calcul par lot (pas un test).

    .venv/bin/python benchmarks/bench_formules.py            # population de 100 000 salariés (≈ 950 000 lignes)
    .venv/bin/python benchmarks/bench_formules.py 20000      # autre taille

La même table (reimb.population, 2024, colonne ``personne``), trois garanties : niveaux simples
(150 % / 130 % BR), formulations « RO + 100 % BR » / « RO + 50 % BR », et les mêmes avec un plafond annuel
cumulé par personne (« … dans la limite de 200 € par an »). Chaque durée est la meilleure de cinq tours
entrelacés ; le rapport est imprimé, rien n'est affirmé.
"""

from __future__ import annotations

import sys
import time

import reimb
from reimb.population import population

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
table = population(N)
GARANTIES = {
    "niveaux simples (150 % / 130 % BR)": (150, 130),
    "RO + 100 % BR / RO + 50 % BR": ("RO + 100 % BR", "RO + 50 % BR"),
    "… avec plafond annuel cumulé": ("RO + 100 % BR dans la limite de 200 € par an", "RO + 50 % BR"),
}
tables = {nom: table.assign(garantie_dptam=d, garantie_hors_dptam=h, responsable=True) for nom, (d, h) in GARANTIES.items()}
for t in tables.values():
    reimb.decompte_lot(t, euros=False)  # caches
meilleur = {nom: float("inf") for nom in tables}
for _ in range(5):
    for nom, t in tables.items():
        debut = time.perf_counter()
        reimb.decompte_lot(t, euros=False)
        meilleur[nom] = min(meilleur[nom], time.perf_counter() - debut)
reference = meilleur["niveaux simples (150 % / 130 % BR)"]
print(f"{len(table)} lignes")
for nom, duree in meilleur.items():
    print(f"  {nom:40s} {duree:6.3f} s   × {duree / reference:4.2f}")
