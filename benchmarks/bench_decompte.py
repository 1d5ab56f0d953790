"""Mesure, à la main (pas un test) : le coût d'un décompte et celui de ``import reimb``.

    .venv/bin/python benchmarks/bench_decompte.py            # mesures complètes (~40 s)
    .venv/bin/python benchmarks/bench_decompte.py --rapide   # moins de répétitions (~25 s)
    .venv/bin/python benchmarks/bench_decompte.py --avant /tmp/avant   # + avant / après, alternés

``--avant DOSSIER`` : DOSSIER contient une copie plus ancienne du paquet sous le nom ``reimb_avant``, par ex.
``git archive 3827701 reimb | tar -x -C /tmp/avant && mv /tmp/avant/reimb /tmp/avant/reimb_avant`` ; les deux
moteurs sont chronométrés à tour de rôle dans ce processus (la charge de la machine touche les deux), et les
montants et étapes de chaque cas sont comparés.

Objectifs (issue 2) : ≤ 50 µs par décompte (issue 10 : viser 25 µs) ; ``import reimb`` ≤ 100 ms, sans pandas, numpy,
matplotlib, ipywidgets ni babel. Le script affiche les chiffres et une ligne claire par objectif ;
il sort avec le code 1 si un module lourd est importé par ``import reimb``.

Les durées dépendent de la machine et de sa charge : ce sont des ordres de grandeur, pas des seuils
de test (le guide du projet : la performance se mesure ici, jamais par une assertion dans les tests).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

import reimb  # noqa: E402
from reimb import Garantie, Medecin, Patient  # noqa: E402

OBJECTIF_US = 50.0
VISEE_US = 25.0  # issue 10
OBJECTIF_IMPORT_MS = 100.0
MODULES_LOURDS = ("pandas", "numpy", "matplotlib", "ipywidgets", "babel")
CACHE_BYTECODE = os.path.join(tempfile.gettempdir(), "reimb-bench-pycache")

ADULTE = Patient(age=45)
CAS = {
    # Source 002 : CAS, 50 €, BRSS lue dans la table (28 €), garantie 125 %.
    "CAS 2016, BRSS omise, garantie 125 %": dict(
        honoraires="50", date=date(2016, 3, 1), medecin=Medecin(secteur=2, dptam="CAS", specialite="specialiste"),
        patient=ADULTE, garantie=Garantie(dptam=125, hors_dptam=125)),
    # Source 002, hypothèse 2 : non adhérent, BRSS donnée, 150 % plafonné à 130 % (contrat responsable).
    "non adhérent 2016, BRSS donnée, plafond 150 → 130 %": dict(
        honoraires="50", date=date(2016, 3, 1), medecin=Medecin(secteur=2, specialite="specialiste"),
        brss="23", patient=ADULTE, garantie=Garantie(dptam=150, hors_dptam=150)),
    # domain-facts, exemple 3 : généraliste secteur 1, 2025, 30 €, 100 % BRSS.
    "généraliste secteur 1 2025, BRSS omise, 100 %": dict(
        honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=ADULTE,
        garantie=Garantie(dptam=100, hors_dptam=100)),
    # Hors parcours : DA d'un spécialiste de secteur 1, exclusions du contrat responsable.
    "spécialiste secteur 1 hors parcours, DA, responsable 200 %": dict(
        honoraires="33", date=date(2016, 3, 1), medecin=Medecin(secteur=1, specialite="specialiste"),
        patient=ADULTE, garantie=Garantie(dptam=200, hors_dptam=200), parcours=False),
    # Non conventionné : tarif d'autorité, PF reportée, sans complémentaire.
    "secteur 3 2025, tarif d'autorité, sans complémentaire": dict(
        honoraires="60", date=date(2025, 2, 10), medecin=Medecin(secteur=3), patient=ADULTE),
    # Non adhérent, frais réels plafonnés à 200 % (2017 →), honoraires en float.
    "non adhérent 2024, frais réels plafonnés, float": dict(
        honoraires=80.0, date=date(2024, 6, 10), medecin=Medecin(secteur=2, specialite="specialiste"),
        patient=ADULTE, garantie=Garantie(dptam="frais réels", hors_dptam="frais réels")),
}


def _cas_pour(module) -> dict:
    """Les mêmes cas, écrits avec les classes d'un autre paquet (``reimb_avant``)."""
    def refaire(x):
        for nom in ("Medecin", "Patient", "Garantie"):
            if type(x).__name__ == nom:
                champs = {f: getattr(x, f) for f in ("secteur", "dptam", "specialite", "droit_permanent",
                                                     "age", "ald", "css", "maternite", "responsable", "nom")
                          if hasattr(x, f)}
                if nom == "Garantie":
                    champs.update(dptam=x.formule_dptam.texte or x.dptam, hors_dptam=x.formule_hors_dptam.texte or x.hors_dptam)
                return getattr(module, nom)(**champs)
        return x
    return {nom: {k: refaire(v) for k, v in arguments.items()} for nom, arguments in CAS.items()}


def comparer(dossier: str, repetitions: int) -> None:
    """Avant / après, alternés dans ce processus : temps processeur, meilleure de ``repetitions`` séries."""
    sys.path.insert(0, dossier)
    import reimb_avant

    avant = _cas_pour(reimb_avant)
    print(f"Avant / après, alternés ({reimb_avant.__file__}) — µs processeur, meilleure de {repetitions} séries")
    print("   après    avant   rapport")
    for nom, arguments in CAS.items():
        nouveau = lambda a=arguments: reimb.decompte(**a)  # noqa: E731
        ancien = lambda a=avant[nom]: reimb_avant.decompte(**a)  # noqa: E731
        dn, da = nouveau(), ancien()
        memes = [getattr(dn, c) for c in ("amo", "amc", "reste_a_charge")] == [getattr(da, c) for c in ("amo", "amc", "reste_a_charge")]
        memes = memes and [(e.libelle, e.montant) for e in dn.etapes] == [(e.libelle, e.montant) for e in da.etapes]
        nombre, _ = timeit.Timer(nouveau).autorange()
        tn, ta = [], []
        for _ in range(repetitions):
            tn.append(timeit.Timer(nouveau, timer=time.process_time).timeit(nombre) / nombre * 1e6)
            ta.append(timeit.Timer(ancien, timer=time.process_time).timeit(nombre) / nombre * 1e6)
        print(f"  {min(tn):6.1f}   {min(ta):6.1f}   {min(tn) / min(ta):5.2f}  {nom}{'' if memes else '  (RÉSULTATS DIFFÉRENTS)'}")
    print()


def cout_decompte(arguments: dict, repetitions: int, horloge) -> tuple[float, float]:
    """(médiane, minimum) du coût d'un décompte, en µs, sur ``repetitions`` séries chronométrées."""
    appel = lambda: reimb.decompte(**arguments)  # noqa: E731
    appel()                                       # tables lues, caches remplis : le régime établi
    nombre, _ = timeit.Timer(appel).autorange()   # assez d'appels pour ~0,2 s par série
    series = timeit.Timer(appel, timer=horloge).repeat(repeat=repetitions, number=nombre)
    par_appel = [s / nombre * 1e6 for s in series]
    return statistics.median(par_appel), min(par_appel)


def _environnement(bytecode: bool) -> dict:
    """L'environnement des interpréteurs neufs : avec un cache de bytecode (.pyc) ou sans.

    Avec : le cas d'un poste installé par ``make lab`` (les .pyc sont écrits au premier import) ; le
    cache est mis hors du dépôt (PYTHONPYCACHEPREFIX). Sans : chaque import recompile les sources,
    comme dans un environnement qui fixe PYTHONDONTWRITEBYTECODE=1.
    """
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if bytecode:
        env["PYTHONPYCACHEPREFIX"] = CACHE_BYTECODE
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def _sous_processus(code: str, bytecode: bool = True, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, cwd=RACINE,
                          env=_environnement(bytecode), check=True)


def _duree_processus(code: str, bytecode: bool) -> tuple[float, float]:
    """(durée murale, temps processeur) d'un interpréteur neuf qui exécute ``code``, en ms."""
    avant = resource.getrusage(resource.RUSAGE_CHILDREN)
    debut = time.perf_counter()
    _sous_processus(code, bytecode)
    mur = (time.perf_counter() - debut) * 1000
    apres = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (apres.ru_utime - avant.ru_utime + apres.ru_stime - avant.ru_stime) * 1000
    return mur, cpu


def cout_import(repetitions: int, bytecode: bool) -> dict:
    """Le coût de ``import reimb`` dans un interpréteur neuf, mesuré de trois façons."""
    if bytecode:
        _sous_processus("import reimb", True)  # écrit les .pyc une fois
    # 1. -X importtime : le temps cumulé du module reimb (ses dépendances comprises), en µs.
    cumuls = []
    for _ in range(repetitions):
        r = _sous_processus("import reimb", bytecode, "-X", "importtime")
        ligne = next(l for l in r.stderr.splitlines() if l.rstrip().endswith("| reimb"))
        cumuls.append(int(ligne.split("|")[1]) / 1000)
    # 2. Durée d'un processus « import reimb » moins celle d'un interpréteur vide (murale et processeur).
    vide, avec = [], []
    for _ in range(repetitions):          # alternés, pour que la charge de la machine touche les deux
        vide.append(_duree_processus("pass", bytecode))
        avec.append(_duree_processus("import reimb", bytecode))
    # 3. Premier décompte après l'import : lecture des tables TOML, une fois par processus.
    premier = _sous_processus(
        "import time, datetime, reimb\n"
        "t = time.perf_counter()\n"
        "reimb.decompte(honoraires='50', date=datetime.date(2016, 3, 1), medecin=reimb.Medecin(secteur=2, specialite='specialiste'))\n"
        "print((time.perf_counter() - t) * 1000)\n",
        bytecode,
    )
    mediane = lambda valeurs, i: statistics.median(v[i] for v in valeurs)  # noqa: E731
    return {
        "importtime_ms": statistics.median(cumuls),
        "importtime_min_ms": min(cumuls),
        "processus_ms": mediane(avec, 0) - mediane(vide, 0),
        "processus_cpu_ms": mediane(avec, 1) - mediane(vide, 1),
        "interpreteur_vide_ms": mediane(vide, 0),
        "premier_decompte_ms": float(premier.stdout.strip()),
    }


def modules_lourds() -> list[str]:
    r = _sous_processus(
        "import json, sys, reimb\n"
        f"print(json.dumps(sorted(m for m in {MODULES_LOURDS!r} if m in sys.modules)))\n"
    )
    return json.loads(r.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapide", action="store_true", help="moins de répétitions")
    parser.add_argument("--avant", metavar="DOSSIER", help="dossier d'une copie plus ancienne, paquet reimb_avant")
    options = parser.parse_args()
    repetitions = 3 if options.rapide else 5

    print(f"Python {sys.version.split()[0]} — {sys.executable}")
    print(f"reimb {reimb.__version__} — {RACINE}")
    charge = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Machine : {os.cpu_count()} cœurs, charge moyenne {charge} (1, 5, 15 min)")
    print()
    print(f"Coût d'un décompte, en µs : médiane de {repetitions} séries (minimum entre parenthèses)")
    print("  temps processeur (time.process_time, peu sensible à la charge) | durée murale (time.perf_counter)")
    pires = []
    for nom, arguments in CAS.items():
        cpu, cpu_min = cout_decompte(arguments, repetitions, time.process_time)
        mur, mur_min = cout_decompte(arguments, repetitions, time.perf_counter)
        pires.append(cpu)
        print(f"  {cpu:6.1f} ({cpu_min:5.1f})  | {mur:6.1f} ({mur_min:5.1f})  {nom}")
    pire = max(pires)
    verdict = "objectif atteint" if pire <= OBJECTIF_US else "AU-DESSUS de l'objectif"
    visee = "atteinte" if pire <= VISEE_US else "pas atteinte"
    print(f"  → pire médiane (processeur) {pire:.1f} µs pour un objectif de {OBJECTIF_US:.0f} µs : {verdict} "
          f"(visée de l'issue 10, {VISEE_US:.0f} µs : {visee})")
    print()
    if options.avant:
        comparer(options.avant, repetitions)

    mesures_import = []
    for bytecode, titre in ((True, "avec cache de bytecode (.pyc), le cas d'un poste installé"),
                            (False, "sans cache de bytecode (PYTHONDONTWRITEBYTECODE=1 : sources recompilées)")):
        imp = cout_import(repetitions, bytecode)
        print(f"import reimb dans un interpréteur neuf, {titre} — ms, médiane de {repetitions}")
        print(f"  {imp['importtime_ms']:6.1f}  cumul du module reimb selon python -X importtime (minimum {imp['importtime_min_ms']:.1f})")
        print(f"  {imp['processus_cpu_ms']:6.1f}  temps processeur : processus « import reimb » − interpréteur vide")
        print(f"  {imp['processus_ms']:6.1f}  durée murale : processus « import reimb » − interpréteur vide ({imp['interpreteur_vide_ms']:.1f})")
        print(f"  {imp['premier_decompte_ms']:6.1f}  premier décompte après l'import (lecture des tables TOML, une fois par processus)")
        mesures_import.append(min(imp["importtime_ms"], imp["processus_cpu_ms"]))
        print()
    pire_import = max(mesures_import)
    verdict = "objectif atteint" if pire_import <= OBJECTIF_IMPORT_MS else "AU-DESSUS de l'objectif"
    print(f"  → import reimb : {pire_import:.1f} ms au pire pour un objectif de {OBJECTIF_IMPORT_MS:.0f} ms : {verdict}")
    print()

    lourds = modules_lourds()
    if lourds:
        print(f"ÉCHEC : import reimb importe {', '.join(lourds)} (à charger seulement au premier usage)")
        return 1
    print(f"OK : import reimb n'importe aucun de {', '.join(MODULES_LOURDS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
