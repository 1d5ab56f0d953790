"""Les étapes tombent juste : chaque étape qui énonce une opération la refait, sur des milliers de décomptes.

Les décomptes sont tirés par les stratégies de tests/test_proprietes.py (saisies valides de 2013 à 2026),
avec des participations déjà comptées dans l'année et le jour, et parfois un scénario.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st
from test_proprietes import PARAMS, calcul, cas_valides

from reimb import Garantie, Medecin, Patient, Scenario, decompte
from reimb.explication import Calcul, recalculer

SCENARIOS = [
    None,
    Scenario({"participation_forfaitaire.montant": 4}, depuis=date(2020, 1, 1), nom="PF à 4 €"),
    Scenario(
        {"taux_amo.consultation": "62.5", "taux_amo.hors_parcours": 25}, depuis=date(2016, 1, 1), nom="Sécu 62,5 %"
    ),
    Scenario(
        {"contrat_responsable.plafond_depassement_hors_dptam": 30, "contrat_responsable.ecart_minimal_dptam": 10},
        depuis=date(2017, 1, 1),
        nom="plafonds serrés",
    ),
]
centimes = st.integers(0, 6_000).map(lambda c: D(c) / 100)


def verifier_etapes(d):
    for e in d.etapes:
        assert e.code, e
        if e.calcul is not None:
            assert isinstance(e.calcul, Calcul) and all(isinstance(o, D) for o in e.calcul.operandes), e
            assert recalculer(e.calcul) == e.montant, (e.libelle, e.calcul, e.montant, e.regle)


@settings(max_examples=2000, **PARAMS)
@given(cas_valides(), centimes, st.integers(0, 900).map(lambda c: D(c) / 100), st.sampled_from(SCENARIOS))
def test_chaque_etape_se_recalcule_depuis_ses_operandes(cas, deja_annee, deja_jour, scenario):
    args = cas.arguments()
    d = decompte(**args, pf_deja_payees_annee=deja_annee, pf_deja_payees_jour=deja_jour, scenario=scenario)
    verifier_etapes(d)
    assert d.amo + d.amc + d.reste_a_charge == d.honoraires
    if scenario is None:  # les plafonds ne font que baisser la participation
        assert d.participation_forfaitaire <= calcul(cas).participation_forfaitaire


def test_hors_parcours_l_amc_dit_ce_qu_elle_soustrait():
    """L'ancienne étape disait « montant garanti − remboursement Sécu » = 34,50 € à côté de 25,30 €.

    Spécialiste secteur 1, 2016, hors parcours, 30 € sur une base de 25 €, contrat responsable 200 % :
    couvert = min(50, 30, 30 − 5) = 25 € ; Sécu avant PF 7,50 € ; majoration exclue 10 € : AMC 7,50 €.
    """
    d = decompte(
        honoraires="30",
        date=date(2016, 3, 1),
        medecin=Medecin(secteur=1, specialite="specialiste"),
        patient=Patient(age=45),
        parcours=False,
        garantie=Garantie(dptam=200, hors_dptam=200),
    )
    amc = next(e for e in d.etapes if e.code == "amc")
    assert amc.montant == D("7.50")
    assert amc.calcul == Calcul("difference_positive", (D("25.00"), D("7.50"), D("10.00")))
    assert "25\u00a0€ − 7,50\u00a0€ − 10\u00a0€" in amc.regle
    verifier_etapes(d)


def test_plafonds_de_la_participation_expliques():
    """2025, PF 2 € : 49 € déjà comptés dans l'année → 1 € ; 8 € déjà comptés ce jour chez ce médecin → 0 €."""
    base = dict(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=45))
    d = decompte(**base, pf_deja_payees_annee="49")
    assert d.participation_forfaitaire == D("1.00") and d.amo == D("20.00")  # 21 − 1
    assert next(e for e in d.etapes if e.code == "pf_plafond_annee").montant == D("1.00")
    d = decompte(**base, pf_deja_payees_jour=8)
    assert d.participation_forfaitaire == D("0.00") and d.amo == D("21.00")
    etape = next(e for e in d.etapes if e.code == "pf_plafond_jour")
    assert "8\u00a0€ par jour" in etape.regle
    verifier_etapes(d)
