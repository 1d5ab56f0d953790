"""Le moteur, contre les exemples chiffrés des sources et de la fiche domain-facts.

Chaque valeur attendue vient d'un exemple chiffré d'une source (citée) ou d'un calcul à la main
écrit à côté. Les erreurs connues des sources sont vérifiées dans le bon sens.
"""

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb import Garantie, Medecin, Patient, decompte

ADULTE = Patient(age=45)
CAS_SPE = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
NON_CAS_SPE = Medecin(secteur=2, specialite="specialiste")
JOUR_2016 = date(2016, 3, 1)  # période 2015-2016 des exemples de la source 002 (PF 1 €)
SANS_PLAFOND_DPTAM = "frais réels"  # source 002, hypothèse 1 : « votre mutuelle ne plafonne pas … les médecins adhérents CAS »


def parts(d):
    return d.amo, d.amc, d.reste_a_charge


# Source 002_ba0c1914aa323f03.txt, « Conséquences pratiques » : spécialiste secteur 2, 50 €, parcours.
@pytest.mark.parametrize(
    "medecin, dptam, hors_dptam, amo, amc, rac",
    [
        # CAS, BRSS 28 € : Sécu 70 % × 28 = 19,60 − 1 = 18,60
        (CAS_SPE, 100, 100, "18.60", "8.40", "23.00"),   # 28 − 19,60 = 8,40 ; 50 − 18,60 − 8,40 = 23
        (CAS_SPE, 125, 125, "18.60", "15.40", "16.00"),  # 35 − 19,60 = 15,40 ; 50 − 18,60 − 15,40 = 16
        # 200 % : la source trouve 36,40 € et un reste à charge de −5 € ; le principe indemnitaire
        # limite la garantie à la dépense : 50 − 19,60 = 30,40 € ; le patient garde 1 € (la PF).
        (CAS_SPE, 200, 200, "18.60", "30.40", "1.00"),
        # non-CAS, BRSS 23 € : 70 % × 23 = 16,10 − 1 = 15,10
        (NON_CAS_SPE, SANS_PLAFOND_DPTAM, 100, "15.10", "6.90", "28.00"),    # 23 − 16,10 = 6,90
        (NON_CAS_SPE, SANS_PLAFOND_DPTAM, 125, "15.10", "12.65", "22.25"),   # 28,75 − 16,10 = 12,65
        (NON_CAS_SPE, SANS_PLAFOND_DPTAM, 200, "15.10", "29.90", "5.00"),    # 46 − 16,10 = 29,90 (≤ 225 % en 2016)
        # Hypothèse 2 : plafond CAS à 150 % ⇒ non-CAS au plus 150 − 20 = 130 % × 23 = 29,90 − 16,10 = 13,80
        (NON_CAS_SPE, 150, 150, "15.10", "13.80", "21.10"),
    ],
)
def test_exemples_source_002(medecin, dptam, hors_dptam, amo, amc, rac):
    d = decompte(honoraires="50", date=JOUR_2016, medecin=medecin, patient=ADULTE,
                 garantie=Garantie(dptam=dptam, hors_dptam=hors_dptam, responsable=True), parcours=True)
    assert parts(d) == (D(amo), D(amc), D(rac))
    assert d.amo + d.amc + d.reste_a_charge == d.honoraires == D("50")


def test_source_002_reste_a_charge_negatif_corrige():
    """La source annonce « −5 € » puis « remboursé à hauteur de 49 € » : c'est la seconde lecture qui est juste."""
    d = decompte(honoraires="50", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, garantie=Garantie(dptam=200, hors_dptam=200))
    assert d.reste_a_charge == D("1.00") and d.reste_a_charge >= 0
    assert d.amo + d.amc == D("49.00")  # la source : « intégralement remboursé, à hauteur de 49 € »
    assert "Principe indemnitaire" in [e.libelle for e in d.etapes]


def test_hypothese_2_le_plafond_est_une_etape():
    d = decompte(honoraires="50", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE, garantie=Garantie(dptam=150, hors_dptam=150))
    assert d.plafond_responsable_applique and d.niveau_applique == D(130)
    etape = next(e for e in d.etapes if e.libelle == "Plafond du contrat responsable")
    assert etape.montant == D("29.90")  # source 002 : « 130 % de 23 € = 29,90 € »
    assert "R.871-2" in etape.source


def test_plafond_hors_dptam_source_002():
    assert reimb.plafond_hors_dptam(150, JOUR_2016) == D(130)           # 150 % − 20 points (source 002)
    assert reimb.plafond_hors_dptam("frais réels", JOUR_2016) == D(225)  # 100 + 125 (2015-2016)
    assert reimb.plafond_hors_dptam("frais réels", date(2017, 1, 1)) == D(200)  # 100 + 100 (2017 →)
    assert reimb.plafond_hors_dptam("frais réels", date(2015, 3, 31)) is None    # avant la réforme
    assert reimb.plafond_hors_dptam(200, date(2017, 1, 1)) == D(180)    # domain-facts §7.4 : 200 ⇒ 180


# Source 000_e53873f15d9090c1.txt : spécialiste secteur 2, 40 €, parcours, BRSS 28 € (CAS) ou 23 €.
def test_source_000_cas():
    d = decompte(honoraires="40", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE)
    assert d.brss == D("28.00")               # « la base de remboursement … est de 28€ »
    assert d.amo == D("18.60")                # « 18,60€ (70% de 28€) » : 19,60 − 1 € de PF
    assert d.amo_brut == D("19.60")


def test_source_000_non_cas_erreur_15_30():
    """La source écrit 15,30 € ; 70 % × 23 = 16,10, moins 1 € de PF : 15,10 €."""
    d = decompte(honoraires="40", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE)
    assert d.brss == D("23.00")
    assert d.amo_brut == D("16.10")
    assert d.amo == D("15.10")
    assert d.amo != D("15.30")


# domain-facts, « Worked examples I could verify » : généraliste secteur 1, médecin traitant, 100 % BR.
@pytest.mark.parametrize(
    "jour, honoraires, amo, amc, rac",
    [
        (date(2024, 3, 10), "26.50", "17.55", "7.95", "1.00"),   # PF 1 € avant le 15 mai 2024
        (date(2024, 6, 10), "26.50", "16.55", "7.95", "2.00"),   # PF 2 € à partir du 15 mai 2024
        (date(2025, 1, 15), "30.00", "19.00", "9.00", "2.00"),   # G 30 € depuis le 22 déc. 2024
    ],
)
def test_exemples_generaliste(jour, honoraires, amo, amc, rac):
    d = decompte(honoraires=honoraires, date=jour, medecin=Medecin(secteur=1), patient=ADULTE, garantie=Garantie(dptam=100, hors_dptam=100))
    assert d.brss == D(honoraires)
    assert parts(d) == (D(amo), D(amc), D(rac))


@pytest.mark.parametrize("jour, pf", [(date(2024, 5, 14), "1.00"), (date(2024, 5, 15), "2.00")])
def test_participation_forfaitaire_bascule_du_15_mai_2024(jour, pf):
    d = decompte(honoraires="26.50", date=jour, medecin=Medecin(secteur=1), patient=ADULTE)
    assert d.participation_forfaitaire == D(pf)


def test_tarif_autorite_pf_reportee():
    """domain-facts, cas limite : non conventionné, 10 févr. 2025, 60 €, BRSS 0,61 € (généraliste)."""
    d = decompte(honoraires="60", date=date(2025, 2, 10), medecin=Medecin(secteur=3), patient=ADULTE)
    assert d.brss == D("0.61")
    assert d.amo_brut == D("0.43")          # 70 % × 0,61 = 0,427 → 0,43
    assert d.amo == D("0.00")               # jamais négatif
    assert d.participation_forfaitaire_reportee == D("1.57")   # 2 − 0,43
    assert d.reste_a_charge == D("60.00")


def test_exonerations_pf():
    base = dict(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1))
    assert decompte(**base, patient=Patient(age=17)).participation_forfaitaire == 0
    assert decompte(**base, patient=Patient(age=18)).participation_forfaitaire == D("2.00")
    assert decompte(**base, patient=Patient(age=30, css=True)).participation_forfaitaire == 0
    assert decompte(**base, patient=Patient(age=30, maternite=True)).participation_forfaitaire == 0
    assert decompte(**base, patient=Patient(age=30, ald=True)).participation_forfaitaire == D("2.00")  # l'ALD paie la PF


def test_ald_100_pourcent():
    # 30 € × 100 % = 30 ; − 2 € de PF = 28 ; pas de complémentaire : reste 2 €.
    d = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=60, ald=True))
    assert (d.amo_brut, d.amo, d.reste_a_charge) == (D("30.00"), D("28.00"), D("2.00"))


def test_css_sans_reste_a_charge():
    # CSS : pas de PF ; la CSS paie le ticket modérateur 30 − 21 = 9 € ; reste 0.
    d = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=30, css=True))
    assert (d.amo, d.amc, d.reste_a_charge) == (D("21.00"), D("9.00"), D("0.00"))


def test_hors_parcours_responsable():
    """Généraliste secteur 1, 2025, 30 €, hors parcours, contrat responsable 100 %.

    Sécu 30 % × 30 = 9,00 − 2 = 7,00. Majoration du TM : 40 points × 30 = 12,00, exclue.
    AMC = 30 − 9 − 12 = 9,00 (le TM « normal »). Reste : 30 − 7 − 9 = 14,00 (12 + 2 de PF).
    """
    d = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=ADULTE,
                 garantie=Garantie(dptam=100, hors_dptam=100), parcours=False)
    assert (d.taux, d.amo, d.amc, d.reste_a_charge) == (D(30), D("7.00"), D("9.00"), D("14.00"))
    # Un contrat non responsable peut couvrir la majoration : 30 − 9 = 21 ; reste 2 (la PF).
    d2 = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=ADULTE,
                  garantie=Garantie(dptam=100, hors_dptam=100, responsable=False), parcours=False)
    assert (d2.amc, d2.reste_a_charge) == (D("21.00"), D("2.00"))


def test_moins_de_16_ans_pas_de_majoration_hors_parcours():
    d = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=10), parcours=False)
    assert d.taux == D(70) and d.parcours is True


def test_da_secteur_1_specialiste_hors_parcours():
    """Spécialiste secteur 1, 2016, hors parcours : base CS + MPC = 25 €, dépassement autorisé (DA).

    Plafond (convention, art. 37.1, cité par FMF ; domain-facts §4.3) : le montant facturé, arrondi à
    l'euro supérieur, n'excède pas de plus de 17,5 % le tarif *du parcours* (CS + MPC + MCS = 28 €) :
    28 × 1,175 = 32,90 → 33 €. (L'amorce comparait à la base hors parcours : 25 × 1,175 → 30 €.)
    """
    med = Medecin(secteur=1, specialite="specialiste")
    d = decompte(honoraires="30", date=JOUR_2016, medecin=med, patient=ADULTE, parcours=False,
                 garantie=Garantie(dptam=200, hors_dptam=200))
    assert d.brss == D("25.00") and d.depassement == D("5.00")
    # Sécu 30 % × 25 = 7,50 − 1 = 6,50. Exclus : majoration 40 % × 25 = 10 et DA 5.
    # AMC = min(30 − 5, 50) − 7,50 − 10 = 7,50 ; reste 30 − 6,50 − 7,50 = 16.
    assert (d.amo, d.amc, d.reste_a_charge) == (D("6.50"), D("7.50"), D("16.00"))
    with pytest.raises(reimb.ErreurSaisie, match="33,00"):
        decompte(honoraires="34", date=JOUR_2016, medecin=med, patient=ADULTE, parcours=False)


def test_etapes_expliquent():
    d = decompte(honoraires="50", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, garantie=Garantie(dptam=125, hors_dptam=105))
    libelles = [e.libelle for e in d.etapes]
    assert libelles[0] == "Honoraires facturés" and libelles[-1] == "Reste à charge du patient"
    brss = next(e for e in d.etapes if e.libelle == "Base de remboursement (BRSS)")
    assert "CS 23 € + MPC 2 € + MCS 3 €" in brss.regle
    assert all(e.regle and e.source for e in d.etapes)


def test_float_converti_par_son_texte():
    d = decompte(honoraires=50.0, date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, brss=28.0)
    assert d.honoraires == D("50.00") and d.brss == D("28.00")


def test_verifier_responsable_rapport():
    rapport = reimb.verifier_responsable(Garantie(dptam=200, hors_dptam=200), date(2017, 1, 1))
    assert not rapport.conforme   # domain-facts §7.4 : « 200 % pour tous » n'est pas responsable
    echec = [c for c in rapport if not c.conforme]
    assert len(echec) == 1 and "180" in echec[0].explication
    assert reimb.verifier_responsable(Garantie(dptam=200, hors_dptam=180), date(2017, 1, 1)).conforme


def test_optam_aco_a_partir_de_2025():
    """domain-facts §2.3 : l'OPTAM-CO devient OPTAM-ACO le 1er janvier 2025 ; même base que l'OPTAM.

    Spécialiste adhérent, 2025 : base 31,50 € (CS + MPC + MCS) ; Sécu 70 % × 31,50 = 22,05 − 2 € = 20,05 €.
    """
    m = Medecin(secteur=2, dptam="OPTAM-ACO", specialite="specialiste")
    d = decompte(honoraires="60", date=date(2025, 3, 1), medecin=m, patient=ADULTE)
    assert (d.brss, d.amo) == (D("31.50"), D("20.05"))
    with pytest.raises(reimb.ErreurSaisie, match="01/01/2025"):
        decompte(honoraires="60", date=date(2024, 12, 31), medecin=m, patient=ADULTE)


def test_participations_deja_comptees_saisie():
    """Les participations déjà comptées sont des montants en euros ; au-delà du plafond annuel (50 €), plus rien."""
    base = dict(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=ADULTE)
    assert decompte(**base, pf_deja_payees_annee=50).participation_forfaitaire == D("0.00")
    assert decompte(**base, pf_deja_payees_annee="48,50").participation_forfaitaire == D("1.50")  # 50 − 48,50
    with pytest.raises(reimb.ErreurSaisie) as e:
        decompte(**base, pf_deja_payees_jour="-2")
    assert e.value.champ == "pf_deja_payees_jour"


def test_retenue_differee_exemple_service_public():
    """service-public.fr A18033 (tutoriel de l'Assurance maladie) : « Jean a dépensé 30 € … la Sécu ne lui a versé que
    15 € ». Généraliste 30 € (2026), Sécu 70 % × 30 = 21 − 2 (PF) = 19 € ; deux PF de consultations en tiers payant
    en attente, 2 × 2 = 4 €, retenues maintenant (D.322-3) : 19 − 4 = 15 € versés."""
    d = decompte(honoraires="30", date=date(2026, 3, 2), medecin=Medecin(secteur=1), patient=ADULTE)
    r = reimb.retenue_differee(d, 2)
    assert (r.amo_brut, r.participation, r.amo, r.en_attente) == (D("21.00"), D("2.00"), D("19.00"), D("4.00"))
    assert (r.retenue, r.verse, r.reste_en_attente) == (D("4.00"), D("15.00"), D("0.00"))
    # Jamais au-delà du remboursement : 12 × 2 = 24 € en attente > 19 € → 19 retenus, 0 versé, 24 − 19 = 5 € plus tard.
    r = reimb.retenue_differee(d, 12)
    assert (r.retenue, r.verse, r.reste_en_attente) == (D("19.00"), D("0.00"), D("5.00"))
    assert reimb.retenue_differee(d, 0).verse == D("19.00")
    for mauvais in (-1, 1.5, True, "2"):
        with pytest.raises(reimb.ErreurSaisie) as e:
            reimb.retenue_differee(d, mauvais)
        assert e.value.champ == "participations_en_attente"


def test_tarif_autorite_retenue_differee_sans_remboursement():
    """Tarif d'autorité (cas ci-dessus) : Sécu 0 € après la PF de la consultation (0,43 retenus, 1,57 reportés) ; la
    participation retenue ce jour est 0,43 € ; une PF en attente (2 €) ne trouve rien : 0 retenu, 2 € plus tard."""
    d = decompte(honoraires="60", date=date(2025, 2, 10), medecin=Medecin(secteur=3), patient=ADULTE)
    r = reimb.retenue_differee(d, 1)
    assert (r.participation, r.amo, r.retenue, r.verse, r.reste_en_attente) == (
        D("0.43"), D("0.00"), D("0.00"), D("0.00"), D("2.00"))
