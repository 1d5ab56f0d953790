"""Le côté du médecin : indicateurs CAS / OPTAM sur une petite activité calculée à la main.

Chaque attendu est calculé à côté. Les bases du secteur 1 viennent de la table (ameli, SML) ou sont
données dans l'activité.
"""

import subprocess
import sys
from datetime import date
from decimal import Decimal as D

import pytest

from reimb import ErreurSaisie, Garantie, Patient
from reimb.optam import effet_adhesion, evaluer_engagements, indicateurs, lire_activite, reference_optam

ADULTE = Patient(age=45)

# Un spécialiste OPTAM en 2018 (base du secteur 1 de la consultation : 30 € depuis juillet 2017).
ACTIVITE_2018 = [
    (30, 30, date(2018, 2, 1)),             # tarif opposable
    ("30", "30", "2018-03-01"),             # tarif opposable (date en texte ISO)
    (45, 30, date(2018, 4, 1)),             # dépassement 15
    (60, 30, date(2018, 5, 1)),             # dépassement 30
    (40, 30, date(2018, 6, 1)),             # dépassement 10
    {"honoraires": "64.80", "base": "64.80", "base_secteur1": "64.80", "date": date(2018, 7, 1), "libelle": "AHQB024"},
]
# Σ bases secteur 1 = 5 × 30 + 64,80 = 214,80 ; Σ dépassements = 15 + 30 + 10 = 55.
# Taux = 55 / 214,80 = 25,6052… % → 25,61 %. Part en montant = (30 + 30 + 64,80) / 214,80 = 58,1005… % → 58,10 %.
# Part en nombre = 3 / 6 = 50 %.


def test_indicateurs_activite_calculee_a_la_main():
    i = indicateurs(ACTIVITE_2018, specialite="specialiste")
    assert (i.nombre_actes, i.nombre_actes_opposables) == (6, 3)
    assert (i.honoraires_remboursables, i.depassements_recalcules) == (D("214.80"), D("55.00"))
    assert i.honoraires == D("269.80")               # 30 + 30 + 45 + 60 + 40 + 64,80
    assert i.taux_depassement == D("25.61")
    assert i.part_opposable_montant == D("58.10")
    assert i.part_opposable_nombre == D("50.00")
    assert i.taux_depassement_constate == D("25.61")  # adhérent : base remboursée = base du secteur 1


def test_exemple_fmf_depassement_recalcule():
    """FMF (fmfpro.org/?p=1259) : 35 € chez un non-adhérent = 12 € de dépassement sur CS 23 € (52 %).

    Recalculé sur la base du secteur 1 de 2016 (28 €) : 7 € (25 %) ; en 2018 (30 €) : 5 € (16,67 %).
    """
    i = indicateurs([(35, 23, date(2016, 3, 1))], specialite="specialiste")
    assert (i.depassements_constates, i.taux_depassement_constate) == (D("12.00"), D("52.17"))   # 12 / 23
    assert (i.depassements_recalcules, i.taux_depassement) == (D("7.00"), D("25.00"))           # 7 / 28
    i2 = indicateurs([(35, 23, date(2018, 3, 1))], specialite="specialiste")
    assert (i2.depassements_recalcules, i2.taux_depassement) == (D("5.00"), D("16.67"))         # 5 / 30


def test_reference_optam_moyenne_des_annees():
    """Un non-adhérent en 2014-2015, adhérant à l'OPTAM en 2017 (période de référence 2013-2015).

    2014 : 35 € et 23 € sur CS 23 ; base secteur 1 28 € : dépassements recalculés 7 et 0 → 7 / 56 = 12,5 % ;
           part à tarif opposable 28 / 56 = 50 %.
    2015 : 56 € : 28 / 28 = 100 % ; part 0 %.
    Moyenne des rapports annuels (annexe 21, art. 1) : taux (12,5 + 100) / 2 = 56,25 % ; part (50 + 0) / 2 = 25 %.
    """
    activite = [(35, 23, date(2014, 5, 2)), (23, 23, date(2014, 9, 9)), (56, 23, date(2015, 1, 7))]
    ref = reference_optam(activite, date_adhesion=date(2017, 1, 1), specialite="specialiste")
    assert ref.annees == (2014, 2015)
    assert (ref.taux_depassement, ref.part_opposable_montant, ref.part_opposable_nombre) == (D("56.25"), D("25.00"), D("25.00"))
    assert dict(ref.par_annee)[2014].taux_depassement == D("12.50")
    # Une adhésion de 2025 prend 2022-2023 : les actes de 2014 sont alors hors période.
    with pytest.raises(ErreurSaisie) as e:
        reference_optam(activite, date_adhesion=date(2025, 2, 1), specialite="specialiste")
    assert "2022 à 2023" in e.value.acceptes


def test_engagements_tenus():
    e = evaluer_engagements(ACTIVITE_2018, "OPTAM", specialite="specialiste", taux_reference=30, part_reference=55)
    assert e.respecte is True and e.verdict == "OPTAM 2018 : engagements respectés."
    assert (e.objectif_taux, e.objectif_part) == (D(30), D(55))
    assert "25,61 % ≤ 30 %" in e.raisons[0] and "58,1 % ≥ 55 %" in e.raisons[1]


def test_engagements_part_en_nombre():
    # En nombre d'actes, la part est 50 % < 55 % : l'engagement n'est pas tenu.
    e = evaluer_engagements(ACTIVITE_2018, "OPTAM", specialite="specialiste", taux_reference=30, part_reference=55, part_mesuree="nombre")
    assert e.respecte is False and "NON respectés" in e.verdict
    assert "50 % < 55 %" in e.raisons[1]


@pytest.mark.parametrize("taux_reference, respecte", [
    ("25.61", True),    # 25,6052… ≤ 25,61
    ("25.60", False),   # 25,6052… > 25,60 : la comparaison se fait sur la valeur exacte
    (150, True),        # au-dessus du plafond : c'est le plafond de 100 % qui s'applique
])
def test_engagements_taux_a_la_borne(taux_reference, respecte):
    e = evaluer_engagements(ACTIVITE_2018, "OPTAM", specialite="specialiste", taux_reference=taux_reference, part_reference=50)
    assert e.respecte is respecte
    if taux_reference == 150:
        assert e.objectif_taux == D(100)


def test_engagements_sans_objectif_personnel():
    e = evaluer_engagements(ACTIVITE_2018, "OPTAM", specialite="specialiste")
    assert e.respecte is None and e.objectif_part is None and e.objectif_taux == D(100)
    assert any("non jugée" in r for r in e.raisons)


def test_cas_nouvel_installe_plancher_30():
    """CAS 2015, nouvel installé : 4 actes sur base 28 € (28, 50, 50, 50).

    Part à tarif opposable en montant : 28 / 112 = 25 % < 30 % ; taux : 3 × 22 / 112 = 58,93 % ≤ 100 %.
    """
    activite = [(28, 28, date(2015, 3, d)) for d in (2,)] + [(50, 28, date(2015, 3, d)) for d in (3, 4, 5)]
    e = evaluer_engagements(activite, "CAS", nouvel_installe=True, specialite="specialiste")
    assert (e.indicateurs.taux_depassement, e.indicateurs.part_opposable_montant) == (D("58.93"), D("25.00"))
    assert e.objectif_part == D(30) and e.respecte is False
    assert "plancher du CAS" in e.raisons[-1]


@pytest.mark.parametrize("dispositif, jour, ok", [
    ("CAS", date(2016, 12, 31), True), ("CAS", date(2017, 1, 1), False),
    ("OPTAM", date(2016, 12, 31), False), ("OPTAM", date(2017, 1, 1), True),
    ("CAS", date(2013, 11, 30), False), ("CAS", date(2013, 12, 1), True),
])
def test_periodes_des_dispositifs(dispositif, jour, ok):
    activite = [(40, 28 if jour.year < 2017 else 28, jour)]
    if ok:
        assert evaluer_engagements(activite, dispositif, specialite="specialiste").indicateurs.nombre_actes == 1
    else:
        with pytest.raises(ErreurSaisie) as e:
            evaluer_engagements(activite, dispositif, specialite="specialiste")
        assert e.value.champ == "activite[0].date"


def test_dataframe_sans_import_de_pandas_par_reimb():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([{"honoraires": "45", "base": "30", "date": date(2018, 4, 1)}, {"honoraires": "30", "base": "30", "date": date(2018, 4, 2)}])
    i = indicateurs(df, specialite="specialiste")
    assert (i.taux_depassement, i.part_opposable_nombre) == (D("25.00"), D("50.00"))   # 15 / 60 ; 1 / 2
    code = "import sys, reimb, reimb.optam; print(any(m in sys.modules for m in ('pandas', 'numpy', 'matplotlib')))"
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert sortie == "False"


@pytest.mark.parametrize("activite, champ", [
    ([(30, 30, date(2018, 2, 1), 30), {"honoraires": 40, "date": date(2018, 2, 2)}], "activite[1].base"),
    ([(20, 30, date(2018, 2, 1))], "activite[0].honoraires"),                     # sous la base
    ([{"honoraires": 40, "base": 30, "date": date(2018, 2, 1), "tarif": 3}], "activite[0]"),   # colonne inconnue
    ([(40, 30, "01/02/2018")], "activite[0].date"),                              # date non ISO
    ([(40, 30, date(2018, 2, 1))], "activite[0].base_secteur1"),                 # ni base_secteur1 ni specialite
    ([], "activite"),
    ("30;30;2018-02-01", "activite"),
])
def test_activite_mal_saisie(activite, champ):
    with pytest.raises(ErreurSaisie) as e:
        lire_activite(activite)
    assert e.value.champ == champ


def test_plusieurs_annees_refusees():
    with pytest.raises(ErreurSaisie) as e:
        evaluer_engagements([(30, 30, date(2018, 12, 31)), (30, 30, date(2019, 1, 1))], "OPTAM", specialite="specialiste")
    assert "année civile" in str(e.value)


# --- Ce que l'adhésion change pour le patient ------------------------------------------------------------

def test_effet_adhesion_source_000():
    """Source 000 : spécialiste secteur 2, 40 €, 2016 : base 28 € (CAS) contre 23 € ; Sécu 18,60 contre 15,10."""
    e = effet_adhesion("40", date(2016, 3, 1), patient=ADULTE)
    assert e.dispositif == "CAS"
    assert (e.adherent.brss, e.non_adherent.brss, e.ecart_brss) == (D("28.00"), D("23.00"), D("5.00"))
    assert (e.adherent.amo, e.non_adherent.amo, e.ecart_amo) == (D("18.60"), D("15.10"), D("3.50"))
    assert e.resume[0] == "Base de remboursement : 28,00\u00a0€ (adhérent CAS) contre 23,00\u00a0€ (non adhérent)."
    assert e.resume[1] == "Sécurité sociale : 18,60\u00a0€ contre 15,10\u00a0€."  # source 000 (15,10 corrigé)


@pytest.mark.parametrize("jour, pf, amo_adh, rac_adh, amo_non, rac_non", [
    # Spécialiste, 50 €, garantie responsable 200 % (DPTAM) / 180 % (autres).
    # Adhérent : base 31,50 ; Sécu 22,05 − PF ; garantie 63 → limitée à 50 : AMC 50 − 22,05 = 27,95 ; reste = PF.
    # Non adhérent : base 23 ; Sécu 16,10 − PF ; 180 % × 23 = 41,40 : AMC 25,30 ; reste 50 − 41,40 + PF = 8,60 + PF.
    (date(2024, 5, 14), "1.00", "21.05", "1.00", "15.10", "9.60"),
    (date(2024, 5, 15), "2.00", "20.05", "2.00", "14.10", "10.60"),
])
def test_effet_adhesion_bascule_pf_mai_2024(jour, pf, amo_adh, rac_adh, amo_non, rac_non):
    e = effet_adhesion("50", jour, patient=ADULTE, garantie=Garantie(dptam=200, hors_dptam=180))
    assert e.dispositif == "OPTAM"
    assert (e.adherent.participation_forfaitaire, e.adherent.amo, e.adherent.amc, e.adherent.reste_a_charge) == (D(pf), D(amo_adh), D("27.95"), D(rac_adh))
    assert (e.non_adherent.amo, e.non_adherent.amc, e.non_adherent.reste_a_charge) == (D(amo_non), D("25.30"), D(rac_non))
    assert e.ecart_reste_a_charge == D("-8.60")


@pytest.mark.parametrize("jour, dispositif", [(date(2016, 12, 31), "CAS"), (date(2017, 1, 1), "OPTAM")])
def test_effet_adhesion_dispositif_selon_la_date(jour, dispositif):
    assert effet_adhesion("60", jour).dispositif == dispositif


def test_effet_adhesion_avant_le_cas_refuse():
    with pytest.raises(ErreurSaisie) as e:
        effet_adhesion("60", date(2013, 6, 1))
    assert e.value.champ == "date"


def test_effet_adhesion_psychiatre_base_a_donner():
    with pytest.raises(ErreurSaisie):
        effet_adhesion("60", date(2020, 2, 3), specialite="psychiatre")   # base du non-adhérent non établie en 2020
    # Avec la base donnée (CNPSY 39 €) : adhérent 70 % × 46,70 = 32,69 − 1 = 31,69 ; non adhérent 27,30 − 1 = 26,30.
    e = effet_adhesion("60", date(2020, 2, 3), specialite="psychiatre", brss_non_adherent="39")
    assert (e.adherent.brss, e.adherent.amo, e.non_adherent.amo) == (D("46.70"), D("31.69"), D("26.30"))
