"""Les 29 constats de la revue de fiabilité (../shared/reviews/reliability.md), un test chacun.

Chaque test porte l'identifiant du constat (H1 … L16) et rejoue sa reproduction minimale : le bon
résultat (calculé à la main, à côté), ou une ErreurSaisie en français qui nomme le champ.

Les constats qui relèvent du calcul par lot (lot.py) sont corrigés par :mod:`reimb.colonnes`, que
``decompte_lot`` appellera à la fusion : ils sont testés contre ``reimb.colonnes`` directement, et de
bout en bout par ``reimb.decompte_lot`` avec ``xfail(reason="branché au moment de la fusion")``. Les
constats d'autres modules (optam, graphiques, widgets, paramètres, Medecin) sont marqués ``xfail``
avec le nom du module : le test est écrit, la correction appartient à son propriétaire.

Valeurs de référence (calculées à la main) :
- spécialiste secteur 2 adhérent au CAS, 1er mars 2016 : BRSS 28 € ; AMO = 70 % × 28 − 1 (PF) = 18,60 ;
  garantie 125 % : 125 % × 28 = 35,00, AMC = 35,00 − 19,60 = 15,40 ; reste à charge 50 − 18,60 − 15,40 = 16,00
  (l'exemple du module reimb) ;
- le même médecin non adhérent : BRSS 23 € ; AMO = 70 % × 23 − 1 = 15,10 ; sans complémentaire,
  reste à charge = 50 − 15,10 = 34,90.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reimb
from reimb import ErreurSaisie, Garantie, Medecin, Patient, decompte
from reimb.colonnes import ErreurColonne, lire_date, normaliser_table, verifier_colonnes
from reimb.garanties import ErreurFichier, Niveau, charger_garanties, lire_csv, lire_toml
from reimb.montants import arrondi, en_decimal, montant

JOUR = date(2016, 3, 1)
CAS = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
NON_CAS = Medecin(secteur=2, specialite="specialiste")
ADULTE = Patient(age=45)
G125 = Garantie(dptam=125, hors_dptam=125)



def autre(module):
    return pytest.mark.xfail(reason=f"{module} : autre propriétaire (voir le rapport)", strict=False)


def erreur(appel, *args, **kwargs) -> ErreurSaisie:
    with pytest.raises(ErreurSaisie) as e:
        appel(*args, **kwargs)
    return e.value


def lot(table, **options):
    """Le calcul par lot tel qu'il sera après la fusion : la table normalisée, puis decompte_lot."""
    return reimb.decompte_lot(normaliser_table(table), **options)


# ==================================================================================================
# High
# ==================================================================================================

def test_H1_flottant_numpy_accepte_partout():
    attendu = decompte(honoraires="50", date=JOUR, medecin=CAS, patient=ADULTE, garantie=G125)
    assert (attendu.amo, attendu.amc, attendu.reste_a_charge) == (D("18.60"), D("15.40"), D("16.00"))
    ligne = pd.DataFrame({"h": [50.0]}).loc[0, "h"]          # ce que rend df.loc : un numpy.float64
    assert isinstance(ligne, np.float64)
    for h in (np.float64(50.0), ligne, np.float32(50.0), np.int64(50)):
        d = decompte(honoraires=h, date=JOUR, medecin=CAS, patient=ADULTE,
                     garantie=Garantie(dptam=np.float64(125.0), hors_dptam=125))
        assert (d.amo, d.amc, d.reste_a_charge) == (D("18.60"), D("15.40"), D("16.00"))
    # brss et taux donnés en numpy : 70 % de 28 − 1 = 18,60
    d = decompte(honoraires=50, date=JOUR, medecin=CAS, patient=ADULTE, brss=np.float64(28.0), taux=np.float64(70.0))
    assert d.amo == D("18.60")
    # plafond responsable hors DPTAM : 150 % → 130 % en 2016 (source 002, doctest de responsable.py)
    assert reimb.plafond_hors_dptam(np.float64(150.0), JOUR) == reimb.plafond_hors_dptam(150, JOUR)
    assert reimb.brss("consultation", CAS, JOUR, honoraires=np.float64(50.0)).valeur == D("28.00")
    # Le lot, sur une colonne d'objets qui contient un numpy.float64 : 15,10 (non adhérent) par ligne
    t = pd.DataFrame({"honoraires": pd.Series([np.float64(50.0), 60.0], dtype=object),
                      "date": [JOUR] * 2, "secteur": 2})
    r = reimb.decompte_lot(t, erreurs="colonne")
    assert r["amo"].tolist() == [D("15.10"), D("15.10")] and r["erreur"].isna().all()


def test_H1_evaluer_engagements_en_numpy():
    activite = [(35, 23, date(2017, 3, 1), 30)]
    avec_numpy = [(np.float64(35.0), np.int64(23), date(2017, 3, 1), np.int64(30))]
    a = reimb.evaluer_engagements(activite, "OPTAM", taux_reference=50, part_reference=20)
    b = reimb.evaluer_engagements(avec_numpy, "OPTAM", taux_reference=np.float64(50.0), part_reference=np.float64(20.0))
    assert a == b


def test_H2_date_texte_de_pandas3_lue_par_colonnes():
    t = pd.read_csv(io.StringIO("honoraires;date;secteur\n50,00;2016-03-01;2\n50,00;01/03/2016;2\n"), sep=";")
    n = normaliser_table(t)
    assert n["date"].dtype == np.dtype("datetime64[s]")
    assert n["date"].tolist() == [pd.Timestamp(2016, 3, 1)] * 2
    r = reimb.decompte_lot(n, erreurs="colonne")
    assert r["amo"].tolist() == [D("15.10")] * 2       # 70 % × 23 − 1
    # Un texte qui n'est pas une date : la ligne est refusée en français, les autres lues.
    t = pd.read_csv(io.StringIO("honoraires;date;secteur\n50,00;2016-03-01;2\n50,00;30/02/2016;2\n"), sep=";")
    r = reimb.decompte_lot(normaliser_table(t), erreurs="colonne")
    assert r["amo"][0] == D("15.10") and r["erreur"][1].startswith("date : '30/02/2016' n'est pas une date")


def test_H2_date_texte_de_bout_en_bout():
    t = pd.read_csv(io.StringIO("honoraires;date;secteur\n50,00;2016-03-01;2\n"), sep=";")
    assert reimb.decompte_lot(t, erreurs="colonne")["amo"].tolist() == [D("15.10")]


def test_H3_optam_aco():
    e = reimb.evaluer_engagements([(35, 23, date(2025, 3, 1), 30)], "OPTAM-ACO")
    assert e is not None


TABLE_H4 = pd.DataFrame({"honoraires": [50.0], "date": [date(2024, 3, 1)], "secteur": [2], "DPTAM": ["OPTAM"],
                         "spécialité": ["specialiste"], "âge": [8], "garantie_dptam": [100], "garantie_hors_dptam": [100]})


def test_H4_colonne_mal_orthographiee_refusee():
    with pytest.raises(ErreurColonne) as e:
        verifier_colonnes(TABLE_H4)
    assert e.value.champ == "table"
    assert e.value.colonnes == ["DPTAM", "spécialité", "âge"] and e.value.attendues == ["dptam", "specialite", "age"]
    assert "colonne « spécialité » inconnue : vouliez-vous dire « specialite » ?" in str(e.value)
    # Corrigée, la table donne le bon décompte : spécialiste OPTAM 2024, BRSS 31,50 ; 8 ans, donc pas de PF :
    # AMO = 70 % × 31,50 = 22,05 ; garantie 100 % : AMC = 31,50 − 22,05 = 9,45 ; RAC = 50 − 22,05 − 9,45 = 18,50.
    r = lot(TABLE_H4.rename(columns={"DPTAM": "dptam", "spécialité": "specialite", "âge": "age"}))
    assert (r["brss_appliquee"][0], r["amo"][0], r["reste_a_charge"][0]) == (D("31.50"), D("22.05"), D("18.50"))


@pytest.mark.parametrize("nom, attendue", [
    ("Dptam", "dptam"), ("Parcours", "parcours"), ("CSS", "css"), ("ALD", "ald"), ("Age", "age"), ("age ", "age"),
    ("parcour", "parcours"), ("age_patient", "age"), ("Honoraires", "honoraires"), ("Date des soins", "date"),
    ("garantie_dptm", "garantie_dptam"), ("Spécialité", "specialite"), ("honoraire", "honoraires"),
])
def test_H4_fautes_courantes(nom, attendue):
    t = pd.DataFrame({"honoraires": [50.0], "date": [JOUR], "secteur": [2], nom: [1]}) if nom != "Honoraires" else \
        pd.DataFrame({"Honoraires": [50.0], "date": [JOUR], "secteur": [2]})
    with pytest.raises(ErreurColonne) as e:
        verifier_colonnes(t)
    assert e.value.attendues == [attendue]


def test_H4_colonnes_libres_conservees():
    # Les colonnes d'un courtier qui ne ressemblent à aucune colonne lue restent permises.
    t = pd.DataFrame({"honoraires": [50.0], "date": [JOUR], "secteur": [2], "id_sinistre": [7], "foyer": ["S1"],
                      "lien": ["salarié"], "date_naissance": [date(1970, 1, 1)], "commentaire": ["x"], 3: [0]})
    verifier_colonnes(t)
    assert lot(t)["id_sinistre"].tolist() == [7]


def test_H4_de_bout_en_bout():
    with pytest.raises(ErreurSaisie, match="vouliez-vous dire « dptam »"):
        reimb.decompte_lot(TABLE_H4)


# ==================================================================================================
# Medium
# ==================================================================================================

M1_BASE = pd.DataFrame({"honoraires": [50.0, 50.0], "date": [JOUR] * 2, "secteur": 2, "dptam": "CAS",
                        "specialite": "specialiste", "age": 45})


@pytest.mark.parametrize("colonne, valeurs", [
    ("age", [45.0, 45]), ("age", [D("45"), 45]), ("age", [np.int64(45), 45]), ("age", [45, np.float32(45)]),
    ("brss", [np.int64(28), 28]), ("brss", [np.float32(28), D("28")]),
    ("honoraires", [np.int64(50), 50.0]), ("honoraires", [np.float32(50), "50,00"]),
])
def test_M1_valeurs_egales_de_types_differents(colonne, valeurs):
    t = M1_BASE.assign(**{colonne: pd.Series(valeurs, dtype=object)})
    r = lot(t, erreurs="colonne")
    assert r["erreur"].isna().all(), r["erreur"].tolist()
    assert r["amo"].tolist() == [D("18.60")] * 2       # CAS 2016 : 70 % × 28 − 1


def test_M1_de_bout_en_bout():
    r = reimb.decompte_lot(M1_BASE.assign(age=pd.Series([45.0, 45], dtype=object)), erreurs="colonne")
    assert r["erreur"].isna().all()


def test_M2_entiers_numpy():
    assert Patient(age=np.int64(45)) == Patient(age=45) == Patient(age=45.0) == Patient(age=D("45"))
    assert type(Patient(age=np.int64(45)).age) is int
    assert Patient(age=8, css=np.bool_(True)).css is True
    d = decompte(honoraires=np.int64(50), date=JOUR, medecin=NON_CAS)
    assert d.reste_a_charge == D("34.90")              # 50 − 15,10
    import reimb.population

    t = reimb.population.population(salaries=np.int64(3), annee=np.int64(2024), graine=np.int64(1))
    assert len(t) > 0
    e = erreur(Patient, age=17.5)
    assert e.champ == "patient.age" and "nombre entier" in e.acceptes
    e = erreur(Patient, age="45")
    assert "convertissez avec int()" in e.message


def test_M2_secteur_normalise_comme_l_age():
    assert type(Medecin(secteur=np.int64(2)).secteur) is int and type(Medecin(secteur=2.0).secteur) is int


def test_M3_colonnes_en_double_categories_periodes():
    base = pd.DataFrame({"honoraires": [50.0], "date": [JOUR], "secteur": [2], "age": [45]})
    with pytest.raises(ErreurColonne) as e:
        normaliser_table(pd.concat([base, base[["age"]]], axis=1))
    assert e.value.champ == "table" and "colonne(s) en double : « age »" in str(e.value)
    cat = pd.DataFrame({"honoraires": [50.0, 50.0], "date": pd.Categorical([JOUR, JOUR]), "secteur": [2, 2]})
    assert lot(cat)["amo"].tolist() == [D("15.10")] * 2
    per = pd.DataFrame({"honoraires": [50.0], "date": pd.PeriodIndex(["2016-03-01"], freq="D"), "secteur": [2]})
    assert lot(per)["amo"].tolist() == [D("15.10")]
    mois = pd.DataFrame({"honoraires": [50.0], "date": pd.PeriodIndex(["2016-03"], freq="M"), "secteur": [2]})
    e = erreur(normaliser_table, mois)
    assert "des périodes" in str(e) and "« date »" in str(e)
    # Une catégorie de textes de dates, et une catégorie d'âges écrits 45.0
    t = pd.DataFrame({"honoraires": [50.0], "date": pd.Categorical(["2016-03-01"]), "secteur": [2],
                      "age": pd.Categorical([45.0])})
    assert lot(t)["amo"].tolist() == [D("15.10")]


def test_M3_de_bout_en_bout():
    r = reimb.decompte_lot(pd.DataFrame({"honoraires": [50.0], "date": pd.Categorical([JOUR]), "secteur": [2]}))
    assert r["amo"].tolist() == [D("15.10")]


@pytest.mark.parametrize("options, champ, fragment", [
    (dict(graine=-1), "graine", "nombre entier ≥ 0"),
    (dict(graine="abc"), "graine", "nombre entier ≥ 0"),
    (dict(part_css="0.5"), "part_css", "de 0 à 1"),
    (dict(part_css=True), "part_css", "de 0 à 1"),
    (dict(part_css=float("nan")), "part_css", "de 0 à 1"),
    (dict(parts_secteurs={"generaliste": {"secteur 1": 1.0}}), "parts_secteurs", "specialiste"),
    (dict(parts_secteurs={"generaliste": {"secteur 1": 1.0}, "specialiste": {"secteur 9": 1.0}}), "parts_secteurs['specialiste']", "secteur 1"),
    (dict(parts_secteurs={"generaliste": {"secteur 1": 0.0}, "specialiste": {"secteur 1": 0.0}}), "parts_secteurs['specialiste']", "somme > 0"),
    (dict(parts_secteurs={}), "parts_secteurs", "PARTS_SECTEURS"),
    (dict(parts_secteurs={"generaliste": {"secteur 1": -1}, "specialiste": {"secteur 1": 1}}), "parts_secteurs['generaliste']['secteur 1']", "≥ 0"),
])
def test_M4_population_verifie_ses_arguments(options, champ, fragment):
    import reimb.population as pop

    e = erreur(pop.population, salaries=5, **options)
    assert e.champ == champ and fragment in (e.acceptes or "") + e.message


def test_M4_parts_valides_appliquees():
    import reimb.population as pop

    t = pop.population(salaries=10, graine=2, parts_secteurs={"generaliste": {"secteur 1": 1},
                                                              "specialiste": {"secteur 2 non adhérent": 1}})
    assert set(t.loc[t["specialite"] == "generaliste", "secteur"]) == {1}
    assert set(t.loc[t["specialite"] != "generaliste", "secteur"]) <= {2}


def _csv(tmp_path, nom, octets: bytes):
    chemin = tmp_path / nom
    chemin.write_bytes(octets)
    return chemin


def test_M5_niveaux_et_montants_bornes_a_la_lecture(tmp_path):
    for ligne, fragment in [
        ("consultation.generaliste.dptam;9999999999999999999999999999999999999999\n", "démesuré"),
        ("consultation.generaliste.dptam;20000\n", "de 0 à 10000"),
        ("consultation.generaliste.dptam;100 % + 9999999999999999999999999999999999999999 €\n", "démesuré"),
        ("optique.monture;9999999999999999 €\n", "12 chiffres"),
    ]:
        chemin = _csv(tmp_path, "big.csv", ("poste;valeur\nnom;X\n" + ligne + "consultation.generaliste.hors_dptam;100\n").encode())
        with pytest.raises(ErreurFichier) as e:
            charger_garanties(chemin)
        assert (e.value.ligne, e.value.colonne) == (3, 2) and fragment in str(e.value), str(e.value)


def test_M6_guillemet_non_ferme_n_avale_pas_les_lignes(tmp_path):
    chemin = _csv(tmp_path, "quote.csv", b'poste;valeur\nnom;"Contrat Pro\nresponsable;non\n')
    with pytest.raises(ErreurFichier) as e:
        charger_garanties(chemin)
    assert (e.value.ligne, e.value.colonne) == (2, 2) and "guillemet ouvert et jamais fermé" in str(e.value)
    # Un guillemet bien fermé, ou doublé dans le texte, est lu.
    t = lire_csv('poste;valeur\nnom;"Contrat ""Pro""; deux"\nresponsable;non\n')
    assert (t.nom, t.responsable) == ('Contrat "Pro"; deux', False)


def test_M7_csv_d_excel_francais(tmp_path):
    texte = ("sep=;\r\n"
             "poste;valeur;commentaire;;\r\n"
             "nom;Contrat Pro Été;;;\r\n"
             "consultation.specialiste.dptam;150,00 %;;;\r\n"
             "consultation.specialiste.hors_dptam;130 %;;;\r\n"
             "optique.monture;100,00 €;plafond;;\r\n"
             "responsable;Oui;;;\r\n")
    t = charger_garanties(_csv(tmp_path, "xl.csv", texte.encode("cp1252")))
    assert t.nom == "Contrat Pro Été" and t.responsable is True
    assert t.consultation("specialiste").dptam.pourcentage == D("150.00") and t.optique.monture == D("100.00")
    # La reproduction de la revue, et l'UTF-16 (« Texte Unicode ») avec BOM
    brut = "poste;valeur;commentaire\r\nnom;Contrat Pro;\r\noptique.monture;100,00 €;\r\n"
    assert charger_garanties(_csv(tmp_path, "xl2.csv", brut.encode("cp1252"))).optique.monture == D("100.00")
    assert charger_garanties(_csv(tmp_path, "u16.csv", brut.encode("utf-16"))).nom == "Contrat Pro"


def test_M8_graphique_hors_table_explique():
    from reimb.presentation.graphiques import courbes_reste_a_charge

    with pytest.raises(ErreurSaisie):
        courbes_reste_a_charge(date(2030, 1, 1), (100, 150))


def test_M9_colonne_identifiant_memes_messages():
    # Correction (le coût du rejeu se mesure dans benchmarks/, lot.py a un autre propriétaire) : une colonne
    # d'identifiants ne change ni les montants ni les messages. 20 € < base 23 € : ligne refusée.
    t = pd.DataFrame({"honoraires": [20.0, 50.0, 20.0], "date": [JOUR] * 3, "secteur": 2, "specialite": "specialiste"})
    a = reimb.decompte_lot(t, erreurs="colonne", euros=False)
    b = reimb.decompte_lot(t.assign(id_sinistre=range(3)), erreurs="colonne", euros=False)
    assert a["erreur"].tolist() == b["erreur"].tolist() and a["erreur"].notna().tolist() == [True, False, True]


# ==================================================================================================
# Low
# ==================================================================================================

def test_L1_fins_de_ligne_mac_et_erreurs_csv(tmp_path):
    t = charger_garanties(_csv(tmp_path, "cr.csv", b"poste;valeur\rnom;X\rresponsable;oui\r"))
    assert (t.nom, t.responsable) == ("X", True)
    chemin = _csv(tmp_path, "long.csv", b"poste;valeur\nnom;" + b"x" * 200_000 + b"\n")
    with pytest.raises(ErreurFichier) as e:
        charger_garanties(chemin)
    assert e.value.ligne == 2 and "caractères" in str(e.value)
    with pytest.raises(ErreurFichier) as e:
        lire_csv('poste;valeur\nnom;"X"Y\n')
    assert e.value.ligne == 2 and "guillemet" in str(e.value)


@pytest.mark.parametrize("valeur, fragment", [("²", "n'est pas un nombre entier"), ("9" * 5000, "démesuré"),
                                              ("١٢", "n'est pas un nombre entier"), ("99999", "démesuré")])
def test_L2_entiers_du_csv(valeur, fragment):
    with pytest.raises(ErreurFichier) as e:
        lire_csv(f"poste;valeur\noptique.renouvellement_ans;{valeur}\n")
    assert (e.value.ligne, e.value.colonne) == (2, 2) and fragment in str(e.value)
    with pytest.raises(ErreurFichier):
        lire_toml("[optique]\nrenouvellement_ans = 9223372036854775807\n")
    assert lire_csv("poste;valeur\noptique.renouvellement_ans;2\n").optique.renouvellement_ans == 2


def test_L3_imbrication_profonde():
    e = erreur(lire_toml, "[" + ".".join(["a"] * 2000) + "]\nb = 1\n")
    assert "imbrication trop profonde" in str(e)
    e = erreur(lire_toml, "a = " + "{b = " * 500 + "1" + "}" * 500 + "\n")
    assert "imbrication trop profonde" in str(e) or "TOML" in str(e)


@pytest.mark.parametrize("chemin", [None, 3, b"x.csv", io.StringIO("poste;valeur")])
def test_L4_chemin_de_mauvais_type(chemin):
    e = erreur(charger_garanties, chemin)
    assert e.champ == "chemin" and "pathlib.Path" in e.acceptes


def test_L5_medecin_dptam_na():
    assert Medecin(secteur=2, dptam=pd.NA).dptam is None


def test_L6_liste_dans_une_cellule():
    t = pd.DataFrame({"honoraires": pd.Series([50, "abc", True, [50]], dtype=object), "date": [JOUR] * 4, "secteur": 2})
    r = lot(t, erreurs="colonne")
    assert r["amo"][0] == D("15.10")
    assert r["erreur"][3] == "honoraires : « [50] » n'est pas un nombre (valeurs acceptées : un nombre, par ex. 50 ou \"18,60\")"


def test_L6_de_bout_en_bout():
    t = pd.DataFrame({"honoraires": pd.Series([50, [50]], dtype=object), "date": [JOUR] * 2, "secteur": 2})
    assert reimb.decompte_lot(t, erreurs="colonne")["erreur"].notna().tolist() == [False, True]


def test_L7_arrondi_garde():
    assert arrondi("1,005") == D("1.01") and arrondi(1.005) == D("1.01") and arrondi(2) == D("2.00")
    r = arrondi(D("-0.001"))
    assert r == 0 and not r.is_signed()
    assert erreur(arrondi, D("1E+30")).champ == "montant"
    assert erreur(arrondi, None).champ == "montant"
    assert "nombre fini" in erreur(arrondi, D("NaN")).acceptes


def test_L7_parametre_garde():
    for nom in ("xxx", "dptam.CAS", "taux_amo.consultation.valeurs"):
        erreur(reimb.parametre, nom, JOUR)


@pytest.mark.parametrize("texte", ["2 8", "5_0", "50_000", "٥٠", "５０", "50,", "50.", "1e3", "+50", "1.000,50"])
def test_L8_nombres_absurdes_refuses(texte):
    for appel in (lambda: montant(texte, "honoraires"), lambda: Garantie(dptam=texte),
                  lambda: decompte(honoraires=texte, date=JOUR, medecin=NON_CAS)):
        e = erreur(appel)
        assert e.champ in ("honoraires", "garantie.dptam") and "n'est pas un nombre" in e.message


def test_L8_nombres_ecrits_acceptes():
    for texte, attendu in [("50 000", "50000"), ("1 234,50", "1234.50"), ("1\u202f234,50\u00a0€", "1234.50"),
                           ("-0", "0"), ("18.60", "18.60")]:
        assert en_decimal(texte, "x") == D(attendu)


def test_L9_absurdites_refusees_ou_signalees():
    assert erreur(Garantie, nom=["x"]).champ == "garantie.nom"
    assert erreur(Garantie, nom=123).champ == "garantie.nom"
    assert "caractère de contrôle" in erreur(Garantie, nom="a\x00b").message
    with pytest.raises(ErreurFichier) as e:
        lire_csv("poste;valeur\nnom;Contrat\x00X\n")
    assert (e.value.ligne, e.value.colonne) == (2, 2) and "caractère de contrôle" in str(e.value)
    # « 1,5 » lu 1,5 % (et non 150 %) : le contrôle du contrat responsable le signale (ticket modérateur
    # non couvert : 1,5 % < 100 % de la BRSS).
    t = lire_csv("poste;valeur\nconsultation.generaliste.dptam;1,5\nconsultation.generaliste.hors_dptam;1,5\n")
    assert t.consultation("generaliste").dptam.pourcentage == D("1.5")
    assert not reimb.verifier_responsable(t, date(2020, 1, 1)).conforme


def test_L9_optam_acte_et_part_de_reference():
    erreur(reimb.evaluer_engagements, [(35, 23, date(2017, 3, 1), 30)], "OPTAM", part_reference=150)


def test_L10_messages_en_francais_sans_doublon():
    e = erreur(lire_toml, 'nom = "X"\nresponsable = oui\n')
    assert "Invalid" not in str(e) and "valeur illisible" in str(e) and e.ligne == 2
    e = erreur(lire_toml, "a = 1\na = 2\n")
    assert "Cannot" not in str(e) and "deux fois" in str(e)
    e = erreur(lire_toml, 'nom = "X"\r\n[consultation.generaliste]\rdptam = 1\n')
    assert "Found" not in str(e) and "Expected" not in str(e)
    e = erreur(lire_toml, "[consultation.generaliste]\ndptam = nan\nhors_dptam = 100\n")
    assert str(e).count("valeurs acceptées") == 1 and "niveau :" not in str(e) and "n'est pas un niveau" in str(e)
    e = erreur(Garantie, dptam="beaucoup")
    assert '"18,60"' not in e.acceptes and "125" in e.acceptes


def test_L10_messages_des_autres_modules():
    t = pd.DataFrame({"honoraires": [50.0] * 6, "date": [JOUR] * 6, "secteur": [2] * 5 + [9]})
    with pytest.raises(ErreurSaisie) as e:
        reimb.decompte_lot(t)
    assert "np.int64" not in str(e.value)
    assert "OPTAM-ACO" in erreur(reimb.evaluer_engagements, [(35, 23, date(2017, 3, 1), 30)], "X").acceptes


@pytest.mark.parametrize("texte, attendu", [("150 %", D(150)), ("frais\u00a0réels", "frais réels"),
                                            ("100 % frais réels", "frais réels"), ("200 % BR", D(200)),
                                            ("1 000 %", D(1000)), ("125,5", D("125.5"))])
def test_L11_une_seule_lecture_des_niveaux(texte, attendu):
    assert Garantie(dptam=texte, hors_dptam=100).dptam == attendu
    n = Niveau.lire(texte)
    assert (FR := n.frais_reels) or n.pourcentage == attendu
    if not FR:
        assert reimb.plafond_hors_dptam(texte, JOUR) == reimb.plafond_hors_dptam(attendu, JOUR)


def test_L12_widgets_arguments():
    from reimb.presentation import widgets as W

    erreur(W.optam_interactif, honoraires_depassement="abc")


def test_L13_attributs_du_paquet():
    code = "import reimb; reimb.ErreurLot; reimb.population.population"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="pas de tube nommé sur ce système")
def test_L14_garde_de_taille_et_de_type(tmp_path):
    fifo = tmp_path / "x.csv"
    os.mkfifo(fifo)
    assert "fichier ordinaire" in erreur(charger_garanties, fifo).message     # sans bloquer
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    assert "fichier ordinaire" in erreur(charger_garanties, zero).message
    gros = tmp_path / "gros.csv"
    gros.write_bytes(b"poste;valeur\n" + b"# " + b"x" * 1_100_000 + b"\n")
    assert "mégaoctet" in erreur(charger_garanties, gros).message
    dossier = tmp_path / "d.csv"
    dossier.mkdir()
    assert "dossier" in erreur(charger_garanties, dossier).message


def test_L15_decimales_des_niveaux_bornees():
    t = pd.DataFrame({"honoraires": [50.0] * 3, "date": [JOUR] * 3, "secteur": 2, "garantie_hors_dptam": 125,
                      "garantie_dptam": pd.Series(["1e-10000", 133.33333333333334, 125], dtype=object)})
    r = reimb.decompte_lot(t, erreurs="colonne")
    assert r["erreur"][0].startswith("garantie.dptam : « 1e-10000 » n'est pas un nombre")
    assert "4 décimales" in r["erreur"][1] and r["erreur"][2] is None
    assert "4 décimales" in erreur(Garantie, dptam=D("1e-10000")).message
    assert Garantie(dptam="133,3333").dptam == D("133.3333")


def test_L16_normaliser_ne_copie_pas_les_colonnes_inchangees():
    # Information (mémoire du lot) : la normalisation n'ajoute pas de copie des colonnes déjà lisibles.
    t = pd.DataFrame({"honoraires": np.arange(1000, dtype=float) + 50, "date": np.full(1000, np.datetime64("2016-03-01", "s")),
                      "secteur": np.full(1000, 2), "age": np.full(1000, 45)})
    n = normaliser_table(t)
    for c in t.columns:
        assert np.shares_memory(n[c].to_numpy(), t[c].to_numpy()), c


# ==================================================================================================
# reimb.colonnes : lire_date et cas limites
# ==================================================================================================

def test_lire_date():
    assert lire_date("2016-03-01") == lire_date("01/03/2016") == lire_date(" 1/3/2016 ") == date(2016, 3, 1)
    assert lire_date("2016-03-01 00:00:00") == date(2016, 3, 1)
    for texte in ("2016-02-30", "03/01/16", "2016-03-01 15:00", "mars 2016", "", None, 20160301):
        assert lire_date(texte) is None


def test_normaliser_garde_les_cases_vides_et_le_reste():
    t = pd.DataFrame({"honoraires": [50.0, 50.0, 50.0], "secteur": 2,
                      "date": pd.Series(["2016-03-01", None, "01/03/2016"], dtype="str"), "x": ["a", "b", "c"]})
    n = normaliser_table(t)
    assert n["date"].isna().tolist() == [False, True, False] and list(n.columns) == list(t.columns)
    assert t["date"].dtype != n["date"].dtype            # l'original n'est pas modifié
    r = reimb.decompte_lot(n, erreurs="colonne")
    assert r["erreur"][1].startswith("date") and r["amo"][0] == D("15.10")


def test_verifier_colonnes_refuse_autre_chose_qu_un_dataframe():
    assert erreur(verifier_colonnes, [1, 2]).champ == "table"


# ==================================================================================================
# Propriété : des valeurs égales, écrites de façons différentes, donnent le même décompte
# ==================================================================================================

def _ecritures_montant(centimes: int):
    """Toutes les écritures acceptées d'un montant au centime (numpy, Python, Decimal, texte français)."""
    d = D(centimes) / 100
    euros, cts = divmod(centimes, 100)
    groupes = f"{euros:,}".replace(",", "\u202f")
    ecritures = [d, str(d), f"{euros},{cts:02d}", f"{groupes},{cts:02d}\u00a0€", float(d), np.float64(float(d)),
                 np.float32(float(d))]
    if cts == 0:
        ecritures += [euros, np.int64(euros), np.int32(euros), f"{groupes}", D(euros)]
    return ecritures


def _ecritures_niveau(dixiemes: int):
    d = D(dixiemes) / 10
    texte = str(d).replace(".", ",")
    ecritures = [d, f"{texte} %", f"{texte} % BR", float(d), np.float64(float(d))]
    if dixiemes % 10 == 0:
        ecritures += [dixiemes // 10, np.int64(dixiemes // 10), f"{dixiemes // 10}"]
    return ecritures


def _resume(d):
    return (d.brss, d.amo_brut, d.participation_forfaitaire, d.amo, d.ticket_moderateur, d.depassement, d.amc,
            d.reste_a_charge, d.niveau_applique, d.plafond_responsable_applique,
            tuple((e.libelle, e.montant, e.regle) for e in d.etapes))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    centimes=st.integers(2800, 300_000),
    dixiemes=st.integers(1000, 4000),
    age=st.integers(0, 130),
    choix=st.data(),
)
def test_propriete_ecritures_egales_decomptes_egaux(centimes, dixiemes, age, choix):
    h = choix.draw(st.sampled_from(_ecritures_montant(centimes)), label="honoraires")
    n = choix.draw(st.sampled_from(_ecritures_niveau(dixiemes)), label="niveau")
    a = choix.draw(st.sampled_from([age, np.int64(age), np.int16(age), float(age), np.float64(age), D(age)]), label="âge")
    brss = choix.draw(st.sampled_from([None, 23, np.int64(23), "23,00", np.float64(23.0), D("23.00")]), label="brss")
    # La référence : les mêmes valeurs en Decimal (la base donnée ou lue dans la table : 23 € en 2016).
    reference = decompte(honoraires=D(centimes) / 100, date=JOUR, medecin=NON_CAS, patient=Patient(age=age),
                         brss=None if brss is None else D("23.00"),
                         garantie=Garantie(dptam=D(dixiemes) / 10, hors_dptam=D(dixiemes) / 10))
    d = decompte(honoraires=h, date=JOUR, medecin=NON_CAS, patient=Patient(age=a), brss=brss,
                 garantie=Garantie(dptam=n, hors_dptam=n))
    assert _resume(d) == _resume(reference)


# ==================================================================================================
# Scalaire = lot sur une grande table aux types de pandas 3 (après la fusion : sans normaliser_table)
# ==================================================================================================

def _grande_table(n: int, graine: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(graine)
    medecins = [(1, None), (2, None), (2, "CAS"), (3, None)]
    m = rng.integers(0, len(medecins), n)
    jour = rng.integers(0, 28, n) + 1
    cts = rng.integers(2800, 9000, n)
    cts[rng.random(n) < 0.1] = 2000                       # sous la base : refusées (secteur 1 et 2)
    age = rng.integers(0, 90, n)
    niveaux = np.array([100, 125, 150, 200], dtype=object)[rng.integers(0, 4, n)]
    texte_date = [f"2016-03-{j:02d}" if k % 2 else f"{j:02d}/03/2016" for k, j in enumerate(jour)]
    cts[np.array([medecins[i][0] for i in m]) == 1] = 2300   # secteur 1 : au tarif (généraliste 2016 : 23 €)
    age_obj = np.empty(n, dtype=object)
    for k, (a, mode) in enumerate(zip(age, rng.integers(0, 4, n))):
        age_obj[k] = [int(a), float(a), np.int64(a), D(int(a))][mode]
    return pd.DataFrame({
        "honoraires": pd.Series([f"{c // 100},{c % 100:02d}" for c in cts], dtype="str"),
        "date": pd.Series(texte_date, dtype="str"),
        "secteur": [medecins[i][0] for i in m],
        "dptam": pd.Categorical([medecins[i][1] for i in m], categories=["CAS", "OPTAM"]),
        "specialite": pd.Series(["generaliste"] * n, dtype="str"),
        "age": age_obj,
        "garantie_dptam": niveaux, "garantie_hors_dptam": niveaux,
        "id_sinistre": np.arange(n),
    })


def _lignes(table: pd.DataFrame, colonnes=None) -> list[dict]:
    """Les lignes d'une table, lues une fois, colonne par colonne (``to_numpy``) : pour les colonnes de ces tests
    (entiers et objets numpy, chaînes et catégories de pandas 3, objets), les mêmes valeurs, de mêmes types, que
    ``table.iloc[i][colonne]`` (vérifié cellule par cellule sur la table de 5 000 lignes) ; ``iloc`` ligne à ligne
    faisait plus de la moitié de la durée de ces tests."""
    colonnes = list(table.columns) if colonnes is None else colonnes
    return [dict(zip(colonnes, valeurs)) for valeurs in zip(*(table[c].to_numpy() for c in colonnes))]


def _comparer(resultat: pd.DataFrame, table: pd.DataFrame):
    cles = ["honoraires", "date", "secteur", "dptam", "age", "garantie_dptam"]
    vus = {}
    lignes, sorties = _lignes(table), _lignes(resultat, ["erreur", "amo", "amc", "reste_a_charge"])  # colonnes objet
    for i in range(len(table)):
        ligne = lignes[i]
        cle = tuple(str(ligne[c]) + type(ligne[c]).__name__ for c in cles)
        if cle not in vus:
            try:
                jour = lire_date(ligne["date"])
                d = decompte(honoraires=ligne["honoraires"], date=jour,
                             medecin=Medecin(secteur=int(ligne["secteur"]), dptam=None if pd.isna(ligne["dptam"]) else ligne["dptam"]),
                             patient=Patient(age=ligne["age"]),
                             garantie=Garantie(dptam=ligne["garantie_dptam"], hors_dptam=ligne["garantie_hors_dptam"]))
                vus[cle] = (d.amo, d.amc, d.reste_a_charge)
            except ErreurSaisie:
                vus[cle] = None
        attendu = vus[cle]
        r = sorties[i]
        if attendu is None:
            assert r["erreur"] is not None, i
        else:
            assert r["erreur"] is None and (r["amo"], r["amc"], r["reste_a_charge"]) == attendu, (i, r["erreur"])


# 5 000 lignes : toutes les combinaisons que tire la table (médecin × écriture de la date × type de l'âge × niveau ×
# honoraires sous la base, 224) y sont, comme dans 20 000 lignes (compté une fois, graine 11), pour un quart du temps.
LIGNES_GRANDE_TABLE = 5_000


def test_scalaire_egal_lot_types_pandas3_normalises():
    t = _grande_table(LIGNES_GRANDE_TABLE)
    _comparer(lot(t, erreurs="colonne"), t)


def test_scalaire_egal_lot_types_pandas3_de_bout_en_bout():
    t = _grande_table(LIGNES_GRANDE_TABLE)
    _comparer(reimb.decompte_lot(t, erreurs="colonne"), t)
