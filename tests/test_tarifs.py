"""Les bases de remboursement par acte, spécialité, type de médecin et date (reimb.brss).

Chaque valeur attendue vient de la source citée à côté (les mêmes que ``parametres/tarifs.toml``) ou
d'une addition écrite à côté. Les bornes de dates sont testées des deux côtés.
"""

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb import ErreurSaisie, Garantie, Medecin, Patient, brss, decompte

S1_GEN = Medecin(secteur=1)
S2_GEN = Medecin(secteur=2)
S1_SPE = Medecin(secteur=1, specialite="specialiste")
S2_SPE = Medecin(secteur=2, specialite="specialiste")
OPTAM_SPE = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
CAS_SPE = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
S1_PSY = Medecin(secteur=1, specialite="psychiatre")
S2_PSY = Medecin(secteur=2, specialite="psychiatre")
S1_CARDIO = Medecin(secteur=1, specialite="cardiologue")
S2_CARDIO = Medecin(secteur=2, specialite="cardiologue")
ADULTE = Patient(age=45)


# --- Spécialiste : CAS / OPTAM contre non-adhérent (ameli, page CAS ; SML ; CSMF) -----------------------
@pytest.mark.parametrize("medecin, jour, valeur, detail", [
    (CAS_SPE, date(2016, 3, 1), "28.00", "CS 23 € + MPC 2 € + MCS 3 €"),      # ameli : « 28 euros contre 23 euros »
    (S2_SPE, date(2016, 3, 1), "23.00", "CS 23 €"),
    (OPTAM_SPE, date(2017, 6, 30), "28.00", "CS 23 € + MPC 2 € + MCS 3 €"),
    (OPTAM_SPE, date(2017, 7, 1), "30.00", "CS 23 € + MPC 2 € + MCS 5 €"),     # MCS 3 → 5 € (SML, lecardiologue)
    (OPTAM_SPE, date(2023, 11, 1), "31.50", "CS 23 € + MPC 3,50 € + MCS 5 €"),  # CSMF : 30 → 31,50
    (S1_SPE, date(2025, 1, 15), "31.50", "CS 23 € + MPC 3,50 € + MCS 5 €"),     # ameli 22/12/2024 : « reste à 31,50 € »
    (S2_SPE, date(2025, 1, 15), "23.00", "CS 23 €"),
])
def test_specialiste(medecin, jour, valeur, detail):
    b = brss("consultation", medecin, jour)
    assert (b.valeur, b.detail) == (D(valeur), detail)
    assert sum(m for _, m in b.composition) == b.valeur   # la composition s'additionne à la base


def test_cas_hors_de_sa_periode_refuse():
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", CAS_SPE, date(2017, 1, 1))
    assert e.value.champ == "medecin.dptam"
    with pytest.raises(ErreurSaisie):
        brss("consultation", OPTAM_SPE, date(2016, 12, 31))


# --- La règle du 1er avril 2018 : non-adhérent qui facture au tarif opposable ---------------------------
@pytest.mark.parametrize("jour, honoraires, valeur, categorie, detail", [
    # Avant l'ouverture : 28 € chez un non-adhérent, c'est CS 23 € + 5 € de dépassement.
    (date(2018, 3, 31), "28", "23.00", "hors_dptam", "CS 23 €"),
    # À partir du 1er avril 2018 : 28 € = CS 23 + MCS 5, au tarif opposable (apga : MCS 5 € ; art. 16.2).
    (date(2018, 4, 1), "28", "28.00", "hors_dptam_opposable", "CS 23 € + MCS 5 €"),
    # Pas de MPC : 30 € (la base du secteur 1) est un dépassement de 7 € sur le code nu.
    (date(2018, 4, 1), "30", "23.00", "hors_dptam", "CS 23 €"),
    # 23 € : le code nu au tarif opposable, sans majoration.
    (date(2018, 4, 1), "23", "23.00", "hors_dptam", "CS 23 €"),
])
def test_regle_du_1er_avril_2018_specialiste(jour, honoraires, valeur, categorie, detail):
    b = brss("consultation", S2_SPE, jour, honoraires=D(honoraires))
    assert (b.valeur, b.categorie, b.detail) == (D(valeur), categorie, detail)


def test_regle_2018_reserve_mpc_notee():
    b = brss("consultation", S2_SPE, date(2019, 1, 10), honoraires=D(28))
    assert b.a_verifier and "MPC" in b.a_verifier


def test_regle_2018_generaliste_mmg():
    # apga : MMG 2 € ⇒ C 23 + MMG 2 = 25 € au tarif opposable ; 25 € le 31 mars 2018 = 2 € de dépassement.
    assert brss("consultation", S2_GEN, date(2018, 3, 31), honoraires=D(25)).valeur == D("23.00")
    b = brss("consultation", S2_GEN, date(2018, 4, 1), honoraires=D(25))
    assert (b.valeur, b.detail) == (D("25.00"), "C 23 € + MMG 2 €")


def test_regle_2018_hors_parcours_pas_de_majoration():
    """Hors parcours, pas de majoration de coordination : 28 € est un dépassement sur CS 23 €."""
    b = brss("consultation", S2_SPE, date(2019, 1, 10), parcours=False, honoraires=D(28))
    assert (b.valeur, b.categorie) == (D("23.00"), "hors_dptam")


def test_regle_2018_dans_le_decompte():
    """Spécialiste secteur 2 non adhérent, 10 janv. 2019, garantie 100 % BRSS.

    Au tarif opposable (28 €) : base 28 ; Sécu 70 % × 28 = 19,60 − 1 = 18,60 ; AMC 28 − 19,60 = 8,40 ; reste 1 €.
    Avec dépassement (40 €) : base 23 ; Sécu 16,10 − 1 = 15,10 ; AMC 23 − 16,10 = 6,90 ; reste 40 − 22 = 18 €.
    """
    g = Garantie(dptam=100, hors_dptam=100)
    a = decompte(honoraires="28", date=date(2019, 1, 10), medecin=S2_SPE, patient=ADULTE, garantie=g)
    assert (a.brss, a.amo, a.amc, a.reste_a_charge, a.depassement) == (D("28.00"), D("18.60"), D("8.40"), D("1.00"), D(0))
    b = decompte(honoraires="40", date=date(2019, 1, 10), medecin=S2_SPE, patient=ADULTE, garantie=g)
    assert (b.brss, b.amo, b.amc, b.reste_a_charge) == (D("23.00"), D("15.10"), D("6.90"), D("18.00"))
    etape = next(e for e in a.etapes if e.libelle == "Base de remboursement (BRSS)")
    assert "CS 23 € + MCS 5 €" in etape.regle and "tarif opposable" in etape.regle


# --- Généraliste médecin correspondant : G + MCG -------------------------------------------------------
@pytest.mark.parametrize("jour, valeur, detail", [
    (date(2016, 3, 1), "26.00", "C 23 € + MCG 3 €"),     # MCG « passe de 3 à 5 € » en juillet 2017 (cinqplus)
    (date(2017, 6, 30), "28.00", "G 25 € + MCG 3 €"),    # G 25 € depuis le 1er mai 2017
    (date(2017, 7, 1), "30.00", "G 25 € + MCG 5 €"),     # SML : G/GS + MCG = 25 + 5 = 30 €
])
def test_generaliste_correspondant(jour, valeur, detail):
    b = brss("consultation_correspondant", S1_GEN, jour)
    assert (b.valeur, b.detail) == (D(valeur), detail)


def test_generaliste_correspondant_apres_decembre_2024_non_etabli():
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation_correspondant", S1_GEN, date(2025, 1, 15))
    assert e.value.champ == "date" and "brss=" in e.value.acceptes


def test_generaliste_correspondant_non_adherent():
    # Au tarif opposable depuis le 1er avril 2018 : C 23 + MMG 2 + MCG 5 = 30 € ; sinon, le code nu.
    b = brss("consultation_correspondant", S2_GEN, date(2019, 1, 10), honoraires=D(30))
    assert (b.valeur, b.detail) == (D("30.00"), "C 23 € + MMG 2 € + MCG 5 €")
    assert brss("consultation_correspondant", S2_GEN, date(2019, 1, 10), honoraires=D(40)).valeur == D("23.00")
    # Pour un spécialiste, « correspondant » est la consultation de la table (CS + MPC + MCS).
    assert brss("consultation_correspondant", S1_SPE, date(2019, 1, 10)).valeur == D("30.00")


# --- Psychiatre : CNPSY + MPC + MCS ---------------------------------------------------------------------
@pytest.mark.parametrize("jour, valeur, detail", [
    (date(2016, 3, 1), "43.70", "CNPSY 37 € + MPC 2,70 € + MCS 4 €"),    # AFPEP-SNPP BIPP 62 (2012)
    (date(2017, 6, 30), "43.70", "CNPSY 37 € + MPC 2,70 € + MCS 4 €"),
    (date(2017, 7, 1), "46.70", "CNPSY 39 € + MPC 2,70 € + MCS 5 €"),    # SML : 39 + 2,70 + 5 = 46,70
    (date(2022, 4, 1), "50.20", "CNPSY 42,50 € + MPC 2,70 € + MCS 5 €"),  # AFPEP-SNPP, avenant 9
    (date(2023, 11, 1), "51.70", None),                                  # CSMF : 50,20 → 51,70
    (date(2024, 12, 22), "55.00", "CNP 50 € + MCS 5 €"),                 # ameli : 51,70 → 55
    (date(2025, 7, 1), "55.00", "CNP 50 € + MCS 5 €"),                   # hausse reportée (domain-facts §12)
    (date(2025, 12, 10), "55.00", "CNP 50 € + MCS 5 €"),                 # §12 : « on 10 Dec 2025 … still 55 € »
    (date(2025, 12, 31), "55.00", None),
    (date(2026, 1, 1), "57.00", "CNP 52 € + MCS 5 €"),                   # §12 : 57 € au 1er janvier 2026
])
def test_psychiatre(jour, valeur, detail):
    b = brss("consultation", S1_PSY, jour)
    assert b.valeur == D(valeur)
    if detail:
        assert b.detail == detail


def test_psychiatre_non_adherent():
    # Avant avril 2022 : « ? » dans la fiche ⇒ refus clair, qui demande la base.
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", S2_PSY, date(2020, 5, 5))
    assert "brss=" in e.value.acceptes and "01/04/2022" in e.value.acceptes
    # À partir d'avril 2022 : le code nu (AFPEP-SNPP : « CNPSY = 42,50 € + dépassement »).
    b = brss("consultation", S2_PSY, date(2023, 3, 1), honoraires=D(70))
    assert (b.valeur, b.detail) == (D("42.50"), "CNPSY 42,50 €") and b.a_verifier
    # Au tarif opposable après le 22 déc. 2024 : CNP + MCS = 55 € (AFPEP-SNPP, convention 2024).
    assert brss("consultation", S2_PSY, date(2025, 1, 15), honoraires=D(55)).valeur == D("55.00")


def test_psychiatre_hors_parcours_non_etabli():
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", S1_PSY, date(2023, 3, 1), parcours=False)
    assert e.value.champ == "brss" and "pas établie" in str(e.value)


def test_psychiatre_dans_le_decompte():
    """OPTAM, 15 janv. 2025, 70 € : base 55 ; Sécu 70 % × 55 = 38,50 − 2 = 36,50 ; sans complémentaire, reste 33,50."""
    d = decompte(honoraires="70", date=date(2025, 1, 15), medecin=Medecin(secteur=2, dptam="OPTAM", specialite="psychiatre"), patient=ADULTE)
    assert (d.brss, d.amo, d.reste_a_charge) == (D("55.00"), D("36.50"), D("33.50"))
    # Non adhérent, même date, même montant : la base n'est que le code nu (42,50) : 29,75 − 2 = 27,75.
    d2 = decompte(honoraires="70", date=date(2025, 1, 15), medecin=S2_PSY, patient=ADULTE)
    assert (d2.brss, d2.amo) == (D("42.50"), D("27.75"))


# --- Cardiologue : CSC + MCC ----------------------------------------------------------------------------
def test_cardiologue():
    b = brss("consultation", S1_CARDIO, date(2017, 7, 1))
    assert (b.valeur, b.detail) == (D("51.00"), "CSC 47,73 € + MCC 3,27 €")   # lecardiologue.com, 1er juillet 2017
    assert "52,50" in b.a_verifier   # la hausse intermédiaire, de date inconnue, est signalée
    assert brss("consultation", S1_CARDIO, date(2023, 11, 1)).valeur == D("54.00")   # agipi
    with pytest.raises(ErreurSaisie):
        brss("consultation", S1_CARDIO, date(2017, 6, 30))   # avant la première valeur sourcée
    with pytest.raises(ErreurSaisie):
        brss("consultation", S1_CARDIO, date(2025, 1, 15))   # après le 22 déc. 2024 : non établi


def test_cardiologue_non_adherent_avec_depassement_non_etabli():
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", S2_CARDIO, date(2019, 1, 10), honoraires=D(80))
    assert e.value.champ == "brss" and "brss=" in e.value.acceptes
    # … mais au tarif opposable (CSC + MCC, SML), la base est connue.
    assert brss("consultation", S2_CARDIO, date(2019, 1, 10), honoraires=D(51)).valeur == D("51.00")
    # Et avec la base donnée, le décompte se fait : 80 €, base 47,73 saisie ; 70 % = 33,411 → 33,41 − 1 = 32,41.
    d = decompte(honoraires="80", brss="47.73", date=date(2019, 1, 10), medecin=S2_CARDIO, patient=ADULTE)
    assert d.amo == D("32.41")


# --- Tarif d'autorité ------------------------------------------------------------------------------------
@pytest.mark.parametrize("medecin, valeur", [
    (Medecin(secteur=3), "0.61"),
    (Medecin(secteur=3, specialite="specialiste"), "1.22"),
    (Medecin(secteur=3, specialite="psychiatre"), "1.22"),
])
def test_tarif_autorite(medecin, valeur):
    b = brss("consultation", medecin, date(2020, 2, 2))
    assert (b.valeur, b.categorie) == (D(valeur), "autorite")


# --- Saisies -------------------------------------------------------------------------------------------
def test_saisies_refusees():
    with pytest.raises(ErreurSaisie) as e:
        brss("visite", S1_GEN, date(2020, 1, 1))
    assert e.value.champ == "acte" and "consultation_correspondant" in e.value.acceptes
    with pytest.raises(ErreurSaisie) as e:
        Medecin(secteur=1, specialite="dermatologue")
    assert "psychiatre" in e.value.acceptes and "cardiologue" in e.value.acceptes
    with pytest.raises(ErreurSaisie):
        brss("consultation", S2_SPE, date(2019, 1, 10), honoraires=D("-1"))
    with pytest.raises(ErreurSaisie):
        brss("consultation", S2_SPE, date(2027, 1, 1))   # au-delà de la table


def test_libelles():
    assert Medecin(secteur=2, dptam="OPTAM", specialite="psychiatre").libelle == "Médecin psychiatre, secteur 2, adhérent OPTAM"
    assert reimb.tarifs.CATEGORIES["hors_dptam_opposable"].startswith("médecin non adhérent")


def test_apres_la_serie_2018_la_base_au_tarif_opposable_n_est_pas_devinee():
    """La série « non adhérent au tarif opposable » du généraliste s'arrête le 21/12/2024 (tarifs.toml).

    Le 01/03/2025, un généraliste de secteur 2 non adhérent qui facture 30 € — la base du secteur 1
    ce jour-là (G 30 €, ameli 22/12/2024) — facture peut-être au tarif opposable : la base n'est pas
    établie, elle est demandée. À 35 €, c'est un dépassement sur le code nu (23 €).
    """
    m = Medecin(secteur=2)
    with pytest.raises(ErreurSaisie) as e:
        reimb.decompte(honoraires="30", date=date(2025, 3, 1), medecin=m)
    assert e.value.champ == "brss" and "21/12/2024" in str(e.value)
    assert reimb.decompte(honoraires="35", date=date(2025, 3, 1), medecin=m).brss == D("23.00")
    # Base donnée : 70 % × 30 = 21 − 2 € de PF = 19 €.
    assert reimb.decompte(honoraires="30", date=date(2025, 3, 1), medecin=m, brss="30").amo == D("19.00")


@pytest.mark.parametrize(
    "jour, base, propre",
    [
        (date(2017, 4, 30), "23.00", False),   # avant le 1er mai 2017 : base propre non établie, C 23 €
        (date(2017, 5, 1), "30.00", True),     # domain-facts §3.1 : « G for a child < 6 : 30 € » (mai 2017)
        (date(2023, 11, 1), "31.50", True),    # domain-facts §3.1 : 31,50 € à partir du 1er novembre 2023
        (date(2024, 12, 21), "31.50", True),
        (date(2024, 12, 22), "35.00", True),   # europe1 et axa (juin-juillet 2024) : 35 € ; peers.md §3.2
        (date(2026, 6, 1), "35.00", True),
    ],
)
def test_generaliste_enfant_de_moins_de_6_ans(jour, base, propre):
    b = brss("consultation", Medecin(secteur=1), jour, age=5)
    assert b.valeur == D(base)
    assert (b.categorie == "opposable_moins_de_6_ans") is propre
    if not propre:
        assert "moins de 6 ans" in b.a_verifier and "non établie" in b.a_verifier
    # 6 ans et plus : la base ordinaire, sans note sur les enfants.
    assert brss("consultation", Medecin(secteur=1), jour, age=6).categorie == "opposable"
    # Non-adhérent en dépassement : la consultation de base, quel que soit l'âge.
    assert brss("consultation", Medecin(secteur=2), jour, age=5).categorie == "hors_dptam"


def test_enfant_de_3_ans_chez_le_generaliste_en_2019():
    """Secteur 1, 2019, 30 € : 70 % × 30 = 21 € ; pas de PF (moins de 18 ans) ; 100 % BR : 9 € ; reste 0."""
    d = decompte(honoraires="30", date=date(2019, 3, 1), medecin=Medecin(secteur=1), patient=Patient(age=3),
                 garantie=Garantie(dptam=100, hors_dptam=100))
    assert (d.brss, d.amo, d.amc, d.reste_a_charge) == (D("30.00"), D("21.00"), D("9.00"), D("0.00"))
