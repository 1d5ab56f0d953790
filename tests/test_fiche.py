"""La fiche mémo : un PDF d'une ou deux pages A4 dont chaque valeur est celle de la table des paramètres à la date."""

from datetime import date
from decimal import Decimal

import pytest

import reimb
from reimb.parametres import parametre
from reimb.presentation import fiche
from reimb.presentation.format import euros, pourcent


def _texte_pdf(chemin):
    from pypdf import PdfReader

    lecteur = PdfReader(str(chemin))
    texte = " ".join(p.extract_text() for p in lecteur.pages)
    return len(lecteur.pages), " ".join(texte.replace("\u00a0", " ").replace("\u202f", " ").split())


def _n(texte):
    return " ".join(texte.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def fiche_2026(tmp_path_factory):
    sortie = tmp_path_factory.mktemp("fiche") / "fiche.pdf"
    assert fiche.main(["--date", "2026-03-02", "--sortie", str(sortie)]) == 0
    return _texte_pdf(sortie)


def test_une_ou_deux_pages(fiche_2026):
    pages, texte = fiche_2026
    assert 1 <= pages <= 2
    assert "Valeurs en vigueur le 2 mars 2026" in texte


def test_les_valeurs_sont_celles_de_la_table(fiche_2026):
    _, texte = fiche_2026
    jour = date(2026, 3, 2)
    for ligne in fiche.valeurs(jour):
        assert parametre(ligne.nom, jour).debut == ligne.depuis
        assert _n(ligne.valeur) in texte, ligne.libelle
    # Écrites à la main, d'après les sources de la table : PF 2 € (décret n° 2024-113, 15 mai 2024) ; taux 70 % ;
    # plafond du dépassement d'un non-adhérent 100 % de la BRSS (R.871-2, 2017) ; écart 20 points.
    for attendu in ("2,00 € 15/05/2024", "70 % 01/01/2005", "100 % 01/01/2017", "20 points 01/04/2015"):
        assert attendu in texte


def test_les_bases_sont_celles_de_reimb(fiche_2026):
    _, texte = fiche_2026
    jour = date(2026, 3, 2)
    for medecin, parcours in ((reimb.Medecin(secteur=1, specialite="generaliste"), True),
                              (reimb.Medecin(secteur=1, specialite="specialiste"), True),
                              (reimb.Medecin(secteur=1, specialite="specialiste"), False),
                              (reimb.Medecin(secteur=2, specialite="specialiste"), True)):
        assert _n(euros(reimb.brss("consultation", medecin, jour, parcours).valeur)) in texte
    # 2026 : G 30 € ; CS + MPC + MCS 31,50 € ; non-adhérent CS 23 € (ameli, 22 décembre 2024).
    assert "30,00 € (G 30 €)" in texte and "31,50 € (CS 23 € + MPC 3,50 € + MCS 5 €)" in texte


def test_les_exemples_sont_des_decomptes_de_reimb(fiche_2026):
    _, texte = fiche_2026
    (d1, _), (d2, _) = fiche.exemples(date(2026, 3, 2))
    # Généraliste secteur 1, 30 € : 70 % × 30 = 21 − 2 = 19 € ; AMC 30 − 21 = 9 € ; RAC 2 €.
    assert (d1.amo, d1.amc, d1.reste_a_charge) == (Decimal("19.00"), Decimal("9.00"), Decimal("2.00"))
    # Non-adhérent, 60 €, 150 % : plafond 150 − 20 = 130 % ; 130 % × 23 = 29,90 − 16,10 = 13,80 ; RAC 60 − 14,10 − 13,80 = 32,10 €.
    assert (d2.amo, d2.amc, d2.reste_a_charge) == (Decimal("14.10"), Decimal("13.80"), Decimal("32.10"))
    assert "Reste à charge : 30,00 € − 19,00 € − 9,00 € = 2,00 €" in texte
    assert "niveau appliqué 130 % (plafond du contrat responsable)" in texte
    assert "Reste à charge : 60,00 € − 14,10 € − 13,80 € = 32,10 €" in texte


def test_une_autre_date_d_autres_valeurs(tmp_path):
    sortie = tmp_path / "fiche2016.pdf"
    assert fiche.main(["--date", "2016-03-01", "--sortie", str(sortie)]) == 0
    _, texte = _texte_pdf(sortie)
    # 2016 : PF 1 € (décret 2004-1453) ; plafond du dépassement 125 % (R.871-2, 2015-2016) ; CS + MPC + MCS 28 €.
    assert "1,00 € 01/01/2005" in texte and "125 % 01/04/2015" in texte and "28,00 €" in texte
    assert _n(pourcent(parametre("contrat_responsable.plafond_depassement_hors_dptam", date(2016, 3, 1)).valeur)) == "125 %"


def test_date_hors_table(tmp_path, capsys):
    assert fiche.main(["--date", "2030-01-01", "--sortie", str(tmp_path / "x.pdf")]) == 2
    assert "hors de la période couverte" in capsys.readouterr().err
    assert fiche.main(["--date", "demain", "--sortie", str(tmp_path / "x.pdf")]) == 2
