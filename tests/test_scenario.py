"""Les scénarios (« et si la loi changeait ? ») : une valeur changée à partir d'une date, dans les deux moteurs.

Chaque valeur attendue est calculée à la main à côté, à partir des exemples de domain-facts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest

import reimb
from reimb import ErreurSaisie, Garantie, Medecin, Patient, Scenario, decompte
from reimb.parametres import parametre

JOUR = date(2025, 1, 15)  # domain-facts : généraliste secteur 1, G 30 €, PF 2 €
PF4 = Scenario({"participation_forfaitaire.montant": 4}, depuis=date(2025, 1, 1), nom="PF à 4 €")
ADULTE = Patient(age=45)


def test_pf_a_4_euros():
    """30 € × 70 % = 21 € ; − 4 € (au lieu de 2 €) = 17 € ; complémentaire 100 % : 30 − 21 = 9 ; reste 4 €."""
    d = decompte(
        honoraires="30",
        date=JOUR,
        medecin=Medecin(secteur=1),
        patient=ADULTE,
        garantie=Garantie(dptam=100, hors_dptam=100),
        scenario=PF4,
    )
    assert (d.amo, d.amc, d.reste_a_charge, d.participation_forfaitaire) == (
        D("17.00"),
        D("9.00"),
        D("4.00"),
        D("4.00"),
    )
    etape = next(e for e in d.etapes if e.code == "participation_forfaitaire_due")
    assert "scénario « PF à 4 € » : 4,00\u00a0€ au lieu de 2,00\u00a0€" in etape.regle
    # Les autres étapes n'en parlent pas.
    assert sum("scénario" in e.regle for e in d.etapes) == 1


def test_avant_sa_date_le_scenario_ne_change_rien():
    """Le 10/06/2024 : G 26,50 €, PF 2 € : 18,55 − 2 = 16,55 € (domain-facts), scénario daté de 2025."""
    d = decompte(honoraires="26.50", date=date(2024, 6, 10), medecin=Medecin(secteur=1), patient=ADULTE, scenario=PF4)
    assert d.amo == D("16.55") and not any("scénario" in e.regle for e in d.etapes)


def test_le_scenario_ne_reste_pas_actif():
    decompte(honoraires="30", date=JOUR, medecin=Medecin(secteur=1), patient=ADULTE, scenario=PF4)
    assert parametre("participation_forfaitaire.montant", JOUR).valeur == D("2.00")
    assert decompte(honoraires="30", date=JOUR, medecin=Medecin(secteur=1), patient=ADULTE).amo == D("19.00")


def test_taux_amo_a_60_pour_cent():
    """60 % × 30 € = 18 € ; − 2 € = 16 €."""
    s = Scenario({"taux_amo.consultation": 60}, depuis=date(2025, 1, 1), nom="Sécu à 60 %")
    d = decompte(honoraires="30", date=JOUR, medecin=Medecin(secteur=1), patient=ADULTE, scenario=s)
    assert (d.taux, d.amo_brut, d.amo) == (D(60), D("18.00"), D("16.00"))
    etape = next(e for e in d.etapes if e.code == "taux")
    assert "60\u00a0% au lieu de 70\u00a0%" in etape.regle


def test_plafond_responsable_change():
    """Non adhérent 2024, frais réels, 80 € sur une base de 30 € : plafond 200 % (loi), 150 % sous le scénario.

    Loi : 200 % × 30 = 60 € − 21 € = 39 €. Scénario (dépassement pris en charge à 50 %) : 45 − 21 = 24 €.
    """
    s = Scenario(
        {"contrat_responsable.plafond_depassement_hors_dptam": 50}, depuis=date(2024, 1, 1), nom="plafond 150 %"
    )
    args = dict(
        honoraires="80",
        date=date(2024, 6, 10),
        medecin=Medecin(secteur=2, specialite="specialiste"),
        brss="30",
        patient=ADULTE,
        garantie=Garantie(dptam="frais réels", hors_dptam="frais réels"),
    )
    assert decompte(**args).amc == D("39.00")
    d = decompte(**args, scenario=s)
    assert d.amc == D("24.00") and d.niveau_applique == D(150)
    etape = next(e for e in d.etapes if e.code == "plafond_responsable")
    assert "scénario « plafond 150 % »" in etape.regle


def test_nom_inconnu_propose_les_plus_proches():
    with pytest.raises(ErreurSaisie) as e:
        Scenario({"taux_amo.consultaton": 60}, depuis=JOUR)
    assert e.value.champ == "changements" and "taux_amo.consultation" in e.value.acceptes


@pytest.mark.parametrize(
    "changements, depuis, champ",
    [
        ({}, JOUR, "changements"),
        ({"taux_amo.consultation": -5}, JOUR, "changements['taux_amo.consultation']"),
        ({"taux_amo.consultation": "beaucoup"}, JOUR, "changements['taux_amo.consultation']"),
        ({"taux_amo.consultation": 60}, "2025-01-01", "depuis"),
    ],
)
def test_saisies_refusees(changements, depuis, champ):
    with pytest.raises(ErreurSaisie) as e:
        Scenario(changements, depuis=depuis)
    assert e.value.champ == champ


def test_scenario_dans_le_lot_comme_dans_le_moteur():
    """La même table, avec et sans scénario : le lot donne, ligne par ligne, les montants du moteur."""
    jours = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 3, 1)]
    t = pd.DataFrame(
        {
            "honoraires": ["30", "30", "50"],
            "date": jours,
            "secteur": [1, 1, 2],
            "specialite": ["generaliste", "generaliste", "specialiste"],
            "age": 45,
            "garantie_dptam": 100,
            "garantie_hors_dptam": 100,
        }
    )
    r = reimb.decompte_lot(t, scenario=PF4)
    for i in range(3):
        d = decompte(
            honoraires=t.honoraires[i],
            date=jours[i],
            patient=ADULTE,
            scenario=PF4,
            medecin=Medecin(secteur=int(t.secteur[i]), specialite=t.specialite[i]),
            garantie=Garantie(dptam=100, hors_dptam=100),
        )
        assert (r.amo[i], r.amc[i], r.reste_a_charge[i]) == (d.amo, d.amc, d.reste_a_charge)
    # 31/12/2024 : la loi (PF 2 €) ; à partir du 01/01/2025 : 4 €.
    assert r.participation_forfaitaire.tolist() == [D("2.00"), D("4.00"), D("4.00")]
    assert reimb.decompte_lot(t).participation_forfaitaire.tolist() == [D("2.00")] * 3
