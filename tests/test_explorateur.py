"""L'explorateur de réformes du formateur (notebook 05) : même noyau, loi et réforme côte à côte."""

from datetime import date
from decimal import Decimal as D

import pytest

from reimb.population import population
from reimb.presentation.scenarios import explorateur

JOUR = date(2026, 1, 1)


@pytest.fixture(scope="module")
def table():
    return population(salaries=40, annee=2026, graine=7)


def test_sans_changement_c_est_la_loi(table):
    e = explorateur(table, JOUR)
    assert e.scenario is None and e.annee == e._annee_loi


def test_pf_a_4_euros(table):
    e = explorateur(table, JOUR)
    pf = e.controles["participation_forfaitaire.montant"]
    loi = dict(e.annee)
    pf.value = 4.0
    # Une consultation : PF 4 € au lieu de 2 € (la loi de 2026) : la Sécurité sociale verse 2 € de moins.
    assert e.decompte.participation_forfaitaire == D("4.00")
    assert "4,00\u00a0€ au lieu de 2,00\u00a0€" in " ".join(x.regle for x in e.decompte.etapes)
    # Sur l'année : ce que la Sécurité sociale ne verse plus, les salariés le paient (la complémentaire ne rembourse
    # pas la PF) ; les trois parts restent la même dépense.
    assert loi["amo"] - e.annee["amo"] == e.annee["reste_a_charge"] - loi["reste_a_charge"] > 0
    assert e.annee["amc"] == loi["amc"]


def test_plafond_responsable_plus_bas(table):
    e = explorateur(table, JOUR)
    loi = dict(e.annee)
    e.controles["contrat_responsable.plafond_depassement_hors_dptam"].value = 50.0
    assert e.annee["amc"] < loi["amc"] and e.annee["amo"] == loi["amo"]
    assert sum(e.annee.values()) == sum(loi.values())
