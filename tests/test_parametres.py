"""La table des paramètres : chaque valeur datée et sourcée, séries ordonnées sans chevauchement,
recherche par date juste aux dates de bascule, refus clair d'une date non couverte.

Les valeurs attendues aux bascules viennent de domain-facts.md (section citée à côté).
"""

import tomllib
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest

import reimb
from reimb import parametres
from reimb.parametres import couverture, parametre, periode, serie, toutes_les_series, verifier_date

FICHIERS = sorted(parametres.DOSSIER.glob("*.toml"))
UN_JOUR = timedelta(days=1)


# --- Structure : chaque valeur a une date de début et une référence -------------------------------

def _noeuds(donnees, prefixe=""):
    """(nom, noeud) pour chaque paramètre : série (``valeurs``), alias (``meme_que``) ou dispositif daté (``debut``)."""
    for cle, sous in donnees.items():
        nom = f"{prefixe}.{cle}" if prefixe else cle
        if not isinstance(sous, dict):
            # Un scalaire hors d'un paramètre serait une valeur sans date ni source.
            raise AssertionError(f"{nom} = {sous!r} : valeur isolée, sans date de début ni référence")
        if "valeurs" in sous or "meme_que" in sous or "debut" in sous:
            yield nom, sous
        else:
            yield from _noeuds(sous, nom)


def _tous_les_noeuds():
    for chemin in FICHIERS:
        with chemin.open("rb") as f:
            donnees = tomllib.load(f)
        for nom, noeud in _noeuds(donnees, chemin.stem):
            yield nom, noeud


NOEUDS = list(_tous_les_noeuds())


def _est_date(v):
    return isinstance(v, date) and not isinstance(v, datetime)


def test_les_fichiers_sont_la():
    noms = {c.stem for c in FICHIERS}
    assert {"participation_forfaitaire", "taux_amo", "contrat_responsable", "dptam", "tarifs", "couverture"} <= noms
    assert len(NOEUDS) >= 20


@pytest.mark.parametrize("nom, noeud", NOEUDS, ids=[n for n, _ in NOEUDS])
def test_chaque_valeur_est_datee_et_sourcee(nom, noeud):
    if "meme_que" in noeud:
        cible = serie(noeud["meme_que"])          # l'alias mène à une vraie série
        assert cible, f"{nom} : alias vers une série vide"
        return
    if "valeurs" not in noeud:                    # dispositif ou règle datés (dptam.CAS, regles.…)
        assert _est_date(noeud["debut"]), f"{nom} : début {noeud['debut']!r}"
        assert isinstance(noeud.get("reference"), str) and noeud["reference"].strip(), f"{nom} : référence vide"
        if "fin" in noeud:
            assert _est_date(noeud["fin"]) and noeud["fin"] >= noeud["debut"], nom
        return
    assert noeud.get("description", "").strip(), f"{nom} : description vide"
    assert "unite" in noeud, f"{nom} : unité absente"
    valeurs = noeud["valeurs"]
    assert valeurs, f"{nom} : aucune valeur"
    for v in valeurs:
        ou = f"{nom} (début {v.get('debut')})"
        assert _est_date(v.get("debut")), f"{ou} : date de début absente ou invalide"
        assert isinstance(v.get("reference"), str) and v["reference"].strip(), f"{ou} : référence vide"
        assert "valeur" in v, f"{ou} : pas de valeur"
        assert v["valeur"] == "aucun" or (isinstance(v["valeur"], (int, float)) and not isinstance(v["valeur"], bool)), ou
        if "fin" in v:
            assert _est_date(v["fin"]) and v["fin"] >= v["debut"], f"{ou} : fin avant le début"
        if "a_verifier" in v:
            assert isinstance(v["a_verifier"], str) and v["a_verifier"].strip(), ou


@pytest.mark.parametrize("nom, noeud", [(n, x) for n, x in NOEUDS if "valeurs" in x], ids=[n for n, x in NOEUDS if "valeurs" in x])
def test_series_ordonnees_sans_chevauchement(nom, noeud):
    valeurs = noeud["valeurs"]
    debuts = [v["debut"] for v in valeurs]
    assert debuts == sorted(debuts) and len(set(debuts)) == len(debuts), f"{nom} : débuts non strictement croissants {debuts}"
    for avant, apres in zip(valeurs, valeurs[1:]):
        if "fin" in avant:  # une fin explicite ne doit pas mordre sur la valeur suivante
            assert avant["fin"] < apres["debut"], f"{nom} : {avant['debut']}–{avant['fin']} chevauche {apres['debut']}"
    # La série lue par le module : mêmes débuts, chaque fin juste avant le début suivant.
    lue = serie(nom)
    assert [v.debut for v in lue] == debuts
    for avant, apres in zip(lue, lue[1:]):
        assert avant.fin is not None and avant.debut <= avant.fin < apres.debut
    assert lue[0].debut <= couverture()[1], f"{nom} : commence après la fin de la table"


@pytest.mark.parametrize("nom, noeud", [(n, x) for n, x in NOEUDS if "valeurs" in x], ids=[n for n, x in NOEUDS if "valeurs" in x])
def test_composition_egale_la_valeur(nom, noeud):
    # Une base décomposée (CS 23 + MPC 2 + MCS 3) doit faire exactement sa valeur (28).
    for v in serie(nom):
        if v.composition:
            assert sum(m for _, m in v.composition) == v.valeur, f"{nom} au {v.debut} : {v.composition} ≠ {v.valeur}"


def test_toutes_les_series_sont_lisibles():
    series = toutes_les_series()
    assert "participation_forfaitaire.montant" in series and "taux_amo.consultation" in series
    assert all(series.values())
    assert all(isinstance(v.valeur, (D, type(None))) for s in series.values() for v in s)


# --- Recherche par date, aux dates de bascule --------------------------------------------------------

@pytest.mark.parametrize(
    "nom, jour, attendu",
    [
        # domain-facts §5.1 : PF 1 € depuis le 1er janvier 2005, 2 € à partir du 15 mai 2024
        ("participation_forfaitaire.montant", date(2005, 1, 1), "1.00"),
        ("participation_forfaitaire.montant", date(2024, 5, 14), "1.00"),
        ("participation_forfaitaire.montant", date(2024, 5, 15), "2.00"),
        ("participation_forfaitaire.plafond_journalier", date(2024, 5, 14), "4.00"),   # 4 × 1 €
        ("participation_forfaitaire.plafond_journalier", date(2024, 5, 15), "8.00"),   # 4 × 2 €
        ("participation_forfaitaire.plafond_annuel", date(2024, 5, 15), "50.00"),
        # domain-facts §7.4 : plafond du dépassement hors DPTAM, aucun avant le 1er avril 2015,
        # 125 % en 2015-2016, 100 % à partir du 1er janvier 2017
        ("contrat_responsable.plafond_depassement_hors_dptam", date(2015, 3, 31), None),
        ("contrat_responsable.plafond_depassement_hors_dptam", date(2015, 4, 1), "125"),
        ("contrat_responsable.plafond_depassement_hors_dptam", date(2016, 12, 31), "125"),
        ("contrat_responsable.plafond_depassement_hors_dptam", date(2017, 1, 1), "100"),
        ("contrat_responsable.ecart_minimal_dptam", date(2015, 3, 31), None),
        ("contrat_responsable.ecart_minimal_dptam", date(2015, 4, 1), "20"),
        # domain-facts §4 : 70 % dans le parcours, 30 % hors parcours depuis le 31 janvier 2009
        ("taux_amo.consultation", date(2026, 12, 31), "70"),
        ("taux_amo.hors_parcours", date(2009, 1, 31), "30"),
        ("depassement_autorise.taux", date(2016, 3, 1), "17.5"),
        # domain-facts §3.1 : G 23 → 25 (1er mai 2017) → 26,50 (1er nov. 2023) → 30 (22 déc. 2024)
        ("tarifs.consultation.generaliste.opposable", date(2017, 4, 30), "23.00"),
        ("tarifs.consultation.generaliste.opposable", date(2017, 5, 1), "25.00"),
        ("tarifs.consultation.generaliste.opposable", date(2023, 10, 31), "25.00"),
        ("tarifs.consultation.generaliste.opposable", date(2023, 11, 1), "26.50"),
        ("tarifs.consultation.generaliste.opposable", date(2024, 12, 21), "26.50"),
        ("tarifs.consultation.generaliste.opposable", date(2024, 12, 22), "30.00"),
        # CS + MPC + MCS : 28 (CAS) → 30 (1er juillet 2017) → 31,50 (1er nov. 2023) ; CS seule 23
        ("tarifs.consultation.specialiste.opposable", date(2016, 3, 1), "28.00"),
        ("tarifs.consultation.specialiste.opposable", date(2017, 6, 30), "28.00"),
        ("tarifs.consultation.specialiste.opposable", date(2017, 7, 1), "30.00"),
        ("tarifs.consultation.specialiste.opposable", date(2023, 11, 1), "31.50"),
        ("tarifs.consultation.specialiste.hors_dptam", date(2016, 3, 1), "23.00"),
        # Tarif d'autorité (arrêté du 1er déc. 2006) : 0,61 € / 1,22 €
        ("tarifs.consultation.generaliste.autorite", date(2025, 2, 10), "0.61"),
        ("tarifs.consultation.specialiste.autorite", date(2025, 2, 10), "1.22"),
    ],
)
def test_valeur_a_la_date(nom, jour, attendu):
    v = parametre(nom, jour)
    assert v.valeur == (None if attendu is None else D(attendu))
    assert v.debut <= jour and (v.fin is None or jour <= v.fin)
    assert v.reference.strip()


def test_la_valeur_porte_sa_source():
    assert "2024-113" in parametre("participation_forfaitaire.montant", date(2024, 5, 15)).reference
    assert "2014-1374" in parametre("contrat_responsable.plafond_depassement_hors_dptam", date(2017, 1, 1)).reference


def test_alias_meme_valeurs():
    assert serie("tarifs.consultation.generaliste.opposable_hors_parcours") == serie("tarifs.consultation.generaliste.opposable")


@pytest.mark.parametrize(
    "jour, attendu",
    [
        (date(2015, 3, 31), None),       # avant la réforme du contrat responsable
        (date(2015, 4, 1), D(225)),      # 100 + 125
        (date(2016, 12, 31), D(225)),
        (date(2017, 1, 1), D(200)),      # 100 + 100
    ],
)
def test_plafond_hors_dptam_aux_bascules(jour, attendu):
    assert reimb.plafond_hors_dptam("frais réels", jour) == attendu


def test_periodes_dptam():
    # domain-facts §2.1 : CAS en vigueur le 1er décembre 2013, remplacé le 1er janvier 2017
    debut, fin, _, reference = periode("dptam.CAS")
    assert (debut, fin) == (date(2013, 12, 1), date(2016, 12, 31)) and reference
    for nom in ("dptam.OPTAM", "dptam.OPTAM-CO"):
        debut, fin, _, reference = periode(nom)
        assert (debut, fin) == (date(2017, 1, 1), None) and reference


# --- Une date que la table ne couvre pas ---------------------------------------------------------

def test_couverture():
    debut, fin = couverture()
    assert debut == date(2005, 1, 1)   # la PF, plus ancienne règle de la table (domain-facts §5.1)
    assert fin >= date(2025, 12, 31)
    parametre("participation_forfaitaire.montant", debut)
    parametre("participation_forfaitaire.montant", fin)


@pytest.mark.parametrize("decalage", ["avant", "apres"])
def test_hors_couverture(decalage):
    debut, fin = couverture()
    jour = debut - UN_JOUR if decalage == "avant" else fin + UN_JOUR
    with pytest.raises(reimb.ErreurSaisie) as e:
        parametre("participation_forfaitaire.montant", jour)
    assert e.value.champ == "date"
    assert f"{debut:%d/%m/%Y}" in str(e.value) and f"{fin:%d/%m/%Y}" in str(e.value)


def test_avant_la_premiere_valeur_du_parametre():
    # Dans la période de la table (2005 →), mais avant le parcours de soins (2006) : erreur, pas de défaut.
    with pytest.raises(reimb.ErreurSaisie) as e:
        parametre("taux_amo.hors_parcours", date(2005, 12, 31))
    assert e.value.champ == "date" and "01/01/2006" in str(e.value)


@pytest.mark.parametrize("jour", ["2016-03-01", 20160301, None, datetime(2016, 3, 1, 10, 30)])
def test_verifier_date_refuse_ce_qui_n_est_pas_une_date(jour):
    with pytest.raises(reimb.ErreurSaisie) as e:
        verifier_date(jour)
    assert e.value.champ == "date" and "datetime.date" in str(e.value)


def test_parametre_inconnu_est_une_erreur_de_programmation():
    with pytest.raises(KeyError):
        parametre("participation_forfaitaire.inexistant", date(2016, 1, 1))
