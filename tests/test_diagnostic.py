"""Les erreurs habituelles reconnues dans les questions du cours (reimb.evaluation.diagnostiquer)."""

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb.evaluation import diagnostiquer

JOUR = date(2026, 3, 2)


@pytest.fixture
def non_adherent():
    # Spécialiste secteur 2 non adhérent, 50 €, base 23 €, garantie 150 % / 150 % responsable (2026) :
    # Sécu 70 % × 23 = 16,10 − 2 = 14,10 ; plafond 150 − 20 = 130 % : 29,90 − 16,10 = 13,80 ; reste 50 − 14,10 − 13,80 = 22,10.
    d = reimb.decompte(honoraires="50", date=JOUR, medecin=reimb.Medecin(secteur=2, specialite="specialiste"),
                       garantie=reimb.Garantie(dptam=150, hors_dptam=150))
    assert (d.amo, d.amc, d.reste_a_charge) == (D("14.10"), D("13.80"), D("22.10"))
    return d


@pytest.mark.parametrize("reponses, code", [
    ({"amc": D("11.50")}, "vingt_pour_cent"),           # 150 × 0,8 = 120 % : 27,60 − 16,10 = 11,50
    ({"amo": D("16.10")}, "avant_pf"),                  # Sécu avant la PF
    ({"reste_a_charge": D("20.10")}, "oubli_pf"),       # 22,10 − 2
    ({"amc": D("22.10"), "reste_a_charge": D("13.80")}, "inversion"),
    ({"amo": D("33.00")}, "honoraires_base"),           # 70 % × 50 − 2 = 33
    ({"amc": D("12.00")}, None),                        # une autre erreur : pas de diagnostic inventé
])
def test_erreurs_reconnues(non_adherent, reponses, code):
    assert diagnostiquer(non_adherent, reponses) == code


def test_pas_de_vingt_points_quand_la_limite_ne_joue_pas():
    # Secteur 1 : pas de plafond du contrat responsable, donc pas d'erreur « 20 points ».
    d = reimb.decompte(honoraires="30", date=JOUR, medecin=reimb.Medecin(secteur=1), garantie=reimb.Garantie(dptam=150, hors_dptam=150))
    assert diagnostiquer(d, {"amc": D("5.00")}) is None
