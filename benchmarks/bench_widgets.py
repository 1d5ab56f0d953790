"""Mesure, à la main (pas un test) : ce que coûte un changement de contrôle dans chaque widget du cours.

    .venv/bin/python benchmarks/bench_widgets.py              # mesures complètes (~30-60 s)
    .venv/bin/python benchmarks/bench_widgets.py --rapide     # moins de répétitions
    .venv/bin/python benchmarks/bench_widgets.py --profil     # + le profil (cProfile) des deux graphiques

Pour chaque widget des notebooks 00 à 05, le script règle un contrôle comme le fait le navigateur
(``controle.value = …`` : l'observateur recalcule aussitôt, de façon synchrone) et chronomètre tout le
rappel : calcul avec ``reimb``, HTML du décompte ou du tableau, et PNG du graphique. Il affiche la
médiane (et le minimum) en ms, en temps processeur (``time.process_time``, peu sensible à la charge
d'une machine partagée : c'est lui qui sert au verdict) et en durée murale (``time.perf_counter``).

À côté, mesuré dans la même exécution, un **plancher matplotlib nu** pour chaque graphique : une
figure ``Figure`` (sans ``pyplot``) de la même taille, créée une fois, avec le même nombre de courbes
et de points ; à chaque mesure, ``set_data`` sur chaque courbe et un seul rendu PNG, au même nombre de
points par pouce. Un graphique du cours ne peut pas faire beaucoup mieux que ce plancher.

Les graphiques gardent ce qu'ils ont déjà calculé (courbes par niveau, décomptes par réglage) : un
contrôle qui revient à une valeur déjà vue ne rappelle pas le moteur. Chaque graphique est donc
mesuré deux fois : « nouvel état » (caches vidés avant chaque changement, sauf ce qui est affiché : le
cas d'une valeur jamais vue, celui du verdict) et « état déjà vu » (caches gardés : le va-et-vient
entre deux valeurs).

Objectifs (issue 15) : chaque widget à graphique ≤ 1,5 × son plancher ; chaque widget de décompte
≤ 5 ms. Les durées dépendent de la machine et de sa charge : des ordres de grandeur, pas des seuils
de test (le guide du projet : la performance se mesure ici, jamais par une assertion dans les tests).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import reimb  # noqa: E402
from reimb.population import population  # noqa: E402
from reimb.presentation import widgets  # noqa: E402
from reimb.presentation import population as pop  # noqa: E402

OBJECTIF_DECOMPTE_MS = 5.0
OBJECTIF_RATIO_GRAPHIQUE = 1.5


def mesurer(action, repetitions: int) -> dict:
    """Médianes et minimums (ms) de ``repetitions`` appels de ``action()``, processeur et mur."""
    action()  # premier appel : caches remplis, le régime établi
    cpu, mur = [], []
    for _ in range(repetitions):
        c0, m0 = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - c0) * 1e3)
        mur.append((time.perf_counter() - m0) * 1e3)
    return {"cpu": statistics.median(cpu), "cpu_min": min(cpu), "mur": statistics.median(mur), "mur_min": min(mur)}


def alterner(controle, valeurs, vider=None):
    """Une action qui donne au contrôle, tour à tour, chacune des valeurs (une vraie modification à chaque fois) ;
    ``vider`` : appelé d'abord (les caches du graphique vidés : un état jamais vu)."""
    cycle = itertools.cycle(valeurs)

    def action():
        if vider is not None:
            vider()
        controle.value = next(cycle)

    return action


# --- Les planchers : matplotlib nu, même taille, set_data et un rendu PNG --------------------------------


def plancher(taille: tuple[float, float], courbes: int, points: int, dpi: int = 80):
    """Une figure réutilisée : ``courbes`` lignes de ``points`` points ; chaque appel change les données
    (``set_data``) et rend un PNG. Le minimum que coûte un graphique mis à jour de cette taille."""
    fig = Figure(figsize=taille, dpi=dpi)
    ax = fig.add_subplot()
    x = np.linspace(20.0, 120.0, points)
    lignes = [ax.plot(x, x * 0 + i)[0] for i in range(courbes)]
    ax.set_xlim(20, 120)
    ax.set_ylim(0, 100)
    decalages = itertools.cycle((0.0, 5.0))

    def action():
        d = next(decalages)
        for i, ligne in enumerate(lignes):
            ligne.set_data(x, np.minimum(x * 0.5 + i * 3 + d, 95.0))
        tampon = io.BytesIO()
        fig.savefig(tampon, format="png", dpi=dpi)
        return tampon.getvalue()

    return action


# --- Les widgets du cours ------------------------------------------------------------------------------


def cas_widgets(entreprise):
    """(nom, sorte, action) : « decompte » (objectif 5 ms), « rac » ou « comp » (un graphique, avec son plancher ;
    « -vu » : le même, caches gardés)."""
    ex01 = widgets.decompte_interactif(honoraires=60, date_soins=date(2025, 3, 3), secteur="2", specialite="specialiste",
                                       garantie=reimb.Garantie(dptam=200, hors_dptam=180))
    ex02 = widgets.optam_interactif(annee=2018, opposables=6, avec_depassement=4, honoraires_depassement=50,
                                    taux_reference="40", part_reference="50")
    ex03 = widgets.contrat_responsable_interactif()
    d = reimb.decompte(honoraires="60", date=date(2016, 3, 1), medecin=reimb.Medecin(secteur=2, specialite="specialiste"),
                       patient=reimb.Patient(age=45), garantie=reimb.Garantie(dptam=150, hors_dptam=150))
    q = widgets.question("Question", d, champs=("amc", "reste_a_charge"))
    q.controles["amc"].value = "18,50"
    reponses = itertools.cycle(("21,10", "20,10"))

    def verifier():
        q.controles["reste_a_charge"].value = next(reponses)
        q.corriger()

    rac = widgets.reste_a_charge_interactif(date_soins=date(2016, 3, 1), niveaux="100, 150, 200")
    comp = pop.comparateur(entreprise)
    cas = [
        ("01 décompte : curseur des honoraires", "decompte", alterner(ex01.controles["honoraires"], (60.0, 60.5))),
        ("01 décompte : menu « Médecin »", "decompte", alterner(ex01.controles["secteur"], ("2DPTAM", "2"))),
        ("02 OPTAM : curseur des honoraires", "decompte", alterner(ex02.controles["honoraires"], (50.0, 51.0))),
        ("03 contrat responsable : curseur", "decompte", alterner(ex03.controles["honoraires"], (50.0, 51.0))),
        ("03 contrat responsable : BRSS", "decompte", alterner(ex03.controles["brss"], ("23", ""))),
        ("00-04 question : « Vérifier »", "decompte", verifier),
    ]
    graphiques = [
        ("03 reste à charge : niveaux", "rac", rac.controles["niveaux"], ("100, 150, 200", "100, 125, 200"), rac.graphique.vider_cache),
        ("03 reste à charge : date", "rac", rac.controles["date"], (date(2016, 3, 1), date(2018, 3, 1)), rac.graphique.vider_cache),
        ("03 reste à charge : responsable", "rac", rac.controles["responsable"], (False, True), rac.graphique.vider_cache),
        ("05 comparateur : curseur d'un niveau", "comp", comp.controles["Essentiel/dptam"], (150, 100), comp.vider_cache),
        ("05 comparateur : responsable", "comp", comp.controles["responsable"], (False, True), comp.vider_cache),
    ]
    for nom, sorte, controle, valeurs, vider in graphiques:
        cas.append((f"{nom} (nouvel état)", sorte, alterner(controle, valeurs, lambda vider=vider: vider(True))))
        cas.append((f"{nom} (état déjà vu)", sorte + "-vu", alterner(controle, valeurs)))
    return cas, rac, comp


def profil(action, titre: str, n: int = 10, lignes: int = 18) -> None:
    action()
    p = cProfile.Profile()
    p.enable()
    for _ in range(n):
        action()
    p.disable()
    for tri, libelle in (("cumulative", "temps cumulé"), ("tottime", "temps propre : les points chauds")):
        flux = io.StringIO()
        pstats.Stats(p, stream=flux).sort_stats(tri).print_stats(lignes)
        print(f"\nProfil de {titre} ({n} changements, tri par {libelle})")
        texte = flux.getvalue()
        debut = texte.find("   ncalls")
        print(texte[debut:].rstrip() if debut >= 0 else texte)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rapide", action="store_true", help="moins de répétitions")
    parser.add_argument("--profil", action="store_true", help="affiche le profil des graphiques")
    args = parser.parse_args()
    rep = 11 if args.rapide else 31

    print(f"Python {sys.version.split()[0]} — matplotlib {matplotlib.__version__} ({matplotlib.get_backend()})")
    charge = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Machine : {os.cpu_count()} cœurs, charge moyenne {charge} (1, 5, 15 min)")
    entreprise = population(salaries=300, annee=2024, graine=2024)  # celle du notebook 05
    print(f"Population du notebook 05 : {len(entreprise)} consultations × 3 niveaux")
    cas, rac, comp = cas_widgets(entreprise)

    # Les planchers : mêmes tailles, mêmes nombres de courbes et de points que les graphiques affichés.
    lignes_rac = rac.figure.axes[0].lines
    taille_rac = tuple(rac.figure.get_size_inches())
    n_points = max(len(ligne.get_xdata()) for ligne in lignes_rac)
    taille_comp = (7.5, 3.8)
    planchers = {
        "rac": (f"plancher {taille_rac[0]:g}×{taille_rac[1]:g} po, {len(lignes_rac)} courbes × {n_points} points",
                mesurer(plancher(taille_rac, len(lignes_rac), n_points), rep)),
        "comp": (f"plancher {taille_comp[0]:g}×{taille_comp[1]:g} po, 3 courbes × 60 points",
                 mesurer(plancher(taille_comp, 3, 60), rep)),
    }

    print(f"\nUn changement de contrôle (calcul + HTML + image), en ms : médiane de {rep} (minimum)")
    print("  processeur (verdict)  |  murale       widget : contrôle")
    resultats = []
    for nom, sorte, action in cas:
        m = mesurer(action, rep)
        resultats.append((nom, sorte, m))
        rapport = ""
        if sorte != "decompte":
            plancher_cpu = planchers[sorte.removesuffix("-vu")][1]["cpu"]
            rapport = f"   {m['cpu'] / plancher_cpu:4.2f} × plancher"
        print(f"  {m['cpu']:7.2f} ({m['cpu_min']:6.2f})  |  {m['mur']:7.2f} ({m['mur_min']:6.2f})  {nom}{rapport}")
    for _sorte, (libelle, m) in planchers.items():
        print(f"  {m['cpu']:7.2f} ({m['cpu_min']:6.2f})  |  {m['mur']:7.2f} ({m['mur_min']:6.2f})  "
              f"{libelle} (matplotlib nu, set_data + 1 PNG)")

    print()
    ok = True
    pire_decompte = max(m["cpu"] for _, s, m in resultats if s == "decompte")
    verdict = "atteint" if pire_decompte <= OBJECTIF_DECOMPTE_MS else "NON atteint"
    ok &= pire_decompte <= OBJECTIF_DECOMPTE_MS
    print(f"  → widgets de décompte : pire médiane {pire_decompte:.2f} ms pour ≤ {OBJECTIF_DECOMPTE_MS:g} ms : objectif {verdict}")
    for nom, sorte, m in resultats:
        if sorte not in planchers:  # les décomptes, et les états déjà vus (pour information)
            continue
        ratio = m["cpu"] / planchers[sorte][1]["cpu"]
        ok &= ratio <= OBJECTIF_RATIO_GRAPHIQUE
        verdict = "atteint" if ratio <= OBJECTIF_RATIO_GRAPHIQUE else "NON atteint"
        print(f"  → {nom} : {ratio:.2f} × plancher pour ≤ {OBJECTIF_RATIO_GRAPHIQUE:g} : objectif {verdict}")

    if args.profil:
        profil(cas[6][2], "« 03 reste à charge : niveaux » (nouvel état)")
        profil(cas[12][2], "« 05 comparateur : curseur d'un niveau » (nouvel état)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
