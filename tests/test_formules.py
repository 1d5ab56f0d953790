"""Les formulations d'une garantie (reimb.formules) et la règle d'argent de chacune (l'oracle des tests,
tests/oracle_formules.py, contre le noyau du moteur).

Chaque montant attendu est calculé à la main dans le commentaire, avec la règle appliquée. Bases :
consultation de généraliste 30 € (G au 22/12/2024, ameli) ; spécialiste OPTAM / secteur 1 en parcours
31,50 € (CS 30 + MPC 1,50 : ameli) ; spécialiste non adhérent 23 € (CS nu) ; taux AMO 70 % ;
participation forfaitaire 2 € (fiche de faits §5.1, §12).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reimb
from reimb.formules import FORMES_ACCEPTEES, Formule, lire_formule
from oracle_formules import (
    EXCLUSIONS, PLAFOND_ANNUEL, PRINCIPE_INDEMNITAIRE, RESPONSABLE, appliquer, equivalent_br, pourcentage_de,
)
from reimb.responsable import plafond_hors_dptam_detail

D = Decimal


# --- Lecture des formulations -----------------------------------------------------------------------------

@pytest.mark.parametrize("texte, pct, sur, inclus, forfait, plafond", [
    ("150 % BR", 150, "BR", True, 0, None),
    ("150 % BRSS", 150, "BR", True, 0, None),
    ("150\u00a0% BR", 150, "BR", True, 0, None),
    ("150\u202f%\u00a0BRSS", 150, "BR", True, 0, None),
    ("150 % BR RO inclus", 150, "BR", True, 0, None),
    ("150 % BR RO compris", 150, "BR", True, 0, None),
    ("150 % de la BR y compris le remboursement de la Sécurité sociale", 150, "BR", True, 0, None),
    ("150 % DE LA BR Y COMPRIS LE REMBOURSEMENT DE LA SECURITE SOCIALE", 150, "BR", True, 0, None),
    ("150 % BR (Sécurité sociale incluse)", 150, "BR", True, 0, None),
    ("200 % BR sous déduction du remboursement de la Sécurité sociale", 200, "BR", True, 0, None),
    ("150 % de la base de remboursement", 150, "BR", True, 0, None),
    ("125,5 % BR", D("125.5"), "BR", True, 0, None),
    ("RO + 100 % BR", 100, "BR", False, 0, None),
    ("SS + 100 % BR", 100, "BR", False, 0, None),
    ("Sécurité sociale + 100 % BR", 100, "BR", False, 0, None),
    ("100 % BR en plus du RO", 100, "BR", False, 0, None),
    ("100 % BR en plus du remboursement de la Sécurité sociale", 100, "BR", False, 0, None),
    ("100 % BR en complément de la Sécurité sociale", 100, "BR", False, 0, None),
    ("100 % BR en complément du régime obligatoire", 100, "BR", False, 0, None),
    ("100 % BR hors RO", 100, "BR", False, 0, None),
    ("100 % BR + 20 €", 100, "BR", True, 20, None),
    ("100 % BR + 20 € par consultation", 100, "BR", True, 20, None),
    ("100 % BR + 20 euros", 100, "BR", True, 20, None),
    ("100 % BR + 12,50 €", 100, "BR", True, D("12.5"), None),
    ("100 % TM", 100, "TM", False, 0, None),
    ("100 % du ticket modérateur", 100, "TM", False, 0, None),
    ("TM", 100, "TM", False, 0, None),
    ("ticket modérateur", 100, "TM", False, 0, None),
    ("frais réels", 100, "FR", True, 0, None),
    ("Frais Réels", 100, "FR", True, 0, None),
    ("FR", 100, "FR", True, 0, None),
    ("100 % FR", 100, "FR", True, 0, None),
    ("100 % des frais réels", 100, "FR", True, 0, None),
    ("50 % des frais réels", 50, "FR", True, 0, None),
    ("90 % FR", 90, "FR", True, 0, None),
    ("100 % BR dans la limite de 150 € par an", 100, "BR", True, 0, 150),
    ("RO + 100 % BR, dans la limite de 150 € par an", 100, "BR", False, 0, 150),
    ("200 % BR limité à 1 400 € par an et par bénéficiaire", 200, "BR", True, 0, 1400),
    ("150 % BR, plafonné à 300 €/an", 150, "BR", True, 0, 300),
    ("100 % BR dans la limite des frais réels", 100, "BR", True, 0, None),
    ("20 €", 0, "BR", False, 20, None),
    ("forfait de 20 € par séance", 0, "BR", False, 20, None),
    ("50 € par an", 100, "FR", True, 0, 50),
    ("50 € par an et par bénéficiaire", 100, "FR", True, 0, 50),
    ("150", 150, "BR", True, 0, None),
    ("150 %", 150, "BR", True, 0, None),
    ("non", 0, "BR", True, 0, None),
    ("-", 0, "BR", True, 0, None),
])
def test_chaque_formulation_courante_est_lue(texte, pct, sur, inclus, forfait, plafond):
    f = lire_formule(texte)
    assert (f.pourcentage, f.sur, f.ro_inclus, f.forfait) == (D(pct), sur, inclus, D(forfait))
    assert f.plafond_annuel == (None if plafond is None else D(plafond))
    assert f.texte  # la formulation lue est gardée


@pytest.mark.parametrize("nombre, attendu", [(150, D(150)), (D("125.5"), D("125.5")), (100.0, D(100)), (0, D(0))])
def test_un_nombre_garde_son_sens_pourcentage_de_la_br_secu_comprise(nombre, attendu):
    f = lire_formule(nombre)
    assert (f.pourcentage, f.sur, f.ro_inclus, f.simple, f.niveau) == (attendu, "BR", True, True, attendu)


@pytest.mark.parametrize("texte", [
    "150 % BR en Suisse", "cent cinquante", "150 % BR RO inclus en plus du RO", "RO + 100 % BR en plus du RO",
    "+ 20 €", "100 % TM RO inclus", "frais réels en plus du RO", "100 % BR dans la limite de 150 € par an dans la limite de 50 € par an",
    "", "   ", "150 %% BR", "−10 % BR",
])
def test_une_formulation_inconnue_est_refusee_en_listant_les_formes_acceptees(texte):
    with pytest.raises(reimb.ErreurSaisie) as e:
        lire_formule(texte, "garantie.dptam")
    assert e.value.champ == "garantie.dptam"
    assert e.value.acceptes == FORMES_ACCEPTEES
    assert "RO + 100 % BR" in str(e.value) and "100 % TM" in str(e.value)


@pytest.mark.parametrize("valeur", [True, None, -5, [150], "150 % BR + 1,234 €"])
def test_valeurs_impossibles(valeur):
    with pytest.raises(reimb.ErreurSaisie):
        lire_formule(valeur)


def test_libelles_en_francais():
    assert lire_formule("RO + 100 % BR").libelle == "100\u00a0% de la BR en plus de la Sécurité sociale"
    assert lire_formule("150 % BR RO inclus").libelle == "150\u00a0% de la BR, Sécurité sociale comprise"
    assert lire_formule("100 % BR + 20 €").libelle == "100\u00a0% de la BR, Sécurité sociale comprise, + 20,00\u00a0€ par acte"
    assert lire_formule("100 % TM").libelle == "100\u00a0% du ticket modérateur"
    assert lire_formule("FR").libelle == "frais réels, Sécurité sociale comprise"
    assert lire_formule("50 € par an").libelle == "frais réels, Sécurité sociale comprise, dans la limite de 50,00\u00a0€ par an"


# --- La garantie accepte ces textes -------------------------------------------------------------------------

def test_garantie_accepte_les_formulations_et_garde_le_sens_ancien_des_niveaux_simples():
    g = reimb.Garantie(dptam="150 % BRSS", hors_dptam="130 % de la BR y compris le remboursement de la Sécurité sociale")
    assert (g.dptam, g.hors_dptam) == (D(150), D(130))       # comme Garantie(dptam=150, hors_dptam=130)
    assert g == reimb.Garantie(dptam=150, hors_dptam=130)
    assert g.simple
    g = reimb.Garantie(dptam="frais réels", hors_dptam="FR")
    assert g.dptam == g.hors_dptam == reimb.FRAIS_REELS
    g = reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="100 % TM")
    assert isinstance(g.dptam, Formule) and not g.simple
    assert g.formule_dptam.ro_inclus is False and g.formule_hors_dptam.sur == "TM"
    assert reimb.Garantie(dptam=g.dptam, hors_dptam=g.hors_dptam) == g      # une Formule se redonne telle quelle


def test_garantie_refuse_une_formulation_inconnue_en_nommant_le_champ():
    with pytest.raises(reimb.ErreurSaisie) as e:
        reimb.Garantie(dptam="150 % BR", hors_dptam="beaucoup")
    assert e.value.champ == "garantie.hors_dptam" and "RO + 100 % BR" in e.value.acceptes


# --- La règle d'argent de chaque forme (centimes) ------------------------------------------------------------

def test_arrondi_des_produits():
    # 125 % × 31,50 € = 39,375 € → 39,38 € (demi vers le haut : montants.arrondi)
    assert pourcentage_de(3150, D(125)) == 3938
    # 50 % × 9,45 € = 4,725 € → 4,73 €
    assert pourcentage_de(945, D(50)) == 473


def test_br_secu_comprise_specialiste_optam_54_euros():
    # « 150 % BR » (fiche §8) : min(54 ; 150 % × 31,50 = 47,25) − 70 % × 31,50 (22,05) = 25,20 €
    # (le chiffre du niveau 3 de la fiche d'exemples APRIL 2025).
    r = appliquer(lire_formule("150 % BR"), frais=5400, brss=3150, amo_brut=2205)
    assert (r.amc, r.garanti_total, r.limite) == (2520, 4725, None)
    # « 150 % BR RO inclus » : la même chose, écrite autrement.
    assert appliquer(lire_formule("150 % BR RO inclus"), frais=5400, brss=3150, amo_brut=2205).amc == 2520


def test_ro_plus_100_pour_cent_n_est_pas_200_pour_cent():
    # « RO + 100 % BR » : 100 % × 31,50 = 31,50 € en plus de la Sécu ; ≤ 54 − 22,05 = 31,95 € : ne joue pas.
    r = appliquer(lire_formule("RO + 100 % BR"), frais=5400, brss=3150, amo_brut=2205)
    assert (r.amc, r.limite, r.garanti_total) == (3150, None, 2205 + 3150)
    # « 200 % BR » (Sécu comprise) : min(54 ; 63) − 22,05 = 31,95 € : toute la dépense laissée par la Sécu.
    assert appliquer(lire_formule("200 % BR"), frais=5400, brss=3150, amo_brut=2205).amc == 3195
    # « RO + 100 % BR » chez le généraliste de secteur 1 à 30 € : 100 % × 30 = 30 €, mais la dépense laissée
    # par la Sécu n'est que 30 − 21 = 9 € : le principe indemnitaire (L.224-8 code de la mutualité) la limite.
    r = appliquer(lire_formule("RO + 100 % BR"), frais=3000, brss=3000, amo_brut=2100)
    assert (r.amc, r.limite) == (900, PRINCIPE_INDEMNITAIRE)
    # « 100 % BR en plus du RO » : la même forme.
    assert appliquer(lire_formule("100 % BR en plus du RO"), frais=5400, brss=3150, amo_brut=2205).amc == 3150


def test_pourcentage_du_ticket_moderateur():
    # « 100 % TM » : TM = 31,50 − 22,05 = 9,45 € ; « 50 % TM » : 50 % × 9,45 = 4,725 → 4,73 €.
    assert appliquer(lire_formule("100 % TM"), frais=5400, brss=3150, amo_brut=2205).amc == 945
    assert appliquer(lire_formule("50 % TM"), frais=5400, brss=3150, amo_brut=2205).amc == 473


def test_forfait_par_acte_en_plus():
    # « 100 % BR + 20 € » : min(54 ; 31,50) − 22,05 = 9,45 € ; + 20 € = 29,45 € ≤ 31,95 €.
    r = appliquer(lire_formule("100 % BR + 20 €"), frais=5400, brss=3150, amo_brut=2205)
    assert (r.montant_formule, r.forfait, r.amc, r.limite) == (945, 2000, 2945, None)
    # Le même à 40 € : 9,45 + 20 = 29,45 € > 40 − 22,05 = 17,95 € : limité par le principe indemnitaire.
    r = appliquer(lire_formule("100 % BR + 20 €"), frais=4000, brss=3150, amo_brut=2205)
    assert (r.amc, r.limite) == (1795, PRINCIPE_INDEMNITAIRE)
    # Un forfait seul (« 20 € ») : 20 € de la complémentaire.
    assert appliquer(lire_formule("20 €"), frais=5400, brss=3150, amo_brut=2205).amc == 2000


def test_frais_reels_et_pourcentage_des_frais():
    # Non adhérent à 60 €, BR 23 €, AMO brut 70 % × 23 = 16,10 €.
    # « frais réels » : 60 − 16,10 = 43,90 € ; « 90 % FR » : min(60 ; 54) − 16,10 = 37,90 €.
    assert appliquer(lire_formule("frais réels"), frais=6000, brss=2300, amo_brut=1610).amc == 4390
    assert appliquer(lire_formule("90 % FR"), frais=6000, brss=2300, amo_brut=1610).amc == 3790


def test_plafond_annuel_depuis_le_montant_deja_utilise():
    # « RO + 100 % BR dans la limite de 50 € par an », 30 € déjà versés cette année : reste 20 € ;
    # la formule donnerait 31,50 € → 20 €.
    f = lire_formule("RO + 100 % BR dans la limite de 50 € par an")
    r = appliquer(f, frais=5400, brss=3150, amo_brut=2205, deja_rembourse_annee=3000)
    assert (r.plafond_annuel_restant, r.amc, r.limite) == (2000, 2000, PLAFOND_ANNUEL)
    # Plafond épuisé : rien.
    assert appliquer(f, frais=5400, brss=3150, amo_brut=2205, deja_rembourse_annee=5000).amc == 0
    # Rien encore versé : 31,50 € < 50 €, le plafond ne joue pas.
    assert appliquer(f, frais=5400, brss=3150, amo_brut=2205).limite is None


def test_plafond_du_contrat_responsable_sur_le_total_quelle_que_soit_la_forme():
    jour = date(2025, 3, 1)
    # Adhérents « RO + 100 % BR » = 70 + 100 = 170 % de la BR Sécu comprise (taux AMO 70 %).
    eq = equivalent_br(lire_formule("RO + 100 % BR"), brss=2300, taux_amo=D(70))
    assert eq == 170
    # R.871-2 : limite n° 1, 200 % ; limite n° 2, 170 − 20 = 150 % : la n° 2 joue.
    p = plafond_hors_dptam_detail(eq, jour)
    assert (p.niveau, p.limite) == (150, 2)
    # Non adhérent à 80 €, BR 23 € : total permis 150 % × 23 = 34,50 € ; AMO brut 16,10 € ;
    # « RO + 150 % BR » donnerait 150 % × 23 = 34,50 € d'AMC → ramenée à 34,50 − 16,10 = 18,40 €.
    r = appliquer(lire_formule("RO + 150 % BR"), frais=8000, brss=2300, amo_brut=1610,
                  plafond_total=pourcentage_de(2300, p.niveau))
    assert (r.avant_limites, r.plafond_responsable, r.amc, r.limite) == (3450, 1840, 1840, RESPONSABLE)
    # Un forfait compte aussi : adhérents à 200 % → limite n° 2 : 180 % × 23 = 41,40 € au total.
    # « 100 % BR + 30 € » : (23 − 16,10) + 30 = 36,90 € d'AMC, total 53 € > 41,40 € → AMC 41,40 − 16,10 = 25,30 €.
    p = plafond_hors_dptam_detail(D(200), jour)
    assert (p.niveau, p.limite) == (180, 2)
    r = appliquer(lire_formule("100 % BR + 30 €"), frais=8000, brss=2300, amo_brut=1610,
                  plafond_total=pourcentage_de(2300, p.niveau))
    assert (r.avant_limites, r.amc, r.limite) == (3690, 2530, RESPONSABLE)


def test_equivalents_pour_la_double_limite():
    # « 100 % TM » = 70 + 100 % × 30 = 100 % BR ; « 100 % BR + 6 € » sur 30 € = 100 + 20 = 120 % ; FR : frais réels.
    assert equivalent_br(lire_formule("100 % TM"), brss=3000, taux_amo=D(70)) == 100
    assert equivalent_br(lire_formule("100 % BR + 6 €"), brss=3000, taux_amo=D(70)) == 120
    assert equivalent_br(lire_formule("150 % BR"), brss=3000, taux_amo=D(70)) == 150
    assert equivalent_br(lire_formule("frais réels"), brss=3000, taux_amo=D(70)) == reimb.FRAIS_REELS


def test_hors_parcours_contrat_responsable_ni_majoration_ni_da():
    # Généraliste secteur 1, 30 €, hors parcours (2025) : taux 30 %, AMO brut 9 € ; majoration 40 points = 12 €.
    # R.871-1 : la majoration n'est pas prise en charge. « 100 % BR » : min(30 ; 30) − (9 + 12) = 9 € ;
    # « 100 % TM » : 100 % × (30 − 21) = 9 € ; « RO + 100 % BR » : 30 € → ≤ 30 − 0 − 21 = 9 € (exclusions).
    for texte, limite in (("100 % BR", None), ("100 % TM", None), ("RO + 100 % BR", EXCLUSIONS)):
        r = appliquer(lire_formule(texte), frais=3000, brss=3000, amo_brut=900, majoration=1200, exclusions=True)
        assert (r.amc, r.limite) == (900, limite), texte


@pytest.mark.parametrize("honoraires, medecin, niveau, parcours", [
    ("54", reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), 150, True),
    ("80", reimb.Medecin(secteur=2, specialite="specialiste"), 200, True),
    ("80", reimb.Medecin(secteur=2, specialite="specialiste"), "frais réels", True),
    ("30", reimb.Medecin(secteur=1), 100, False),
    ("45", reimb.Medecin(secteur=2, specialite="specialiste"), 130, False),
])
def test_la_forme_simple_donne_le_meme_montant_que_le_moteur(honoraires, medecin, niveau, parcours):
    # Une garantie « X % BR » ou « frais réels » : la règle des formes redonne l'AMC du décompte.
    jour = date(2025, 3, 1)
    g = reimb.Garantie(dptam=niveau, hors_dptam=niveau, responsable=True)
    d = reimb.decompte(honoraires=honoraires, date=jour, medecin=medecin, garantie=g, parcours=parcours)
    def c(x):
        return int(x * 100)

    majoration = 0
    if not parcours:
        majoration = c(d.brss) * 40 // 100  # 70 − 30 points, BR entière : exact
    plafond = None
    if not medecin.ligne_dptam:
        p = plafond_hors_dptam_detail(g.dptam, jour)
        plafond = pourcentage_de(c(d.brss), p.niveau) if p.niveau is not None else None
    da = 0
    if not parcours:  # la part du DA exclue, lue dans l'étape « Exclusions » du décompte (majoration + DA)
        exclu = next(e.montant for e in d.etapes if e.libelle.startswith("Exclusions du contrat responsable"))
        da = c(exclu) - majoration
    r = appliquer(g.formule_pour(medecin), frais=c(d.honoraires), brss=c(d.brss), amo_brut=c(d.amo_brut),
                  majoration=majoration, exclusions=not parcours, depassement_autorise_exclu=da, plafond_total=plafond)
    assert r.amc == c(d.amc)


# --- Dans le moteur : décompte d'une consultation et calcul par lot -----------------------------------------

def _recalcule(d):
    from reimb.explication import recalculer

    for e in d.etapes:
        if e.calcul is not None:
            assert recalculer(e.calcul) == e.montant, (e.libelle, e.calcul, e.montant)


@pytest.mark.parametrize("texte, honoraires, medecin, amc", [
    # « RO + 100 % BR », généraliste 30 € : 100 % × 30 = 30 € mais la dépense laissée est 30 − 21 = 9 €.
    ("RO + 100 % BR", "30", reimb.Medecin(secteur=1), D("9.00")),
    # « RO + 100 % BR », spécialiste OPTAM 54 € : 31,50 €.
    ("RO + 100 % BR", "54", reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), D("31.50")),
    # « 100 % TM » : 31,50 − 22,05 = 9,45 €.
    ("100 % TM", "54", reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), D("9.45")),
    # « 100 % BR + 20 € » : 9,45 + 20 = 29,45 €.
    ("100 % BR + 20 €", "54", reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), D("29.45")),
    # « 90 % FR » : min(54 ; 48,60) − 22,05 = 26,55 €.
    ("90 % FR", "54", reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), D("26.55")),
])
def test_le_moteur_applique_chaque_forme(texte, honoraires, medecin, amc):
    g = reimb.Garantie(dptam=texte, hors_dptam="100 % BR")
    d = reimb.decompte(honoraires=honoraires, date=date(2025, 3, 1), medecin=medecin, garantie=g)
    assert d.amc == amc
    assert d.amo + d.amc + d.reste_a_charge == d.honoraires
    _recalcule(d)
    assert any(texte in e.regle for e in d.etapes)


def test_etape_en_plus_du_ro_dit_le_calcul():
    g = reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="100 % BR")
    d = reimb.decompte(honoraires="30", date=date(2025, 3, 1), medecin=reimb.Medecin(secteur=1), garantie=g)
    e = next(e for e in d.etapes if e.libelle == "Part de la complémentaire selon le tableau")
    assert "100 % BR en plus du remboursement de la Sécurité sociale : 100 % × 30\u00a0€ = 30\u00a0€, dans la limite de la dépense" in e.regle
    assert e.montant == D("30.00")


def test_le_moteur_plafonne_le_total_et_dit_la_limite():
    # Non adhérent à 80 €, BR 23 € ; adhérents « RO + 100 % BR » = 170 % → limite n° 2 : 150 % × 23 = 34,50 € au total ;
    # « 100 % BR + 30 € » : 23 + 30 = 53 € → 34,50 € ; AMC = 34,50 − 16,10 = 18,40 €.
    g = reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="100 % BR + 30 €")
    d = reimb.decompte(honoraires="80", date=date(2025, 3, 1), medecin=reimb.Medecin(secteur=2, specialite="specialiste"), garantie=g)
    assert d.amc == D("18.40") and d.plafond_responsable_applique
    p = next(e for e in d.etapes if e.libelle == "Plafond du contrat responsable")
    assert p.montant == D("34.50") and "limite n° 2" in p.regle and "170 % − 20 = 150 %" in p.regle
    _recalcule(d)


def test_le_moteur_applique_le_plafond_annuel_depuis_le_montant_deja_utilise():
    # « RO + 100 % BR dans la limite de 50 € par an », 30 € déjà versés : 20 € au lieu de 31,50 €.
    g = reimb.Garantie(dptam="RO + 100 % BR dans la limite de 50 € par an", hors_dptam="100 % BR")
    m = reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
    d = reimb.decompte(honoraires="54", date=date(2025, 3, 1), medecin=m, garantie=g, deja_rembourse_annee="30")
    assert d.amc == D("20.00") and d.reste_a_charge == D("13.95")      # 54 − 20,05 − 20
    assert reimb.decompte(honoraires="54", date=date(2025, 3, 1), medecin=m, garantie=g).amc == D("31.50")
    _recalcule(d)
    with pytest.raises(reimb.ErreurSaisie):
        reimb.decompte(honoraires="54", date=date(2025, 3, 1), medecin=m, garantie=g, deja_rembourse_annee="-1")


def test_le_lot_lit_les_formulations_et_cumule_le_plafond_annuel_par_personne():
    import pandas as pd

    jour = [date(2025, 3, d) for d in (3, 1, 2, 1)]
    t = pd.DataFrame({
        "honoraires": [54, 54, 54, 54], "date": jour, "secteur": 2, "dptam": "OPTAM", "specialite": "specialiste",
        "age": 40, "personne": ["A", "A", "A", "B"],
        "garantie_dptam": "RO + 100 % BR dans la limite de 50 € par an", "garantie_hors_dptam": "100 % TM",
    })
    r = reimb.decompte_lot(t)
    # Personne A, dans l'ordre des dates : 1er mars 31,50 € ; 2 mars 50 − 31,50 = 18,50 € ; 3 mars 0 €.
    # Personne B : 31,50 €.
    assert list(r["amc"]) == [D("0.00"), D("31.50"), D("18.50"), D("31.50")]
    # Chaque ligne expliquée par le moteur avec le montant déjà versé : mêmes montants.
    from reimb.lot import expliquer

    for i in range(4):
        assert expliquer(t, i).amc == r["amc"].iloc[i]
    # Les mêmes formes sans plafond, ligne par ligne, comme le moteur.
    t2 = t.drop(columns=["personne"]).assign(garantie_dptam=["RO + 100 % BR", "100 % TM", "100 % BR + 20 €", "90 % FR"])
    r2 = reimb.decompte_lot(t2)
    assert list(r2["amc"]) == [D("31.50"), D("9.45"), D("29.45"), D("26.55")]


FORMES = ["100 % BR", "150 % BR", "200 % BR RO inclus", "RO + 100 % BR", "RO + 30 % BR", "100 % TM", "50 % TM",
          "100 % BR + 20 €", "50 % BR + 5 €", "RO + 50 % BR + 10 €", "frais réels", "90 % FR", "20 €",
          "RO + 100 % BR dans la limite de 50 € par an", "150 % BR dans la limite de 30 € par an"]


@settings(max_examples=300, deadline=None)
@given(
    dptam=st.sampled_from(FORMES), hors=st.sampled_from(FORMES), depassement=st.integers(0, 12000),
    medecin=st.sampled_from([reimb.Medecin(secteur=1), reimb.Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"),
                             reimb.Medecin(secteur=2, specialite="specialiste"), reimb.Medecin(secteur=2)]),
    responsable=st.booleans(), deja=st.integers(0, 6000), jour=st.sampled_from([date(2017, 3, 1), date(2025, 3, 1)]),
)
def test_le_moteur_et_la_regle_de_reference_donnent_le_meme_montant(dptam, hors, depassement, medecin, responsable, deja, jour):
    """Le noyau du moteur (reimb.regles.noyau) et l'oracle des tests (oracle_formules) : même AMC."""
    from reimb.parametres import parametre

    g = reimb.Garantie(dptam=dptam, hors_dptam=hors, responsable=responsable)
    base = reimb.brss("consultation", medecin, jour).valeur
    honoraires = base if not medecin.peut_depasser else base + D(depassement) / 100
    d = reimb.decompte(honoraires=honoraires, date=jour, medecin=medecin, garantie=g, deja_rembourse_annee=D(deja) / 100)
    def c(x):
        return int(x * 100)

    plafond = None
    if responsable and not medecin.ligne_dptam:
        eq = equivalent_br(g.formule_dptam, brss=c(d.brss), taux_amo=parametre("taux_amo.consultation", jour).valeur)
        p = plafond_hors_dptam_detail(eq, jour)
        plafond = pourcentage_de(c(d.brss), p.niveau) if p.niveau is not None else None
    r = appliquer(g.formule_pour(medecin), frais=c(d.honoraires), brss=c(d.brss), amo_brut=c(d.amo_brut),
                  plafond_total=plafond, deja_rembourse_annee=deja)
    assert r.amc == c(d.amc)


def test_conformite_d_une_garantie_en_formulations():
    # « RO + 100 % BR » pour tous les médecins = 170 % Sécu comprise ; non-adhérents au plus 170 − 20 = 150 % :
    # la même ligne chez les non-adhérents n'est pas conforme (R.871-2, limite n° 2).
    r = reimb.verifier_responsable(reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="RO + 100 % BR"), date(2025, 3, 1))
    c = r.controle("Double limite")
    assert not c.conforme and "170" in c.explication and "150" in c.explication
    # « RO + 100 % BR » / « RO + 50 % BR » (120 %) : conforme.
    assert reimb.verifier_responsable(reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="RO + 50 % BR"), date(2025, 3, 1)).conforme
    assert reimb.plafond_hors_dptam(reimb.Garantie(dptam="RO + 100 % BR").dptam, date(2025, 3, 1)) == 150


def test_vingt_euros_seul_est_un_forfait_pas_vingt_pour_cent():
    """« 20 € » dans une case de tableau : un forfait de 20 € en plus de la Sécu, jamais 20 % de la BRSS
    (le symbole « € » était toléré par la lecture des montants et le niveau lu comme 20 %).

    À la main : généraliste secteur 2 OPTAM, 50 € le 2 mars 2026, BRSS 30 € : Sécu 70 % × 30 = 21 € − 2 € de
    participation forfaitaire = 19 € ; complémentaire 20 € (≤ 50 − 21 = 29 €) ; reste 50 − 19 − 20 = 11 €."""
    m = reimb.Medecin(secteur=2, specialite="generaliste", dptam="OPTAM")
    for texte in ("20 €", "20€", "20 euros"):
        g = reimb.Garantie(dptam=texte, responsable=False)
        assert g.formule_dptam.forfait == Decimal("20") and g.formule_dptam.pourcentage == 0
        d = reimb.decompte(Decimal("50"), date(2026, 3, 2), m, garantie=g)
        assert (d.amo, d.amc, d.reste_a_charge) == (Decimal("19.00"), Decimal("20.00"), Decimal("11.00"))
    with pytest.raises(reimb.ErreurSaisie, match="forfait en euros"):
        reimb.modele.niveau("20 €", "dptam")
