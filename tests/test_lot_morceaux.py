"""Le lot calculé par morceaux (grandes tables) : le même résultat, au centime et dans le même ordre, qu'en un seul.

``decompte_lot`` découpe une table de plus de ``reimb.lot.TAILLE_MORCEAU`` lignes en morceaux de personnes
entières ; le mot-clé privé ``_taille_morceau`` force ici de tout petits morceaux. Les plafonds de la
participation forfaitaire (par jour et professionnel, par année) et le plafond annuel d'une garantie se
comptent par personne : une personne dont les consultations sont au début et à la fin de la table (donc de
part et d'autre d'une frontière de tranche) doit trouver le même « déjà compté » qu'en un seul morceau.
"""

from datetime import date
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from reimb.lot import ErreurLot, decompte_lot


def _alice_aux_deux_bouts():
    """Alice : 45 consultations le 1er mars 2024 en fin de table, 5 le 1er juin 2024 en tête ; Bob au milieu.

    Même table que le test du plafond annuel de tests/test_lot.py (PF 1 € en mars, 2 € en juin 2024 ; plafond
    50 € par an) : en juin, 45 + 2 + 2 = 49 €, puis 1 € (50 € atteints), puis 0, 0, 0. Bob : 30 consultations
    le 1er juin 2024 à 2 € : les 25 premières paient (50 €), les 5 dernières rien.
    """
    mars, juin = date(2024, 3, 1), date(2024, 6, 1)
    lignes = [("alice", juin)] * 5 + [("bob", juin)] * 30 + [("alice", mars)] * 45
    return pd.DataFrame({"personne": [p for p, _ in lignes], "date": [d for _, d in lignes],
                         "honoraires": [D("26.50")] * len(lignes), "secteur": 1, "age": 40})


@pytest.mark.parametrize("taille", [1, 7, 35, 1000])
def test_plafond_annuel_de_la_participation_a_travers_les_morceaux(taille):
    t = _alice_aux_deux_bouts()
    r = decompte_lot(t, _taille_morceau=taille)
    pf = r["participation_forfaitaire_centimes"].tolist()
    assert pf[:5] == [200, 200, 100, 0, 0]      # valeurs de la main (docstring ci-dessus)
    assert pf[5:35] == [200] * 25 + [0] * 5     # Bob : 25 × 2 € = 50 €, puis rien
    assert pf[35:] == [100] * 45                # Alice en mars : 45 × 1 €
    pd.testing.assert_frame_equal(r, decompte_lot(t))


def test_sans_colonne_personne_des_tranches_de_lignes():
    """Sans colonne ``personne``, pas de plafond : les morceaux sont des tranches de lignes, chaque ligne paie."""
    sans = _alice_aux_deux_bouts().drop(columns="personne")
    r = decompte_lot(sans, _taille_morceau=4)
    assert r["participation_forfaitaire_centimes"].tolist() == [200] * 35 + [100] * 45
    pd.testing.assert_frame_equal(r, decompte_lot(sans))


def _table_au_hasard(n: int, graine: int) -> pd.DataFrame:
    """Personnes et professionnels mêlés, peu de jours (les plafonds jouent), garanties avec plafond annuel,
    quelques lignes refusées (honoraires négatifs, personne manquante)."""
    rng = np.random.default_rng(graine)
    jours = [date(2016, 3, 1), date(2016, 3, 2), date(2024, 6, 10), date(2025, 1, 15)]
    personnes = rng.choice(["p1", "p2", "p3", "p4", "p5"], n).astype(object)
    honoraires = rng.choice([23, 25, 26.5, 30, 50, 80], n).astype(float)
    honoraires[rng.random(n) < 0.03] = -1.0
    personnes[rng.random(n) < 0.02] = None
    return pd.DataFrame({
        "personne": personnes, "professionnel": rng.choice(["A", "B"], n),
        "date": [jours[i] for i in rng.integers(0, len(jours), n)], "honoraires": honoraires,
        "secteur": rng.choice([1, 2], n), "age": rng.choice([8, 40, 70], n), "ald": rng.random(n) < 0.1,
        "parcours": rng.random(n) < 0.9, "specialite": rng.choice(["generaliste", "specialiste"], n),
        "garantie_dptam": rng.choice(["100 % BR dans la limite de 15 € par an", "200"], n),
        "garantie_hors_dptam": rng.choice(["RO + 100 % BR, dans la limite de 15 € par an", "125"], n),
    })


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_morceaux_egaux_a_un_seul_morceau(graine):
    t = _table_au_hasard(400, graine)
    entier = decompte_lot(t, erreurs="colonne")
    assert entier["erreur"].notna().any() and entier["erreur"].isna().any()
    # les plafonds jouent bien dans cette table : de la participation non payée, des garanties plafonnées à l'année
    valides = entier[entier["erreur"].isna()]
    assert (valides["participation_forfaitaire_centimes"] < valides["participation_forfaitaire_centimes"].max()).any()
    sans_limite = t.assign(**{c: t[c].str.replace(r",? dans la limite de 15 € par an", "", regex=True)
                              for c in ("garantie_dptam", "garantie_hors_dptam")})
    assert (decompte_lot(sans_limite, erreurs="colonne")["amc_centimes"] != entier["amc_centimes"]).sum() > 20
    for taille in (1, 13, 150):
        pd.testing.assert_frame_equal(decompte_lot(t, erreurs="colonne", _taille_morceau=taille), entier)
    ok = t[entier["erreur"].isna()]
    pd.testing.assert_frame_equal(decompte_lot(ok, euros=False, _taille_morceau=13), decompte_lot(ok, euros=False))


def test_lignes_refusees_citees_dans_l_ordre_de_la_table():
    """Le message d'une table refusée cite les mêmes premières lignes, dans le même ordre, par morceaux ou non."""
    t = _table_au_hasard(200, 4)
    with pytest.raises(ErreurLot) as entier:
        decompte_lot(t)
    with pytest.raises(ErreurLot) as morceaux:
        decompte_lot(t, _taille_morceau=11)
    assert morceaux.value.lignes == entier.value.lignes and morceaux.value.total == entier.value.total
    assert str(morceaux.value) == str(entier.value)
