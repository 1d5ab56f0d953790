"""Le noyau de règles (reimb.regles) : écrit une fois, il donne les mêmes nombres en entiers Python et en numpy.

Les valeurs attendues des exemples viennent des sources (citées) ou d'un calcul à la main écrit à côté.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reimb.parametres import serie
from reimb.regles import CONTROLES, REGLES, SCALAIRE, calculer, premier_refus, retenue_differee, tableau
from reimb.regles.cumul import deja_compte

# Une consultation « de base » : 2016, pourcentages à l'échelle 100 (cent = 100 %), montants en centimes.
BASE = dict(
    honoraires=5000,
    brss=2800,
    tarif_parcours=2800,
    conventionne=True,
    peut_depasser=True,
    generaliste=False,
    ligne_dptam=True,
    pe=True,
    age=45,
    css=False,
    ald=False,
    maternite=False,
    pf_deja_jour=0,
    pf_deja_annee=0,
    garantie=True,
    responsable=True,
    niv_dptam=125,
    fr_dptam=False,
    niv_hors=125,
    fr_hors=False,
    cent=100,
    da=0,
    t_normal=70,
    t_hp=30,
    t_exo=100,
    pf_montant=100,
    age_pf=18,
    pf_plafond_jour=400,
    pf_plafond_annee=5000,
    dep_max=125,
    dep_aucun=False,
    ecart=20,
    ecart_aucun=False,
)


def noyau(**changements):
    return calculer(SCALAIRE, dict(BASE, **changements))


def test_chaque_regle_cite_son_article_et_ses_parametres():
    for r in REGLES:
        assert r.article and r.__doc__, r.__name__
        for nom in r.parametres:
            assert all(v.reference for v in serie(nom)), nom  # la source d'une étape : la référence du TOML


def test_source_002_cas_125():
    """Source 002 : CAS, 50 €, BRSS 28 €, garantie 125 % : Sécu 19,60 − 1 = 18,60 ; AMC 35 − 19,60 = 15,40 ; reste 16."""
    v = noyau()
    assert (v["amo_brut"], v["amo"], v["amc"], v["reste_a_charge"]) == (1960, 1860, 1540, 1600)


def test_source_002_hypothese_2_plafond_130():
    """Non adhérent, BRSS 23 €, DPTAM 150 % : plafond 150 − 20 = 130 % × 23 = 29,90 − 16,10 = 13,80 (source 002)."""
    v = noyau(brss=2300, ligne_dptam=False, niv_dptam=150, niv_hors=150)
    assert (v["plafond"], v["limite"], v["plafonne"]) == (130, 2, True)
    assert (v["garanti"], v["amc"]) == (2990, 1380)


def test_da_hors_parcours_28_euros_donne_33():
    """Convention, art. 37.1 : 28 € × 1,175 = 32,90 → 33 € (domain-facts §4.3) ; base hors parcours 25 € → DA 8 €."""
    v = noyau(
        pe=False,
        brss=2500,
        honoraires=3300,
        da=175,
        cent=1000,
        t_normal=700,
        t_hp=300,
        t_exo=1000,
        niv_dptam=2000,
        niv_hors=2000,
        dep_max=1250,
        ecart=200,
        peut_depasser=False,
    )
    assert (v["da_maximum"], v["da_max"], v["da_exclu"]) == (3300, 800, 800)
    # Sécu 30 % × 25 = 7,50 ; majoration 40 % × 25 = 10 ; AMC = min(50, 33 − 8) − 7,50 − 10 = 7,50.
    assert (v["amo_brut"], v["majoration"], v["amc"]) == (750, 1000, 750)


@pytest.mark.parametrize(
    "deja_annee, deja_jour, attendu",
    [
        (0, 0, 100),
        (4950, 0, 50),
        (5000, 0, 0),
        (0, 300, 100),
        (0, 350, 50),
        (0, 400, 0),
        (4990, 350, 10),
    ],
)
def test_plafonds_de_la_participation(deja_annee, deja_jour, attendu):
    """PF 1 € ; au plus 4 € par jour chez un professionnel, 50 € par an (participation_forfaitaire.toml)."""
    v = noyau(pf_deja_annee=deja_annee, pf_deja_jour=deja_jour)
    assert v["participation_forfaitaire"] == attendu
    assert v["amo"] == 1960 - attendu


def test_refus_ecrits_une_fois():
    assert premier_refus(SCALAIRE, noyau()) is None
    refus = premier_refus(SCALAIRE, noyau(honoraires=2000))
    assert refus.champ == "honoraires" and "inférieur à la base" in refus.message(noyau(honoraires=2000))
    v = noyau(css=True)
    assert premier_refus(SCALAIRE, v).code == "depassement_css"
    assert len({c.code for c in CONTROLES}) == len(CONTROLES)


ENTIERS = {  # (bas, haut) de chaque entrée entière tirée
    "honoraires": (0, 40_000),
    "brss": (1, 20_000),
    "tarif_parcours": (1, 20_000),
    "age": (0, 130),
    "pf_deja_jour": (0, 1_000),
    "pf_deja_annee": (0, 6_000),
    "niv_dptam": (0, 50_000),
    "niv_hors": (0, 50_000),
    "da": (0, 3_000),
    "t_normal": (0, 10_000),
    "t_hp": (0, 10_000),
    "t_exo": (0, 10_000),
    "pf_montant": (0, 500),
    "dep_max": (0, 20_000),
    "ecart": (0, 5_000),
}
BOOLEENS = (
    "conventionne",
    "peut_depasser",
    "generaliste",
    "ligne_dptam",
    "pe",
    "css",
    "ald",
    "maternite",
    "garantie",
    "responsable",
    "fr_dptam",
    "fr_hors",
    "dep_aucun",
    "ecart_aucun",
)


@st.composite
def lignes(draw):
    v = {k: draw(st.integers(*b)) for k, b in ENTIERS.items()}
    v |= {k: draw(st.booleans()) for k in BOOLEENS}
    return v | dict(cent=10_000, age_pf=18, pf_plafond_jour=800, pf_plafond_annee=5_000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lignes(), min_size=1, max_size=30))
def test_meme_noyau_en_entiers_python_et_en_numpy(table):
    """Une formule, deux espaces de calcul : chaque valeur intermédiaire est la même, ligne par ligne."""
    colonnes = {k: np.array([l[k] for l in table]) for k in table[0]}
    for k in ("cent", "age_pf", "pf_plafond_jour", "pf_plafond_annee"):
        colonnes[k] = table[0][k]
    en_tableau = calculer(tableau(), colonnes)
    for i, ligne in enumerate(table):
        seul = calculer(SCALAIRE, dict(ligne))
        for cle, valeur in seul.items():
            x = en_tableau[cle]
            assert (x[i] if isinstance(x, np.ndarray) else x) == valeur, (cle, i)
    for c in CONTROLES:
        refus = np.broadcast_to(c.condition(tableau(), en_tableau), (len(table),))
        for i, ligne in enumerate(table):
            assert bool(refus[i]) == bool(c.condition(SCALAIRE, calculer(SCALAIRE, dict(ligne)))), c.code


def test_deja_compte_par_date_puis_ordre_des_lignes():
    """Trois consultations à 2 € dans un groupe plafonné à 5 € : déjà comptés 0, 2, 4 (par date, puis ordre)."""
    montants = np.array([200, 200, 200, 200])
    groupe = np.array([0, 0, 0, 1])
    jours = np.array([20, 10, 10, 10])
    valide = np.array([True, True, True, True])
    assert deja_compte(montants, groupe, jours, np.full(4, 500), valide).tolist() == [400, 0, 200, 0]
    # Sous le plafond, rien ne peut jouer : rien n'est trié, déjà compté laissé à 0.
    assert deja_compte(montants, groupe, jours, np.full(4, 5000), valide).tolist() == [0, 0, 0, 0]


def test_retenue_differee_de_la_participation():
    """Tiers payant (D.322-3, service-public A18033) : Sécu 19 € (21 − 2) ; 4 € en attente → 4 retenus, 15 versés ;
    24 € en attente → 19 retenus, 0 versé, 5 € attendront un remboursement suivant. Même règle en numpy."""
    assert retenue_differee(SCALAIRE, 1900, 400) == (400, 1500, 0)
    assert retenue_differee(SCALAIRE, 1900, 2400) == (1900, 0, 500)
    retenue, verse, reste = retenue_differee(tableau(), np.array([1900, 1900]), np.array([400, 2400]))
    assert (retenue.tolist(), verse.tolist(), reste.tolist()) == ([400, 1900], [1500, 0], [0, 500])
    assert "D.322-3" in retenue_differee.article
    assert all(v.reference for nom in retenue_differee.parametres for v in serie(nom))


@given(
    honoraires=st.integers(0, 50_000),
    brss=st.integers(0, 50_000),
    da_maximum=st.integers(0, 50_000),
    drapeaux=st.fixed_dictionaries(
        {c: st.booleans() for c in ("css", "conventionne", "peut_depasser", "pe", "generaliste")}
    ),
)
def test_un_controle_ne_refuse_jamais_hors_de_sa_condition_prealable(honoraires, brss, da_maximum, drapeaux):
    """Le lot n'évalue un contrôle que sur les lignes où sa condition préalable ``si`` est vraie : il faut donc que
    la condition du refus l'implique (sinon le lot laisserait passer ce que le moteur refuse)."""
    v = {
        "honoraires": honoraires,
        "brss": brss,
        "depassement": max(honoraires - brss, 0),
        "da_maximum": da_maximum,
        **drapeaux,
    }
    for c in CONTROLES:
        if c.si is not None and c.condition(SCALAIRE, v):
            assert c.si(SCALAIRE, v), c.code
