"""La comparaison de garanties sur une population (notebook 05) : chiffres, figures et widget, sans navigateur.

Les totaux sont comparés au moteur scalaire ligne par ligne, et sur une petite table calculée à la main.
Le widget est testé comme dans le navigateur : on règle un curseur, on relit le tableau et l'histogramme.
"""

from datetime import date
from decimal import Decimal as D

import ipywidgets as w
import pandas as pd
import pytest

import reimb
from reimb.lot import appeler_moteur
from reimb.population import PARTS_SECTEURS, population
from reimb.presentation import population as pop

NBSP = "\u00a0"
JOUR = date(2024, 6, 3)  # PF 2 € (depuis le 15 mai 2024), plafond responsable 200 % et écart de 20 points


@pytest.fixture(scope="module")
def entreprise():
    return population(salaries=30, annee=2024, graine=7)


def petite_table():
    """Deux personnes, trois consultations en juin 2024, calculables à la main.

    A : généraliste secteur 1, 26,50 € (G 26,50 € depuis novembre 2023) ;
    A : spécialiste secteur 2 non adhérent, 60 € (base CS 23 €) ;
    B : spécialiste adhérent OPTAM, 50 € (base 31,50 €).
    """
    return pd.DataFrame({
        "personne": ["A", "A", "B"], "date": [JOUR] * 3, "honoraires": [D("26.50"), D("60"), D("50")],
        "secteur": [1, 2, 2], "dptam": [None, None, "OPTAM"], "specialite": ["generaliste", "specialiste", "specialiste"],
        "droit_permanent": False, "age": [40, 40, 50], "parcours": True, "css": False, "ald": False, "maternite": False,
    })


def test_totaux_calcules_a_la_main():
    r = pop.comparer(petite_table(), {"Confort": (200, 200)})
    t = pop.totaux(r).donnees["Confort"]
    # Sécu : 70 % × 26,50 = 18,55 − 2 = 16,55 ; 70 % × 23 = 16,10 − 2 = 14,10 ; 70 % × 31,50 = 22,05 − 2 = 20,05.
    assert t["Sécurité sociale (AMO)"] == D("50.70")
    # AMC : 100 % du TM chez le généraliste (26,50 − 18,55 = 7,95) ; non adhérent plafonné à 200 − 20 = 180 % :
    # 41,40 − 16,10 = 25,30 ; OPTAM 200 % × 31,50 = 63 → limité aux 50 € d'honoraires : 50 − 22,05 = 27,95.
    assert t["Complémentaire (AMC)"] == D("61.20")
    # Restes : A = 2 + (60 − 14,10 − 25,30 = 20,60) = 22,60 ; B = 50 − 20,05 − 27,95 = 2,00.
    assert t["Reste à charge"] == D("24.60")
    assert t["Honoraires"] == D("136.50")
    assert t["Reste à charge moyen par personne"] == D("12.30")   # 24,60 / 2
    assert t["Reste à charge médian par personne"] == D("12.30")  # (2,00 + 22,60) / 2
    assert t["Reste à charge maximal d'une personne"] == D("22.60")
    assert f"24,60{NBSP}€" in pop.totaux(r).texte


def test_cout_des_plafonds_a_la_main():
    c = pop.cout_plafonds(petite_table(), {"Confort": (200, 200)}).donnees["Confort"]
    # Non responsable : 200 % × 23 = 46 − 16,10 = 29,90 au lieu de 25,30 : 4,60 € de plus pour A.
    assert c["Surcoût pour les assurés"] == D("4.60")
    assert c["dont consultations où le plafond R.871-2 joue"] == D("4.60")
    assert c["dont autres consultations (hors parcours, R.871-1)"] == D("0.00")
    assert (c["Consultations touchées"], c["Personnes touchées"]) == (1, 1)
    assert c["Surcoût moyen par personne touchée"] == D("4.60")


def test_totaux_egaux_au_moteur_scalaire(entreprise):
    r = pop.comparer(entreprise, {"Premium": (300, 300)}, responsable=False)["Premium"]
    avec = entreprise.assign(garantie_dptam=300, garantie_hors_dptam=300, responsable=False)
    scalaires = [appeler_moteur(avec.iloc[i]) for i in range(len(avec))]
    # Sans plafond annuel atteint (moins de 25 consultations payantes par personne), le lot = le moteur, ligne à ligne.
    assert [int(d.reste_a_charge * 100) for d in scalaires] == r["reste_a_charge_centimes"].tolist()
    assert pop.totaux({"Premium": r}).donnees["Premium"]["Reste à charge"] == sum(d.reste_a_charge for d in scalaires)


def test_par_type_de_medecin(entreprise):
    r = pop.comparer(entreprise)
    a = pop.par_type(r)
    for nom, res in r.items():
        assert sum(a.donnees[nom]) == pop.totaux({nom: res}).donnees[nom]["Reste à charge"]
    types = pop.type_medecin(petite_table())
    assert list(types) == ["Secteur 1", "Non adhérent (secteur 2 ou secteur 1 DP)", "Adhérent DPTAM (CAS, OPTAM)"]


def test_apercu(entreprise):
    a = pop.apercu(entreprise).donnees["Nombre"]
    assert a["Consultations"] == len(entreprise)
    assert a["Personnes ayant consulté"] == entreprise["personne"].nunique()
    assert sum(a[f"Consultations : {t}"] for t in pop.TYPES_MEDECIN) == len(entreprise)


def test_histogramme_compte_chaque_personne(entreprise):
    r = pop.comparer(entreprise)
    fig = pop.histogramme(r, pas=10)
    for nom, res in r.items():
        donnees = fig.reimb_donnees[nom]
        par_personne = pop.reste_par_personne(res)
        assert sum(donnees["effectifs"]) == len(par_personne)
        assert donnees["bords"][1] - donnees["bords"][0] == D("10.00")
        # La première classe : les personnes dont le reste à charge annuel est < 10 €.
        assert donnees["effectifs"][0] == int((par_personne < 1000).sum())
    assert fig.axes[0].get_title() == "Reste à charge annuel par personne"


def test_barres_types(entreprise):
    r = pop.comparer(entreprise)
    fig = pop.barres_types(r)
    assert fig.reimb_donnees["Essentiel"] == dict(pop.par_type(r).donnees["Essentiel"])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == list(pop.TYPES_MEDECIN)


def test_exemple_plafonne():
    d = pop.exemple_plafonne(petite_table())
    assert d.plafond_responsable_applique and d.niveau_applique == D(180) and d.amc == D("25.30")


# --- Le widget -------------------------------------------------------------------------------------


def test_widget_recalcule_quand_on_bouge_un_curseur(entreprise):
    c = pop.comparateur(entreprise)
    assert isinstance(c.image, w.Image) and c.image.value[:4] == b"\x89PNG"
    assert isinstance(c.tableau, w.HTML) and "reimb-tableau" in c.tableau.value
    avant_png, avant_donnees = c.image.value, c.figure_donnees
    reste_avant = pop.totaux(c.resultats).donnees["Essentiel"]["Reste à charge"]

    c.controles["Essentiel/dptam"].value = 200      # ce que fait le curseur dans le navigateur
    c.controles["Essentiel/hors_dptam"].value = 200

    attendu = pop.totaux(pop.comparer(entreprise, {"Essentiel": (200, 200)}))
    nouveau = pop.totaux(c.resultats).donnees["Essentiel"]
    assert nouveau["Reste à charge"] == attendu.donnees["Essentiel"]["Reste à charge"] < reste_avant
    assert pop.euros(nouveau["Reste à charge"]) in c.tableau.value
    assert c.image.value != avant_png and c.figure_donnees != avant_donnees
    assert c.figure_donnees["Essentiel"] == c.figure_donnees["Confort"]  # mêmes niveaux → même histogramme


def test_widget_un_appel_par_changement_memes_decomptes(entreprise):
    """Les niveaux recalculés ensemble (tables mises bout à bout) donnent les décomptes de comparer(),
    plafond annuel de la participation forfaitaire par personne compris ; la figure est mise à jour, pas refaite."""
    c = pop.comparateur(entreprise)
    figure = c.figure
    c.controles["responsable"].value = False                 # les trois niveaux changent : un seul appel
    attendu = pop.comparer(entreprise, c.niveaux(), responsable=False)
    for nom in pop.NIVEAUX:
        pd.testing.assert_frame_equal(c.resultats[nom].reset_index(drop=True), attendu[nom].reset_index(drop=True),
                                      check_dtype=False)
    assert c.figure is figure and c.image.value[:4] == b"\x89PNG"
    donnees = pop.histogramme(attendu).reimb_donnees
    for nom in pop.NIVEAUX:                                  # mêmes effectifs que la figure statique
        n = len(donnees[nom]["effectifs"])
        assert c.figure_donnees[nom]["effectifs"][:n] == donnees[nom]["effectifs"]
        assert not any(c.figure_donnees[nom]["effectifs"][n:])


def test_widget_retour_a_un_reglage_deja_vu_sans_recalcul(entreprise, monkeypatch):
    """Revenir à un réglage déjà vu reprend ses décomptes gardés (aucun appel au lot), identiques à comparer()."""
    c = pop.comparateur(entreprise)
    png = c.image.value
    c.controles["responsable"].value = False
    appels = []
    vrai = pop.decompte_lot
    monkeypatch.setattr(pop, "decompte_lot", lambda *a, **k: appels.append(1) or vrai(*a, **k))
    c.controles["responsable"].value = True
    assert appels == [] and c.image.value == png
    attendu = pop.comparer(entreprise, c.niveaux(), responsable=True)
    for nom in pop.NIVEAUX:
        pd.testing.assert_frame_equal(c.resultats[nom].reset_index(drop=True), attendu[nom].reset_index(drop=True),
                                      check_dtype=False)
    appels.clear()
    c.vider_cache()
    c.controles["responsable"].value = False
    assert len(appels) == 1                                  # trois niveaux, un appel


def test_widget_contrat_non_responsable(entreprise):
    c = pop.comparateur(entreprise)
    responsable = pop.totaux(c.resultats).donnees["Premium"]["Reste à charge"]
    c.controles["responsable"].value = False
    libre = pop.totaux(c.resultats).donnees["Premium"]["Reste à charge"]
    cout = pop.cout_plafonds(entreprise).donnees["Premium"]
    assert responsable - libre == cout["Surcoût pour les assurés"]
    assert set(c.niveaux()) == set(pop.NIVEAUX)


# --- La population synthétique ---------------------------------------------------------------------


def test_population_reproductible_et_prete_pour_le_lot(entreprise):
    pd.testing.assert_frame_equal(entreprise, population(salaries=30, annee=2024, graine=7))
    assert not entreprise.equals(population(salaries=30, annee=2024, graine=8))
    assert {"personne", "foyer", "lien", "age", "date", "honoraires", "secteur", "dptam", "specialite", "parcours"} <= set(entreprise)
    assert (entreprise["age"] < 18).any() and entreprise["ald"].any()
    r = reimb.decompte_lot(entreprise.assign(garantie_dptam=100, garantie_hors_dptam=100))
    assert len(r) == len(entreprise)


@pytest.mark.parametrize("annee", range(2013, 2027))
def test_population_toutes_les_annees(annee):
    t = population(salaries=40, annee=annee, graine=annee)
    assert (t["date"].dt.year == annee).all()
    reimb.decompte_lot(t.assign(garantie_dptam="frais réels", garantie_hors_dptam=150))  # aucune ligne refusée
    # Adhésion datée : CAS jusqu'en 2016, OPTAM ensuite.
    dispositifs = set(t["dptam"].dropna().astype(str))
    assert dispositifs <= ({"CAS"} if annee <= 2016 else {"OPTAM", "OPTAM-CO"})


def test_population_parts_des_secteurs():
    """Sur une grande population, les consultations de spécialiste suivent les parts de la fiche (§1, 2023)."""
    t = population(salaries=4000, annee=2024, graine=1)
    spe = t[t["specialite"] != "generaliste"]
    types = pd.Series(pop.type_medecin(spe)).value_counts(normalize=True)
    parts = PARTS_SECTEURS["specialiste"]
    assert types["Non conventionné"] == pytest.approx(parts["non conventionné"], abs=0.004)
    assert types["Adhérent DPTAM (CAS, OPTAM)"] == pytest.approx(parts["secteur 2 adhérent"], abs=0.015)
    assert types["Non adhérent (secteur 2 ou secteur 1 DP)"] == pytest.approx(parts["secteur 2 non adhérent"] + parts["secteur 1 DP"], abs=0.015)


def test_population_refuse_une_annee_hors_table():
    with pytest.raises(reimb.ErreurSaisie, match="annee"):
        population(annee=2030)
    with pytest.raises(reimb.ErreurSaisie, match="salaries"):
        population(salaries=0)


def test_lignes_et_niveaux_en_francais():
    from datetime import date

    from reimb.population import population

    table = population(salaries=20, annee=2024, graine=1)
    vue = pop.lignes(table, 3)
    assert list(vue.donnees.index) == list(table.index[:3])
    assert "Honoraires" in vue.texte and "€" in vue.texte and ("oui" in vue.texte or "non" in vue.texte)
    n = pop.niveaux(date(2024, 6, 1))
    plafonds = n.donnees["Non-adhérents : plafond du contrat responsable"]
    # fiche §7.4 : depuis 2017, min(200, niveau adhérents − 20), jamais sous 100 (le ticket modérateur)
    assert [plafonds["Essentiel"], plafonds["Confort"], plafonds["Premium"]] == [100, 180, 200]
    assert "180\u00a0%" in n.texte
    assert pop.niveaux(date(2015, 3, 1)).donnees["Non-adhérents : plafond du contrat responsable"]["Confort"] is None
