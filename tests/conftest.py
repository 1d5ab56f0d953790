"""Réglages communs des tests : l'ordre de lancement des tests les plus longs.

``make test`` lance les tests unitaires sur tous les cœurs (pytest-xdist, ``--dist load``) : un test ne se
partage pas entre deux processus, et le plus long d'entre eux, lancé en dernier, ferait attendre l'autre cœur. Les
tests les plus longs (``--durations``, mesurés sur 2 cœurs : 2 à 25 s chacun, le reste sous 2 s) partent donc les
premiers ; les autres remplissent ensuite les deux processus. L'ordre ne change rien à ce qui est vérifié : les tests
sont indépendants (chacun construit ses données).
"""

from __future__ import annotations

# Mesurés par `pytest --durations=0` (novembre 2026, après les stratégies construites une fois et les lignes des
# tables lues une fois), du plus long au moins long.
LENTS = (
    "tests/test_lot.py::test_lot_egal_au_moteur_au_centime",
    "tests/test_explication.py::test_chaque_etape_se_recalcule_depuis_ses_operandes",
    "tests/test_lot.py::test_lot_refuse_les_lignes_que_le_moteur_refuse",
    "tests/test_proprietes.py::test_deterministe_et_independant_de_la_forme_de_saisie",
    "tests/test_proprietes.py::test_erreur_exactement_quand_une_regle_l_exige",
    "tests/test_proprietes.py::test_decomptes_valides",
    "tests/test_fiabilite.py::test_scalaire_egal_lot_types_pandas3_de_bout_en_bout",
    "tests/test_lot.py::test_lot_egal_au_moteur_avec_plafonds_et_scenario",
    "tests/test_proprietes.py::test_responsable_sous_ses_plafonds",
    "tests/test_proprietes.py::test_hors_parcours_responsable",
    "tests/test_fiabilite.py::test_scalaire_egal_lot_types_pandas3_normalises",
    "tests/test_lot_morceaux.py::test_morceaux_egaux_a_un_seul_morceau",
    "tests/test_fiabilite.py::test_propriete_ecritures_egales_decomptes_egaux",
    "tests/test_proprietes.py::test_responsable_frais_reels_paie_jusqu_au_plafond",
    "tests/test_lot.py::test_le_tirage_couvre_tous_les_cas_valides",
    "tests/test_regles.py::test_meme_noyau_en_entiers_python_et_en_numpy",
)


def pytest_collection_modifyitems(config, items):
    rang = {nom: i for i, nom in enumerate(LENTS)}
    items.sort(key=lambda item: rang.get(item.nodeid.split("[")[0], len(LENTS)))  # tri stable : le reste garde son ordre
