"""2026 et les spécialités que les clients consultent (issue 9).

Chaque série nouvelle est testée de part et d'autre de chacune de ses dates de début, avec sa source ; les
erreurs connues des pages grand public (fiche de faits §10 et §12) sont affirmées dans le bon sens.
"""

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb import ErreurSaisie, Medecin, Patient, brss, decompte
from reimb.tarifs import acces_direct, age_representatif, seuils_age

S1 = Medecin(secteur=1)


def s1(specialite):
    return Medecin(secteur=1, specialite=specialite)


def optam(specialite):
    return Medecin(secteur=2, dptam="OPTAM", specialite=specialite)


# --- Psychiatre : 57 € au 1er janvier 2026, pas au 1er juillet 2025 (fiche §12) ---------------------------
@pytest.mark.parametrize("jour, base", [
    (date(2025, 6, 30), "55.00"),
    (date(2025, 7, 1), "55.00"),     # la hausse prévue ce jour-là a été suspendue (comité d'alerte ONDAM)
    (date(2025, 12, 10), "55.00"),   # §12 : « on 10 Dec 2025 a secteur 1 psychiatrist's base is still 55 € »
    (date(2025, 12, 31), "55.00"),
    (date(2026, 1, 1), "57.00"),     # §12 : 57 € au 1er janvier 2026
])
@pytest.mark.parametrize("medecin", [s1("psychiatre"), optam("psychiatre")])
def test_psychiatre_57_euros_au_1er_janvier_2026(jour, base, medecin):
    assert brss("consultation", medecin, jour).valeur == D(base)


def test_erreur_populaire_moneyvox_psychiatre():
    # moneyvox (juin 2025) : « devait passer de 51,70 euros à 57 euros ». Le 30/06/2025 la base était déjà
    # 55 € (ameli, 22 décembre 2024) : l'étape reportée est 55 → 57 €.
    assert brss("consultation", s1("psychiatre"), date(2025, 6, 30)).valeur == D("55.00")


@pytest.mark.parametrize("jour, age, base", [
    (date(2024, 12, 21), 20, "51.70"),   # avant la convention 2024 : pas de majoration
    (date(2024, 12, 22), 20, "67.00"),   # prodpress : « la cotation est portée à 67 euros » (55 + 12)
    (date(2025, 12, 31), 24, "67.00"),
    (date(2026, 1, 1), 24, "75.00"),     # 57 + 18 (§12 : majoration 12 → 18 €)
    (date(2026, 1, 1), 25, "57.00"),     # 25 ans : plus « moins de 25 ans »
])
def test_psychiatre_majoration_des_moins_de_25_ans(jour, age, base):
    b = brss("consultation", s1("psychiatre"), jour, age=age)
    assert b.valeur == D(base)
    assert b.a_verifier is None or "non établie" not in b.a_verifier


def test_psychiatre_decompte_2026_moins_de_25_ans():
    # 75 € au tarif opposable, 70 % × 75 = 52,50 − 2 € de PF = 50,50 € ; 100 % BR : la complémentaire paie le
    # ticket modérateur 75 − 52,50 = 22,50 € ; reste la PF, 2 €.
    d = decompte(honoraires="75", date=date(2026, 3, 2), medecin=s1("psychiatre"), patient=Patient(age=22),
                 garantie=reimb.Garantie(dptam=100, hors_dptam=100))
    assert (d.brss, d.amo, d.amc, d.reste_a_charge) == (D("75.00"), D("50.50"), D("22.50"), D("2.00"))


# --- Pédiatre, par tranche d'âge (ameli, 28 novembre 2024 ; fiche §12) -----------------------------------
@pytest.mark.parametrize("jour, age, base, code", [
    (date(2024, 12, 22), 0, "39.00", "CEH"),
    (date(2025, 12, 31), 1, "39.00", "CEH"),
    (date(2026, 1, 1), 1, "40.00", "CEH"),   # 40 € prévus au 1er juillet 2025, reportés au 1er janvier 2026
    (date(2024, 12, 22), 2, "35.00", "CEK"),
    (date(2026, 1, 1), 5, "35.00", "CEK"),
    (date(2024, 12, 22), 6, "31.50", "CEG"),
    (date(2026, 6, 1), 12, "31.50", "CEG"),
])
@pytest.mark.parametrize("medecin", [s1("pediatre"), optam("pediatre")])
def test_pediatre_par_tranche_d_age(jour, age, base, code, medecin):
    b = brss("consultation", medecin, jour, age=age)
    assert (b.valeur, b.composition[0][0]) == (D(base), code)


def test_pediatre_avant_la_convention_2024_et_sans_age():
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", s1("pediatre"), date(2024, 12, 21), age=3)
    assert e.value.champ == "date" and "brss=" in e.value.acceptes
    with pytest.raises(ErreurSaisie) as e:
        brss("consultation", s1("pediatre"), date(2026, 1, 5))
    assert e.value.champ == "patient.age"


def test_pediatre_non_adherent_en_depassement_base_demandee():
    # ameli ne donne la base que pour le secteur 1, l'OPTAM ou le tarif opposable : rien n'est deviné.
    with pytest.raises(ErreurSaisie) as e:
        decompte(honoraires="60", date=date(2026, 2, 1), medecin=Medecin(secteur=2, specialite="pediatre"),
                 patient=Patient(age=3))
    assert e.value.champ == "brss"


def test_erreur_april_pediatre_moins_de_6_ans():
    # APRIL (exemples 2025, peers.md §3.4) : pédiatre OPTAM < 6 ans, 50 €, BR 35 €, 100 % BR. La complémentaire
    # paie 35 − 70 % × 35 = 35 − 24,50 = 10,50 € (la fiche imprime 10,05 €).
    d = decompte(honoraires="50", date=date(2025, 6, 1), medecin=optam("pediatre"), patient=Patient(age=4),
                 garantie=reimb.Garantie(dptam=100, hors_dptam=100))
    assert (d.brss, d.amc) == (D("35.00"), D("10.50"))


# --- Gynécologue, gériatre, neurologue -------------------------------------------------------------------
@pytest.mark.parametrize("specialite, jour, base", [
    ("gynecologue", date(2023, 11, 1), "33.50"),   # ameli : « de 33,50 € à 37 € »
    ("gynecologue", date(2024, 12, 21), "33.50"),
    ("gynecologue", date(2024, 12, 22), "37.00"),
    ("gynecologue", date(2025, 12, 31), "37.00"),
    ("gynecologue", date(2026, 1, 1), "40.00"),    # §12
    ("geriatre", date(2024, 12, 21), "31.50"),     # ameli : « celle du gériatre de 31,50 € à 37 € »
    ("geriatre", date(2024, 12, 22), "37.00"),
    ("geriatre", date(2025, 12, 31), "37.00"),
    ("geriatre", date(2026, 1, 1), "42.00"),       # §12
    ("neurologue", date(2024, 12, 21), "51.70"),   # même consultation coordonnée que le psychiatre
    ("neurologue", date(2024, 12, 22), "55.00"),   # goldy.fr : « psychiatres, neuropsychiatres et neurologues : 55 € »
    ("neurologue", date(2026, 1, 1), "57.00"),
])
def test_nouvelles_specialites(specialite, jour, base):
    assert brss("consultation", s1(specialite), jour).valeur == D(base)
    assert brss("consultation", optam(specialite), jour).valeur == D(base)


def test_erreur_dispofi_geriatre():
    # dispofi : gériatre « 32 € » au 22 décembre 2024 ; ameli : 37 € (le code sans la MCS vaut 32 €).
    b = brss("consultation", s1("geriatre"), date(2024, 12, 22))
    assert b.valeur == D("37.00") and b.detail == "consultation de gériatrie 32 € + MCS 5 €"


@pytest.mark.parametrize("jour, base", [(date(2025, 12, 31), "50.00"), (date(2026, 1, 1), "52.00")])
def test_neurologue_consultation_de_reference_hors_parcours(jour, base):
    # §12 : consultation de référence 50 → 52 € ; hors parcours, sans majoration de coordination.
    assert brss("consultation", s1("neurologue"), jour, parcours=False).valeur == D(base)


def test_specialites_acceptees_et_libelles():
    for spe in ("gynecologue", "geriatre", "pediatre", "neurologue"):
        assert Medecin(secteur=1, specialite=spe).specialite == spe
    assert "gynécologue" in Medecin(secteur=1, specialite="gynecologue").libelle
    with pytest.raises(ErreurSaisie) as e:
        Medecin(secteur=1, specialite="gynéco")
    assert e.value.champ == "medecin.specialite" and "'gynecologue' (gynécologue)" in e.value.acceptes


# --- Accès direct : pas de majoration hors parcours (fiche §4.1) ------------------------------------------
def test_gynecologue_acces_direct():
    # Sans passer par le médecin traitant, même base et même taux : 70 % × 40 = 28 − 2 = 26 €.
    d = decompte(honoraires="40", date=date(2026, 3, 2), medecin=s1("gynecologue"), parcours=False)
    assert (d.brss, d.taux, d.amo) == (D("40.00"), D(70), D("26.00"))
    assert acces_direct("consultation", "gynecologue", 40)


def test_psychiatre_acces_direct_de_16_a_25_ans():
    assert acces_direct("consultation", "psychiatre", 16) and acces_direct("consultation", "psychiatre", 25)
    assert acces_direct("consultation", "psychiatre", 26) is None
    d = decompte(honoraires="75", date=date(2026, 3, 2), medecin=s1("psychiatre"), parcours=False,
                 patient=Patient(age=20))
    assert d.taux == D(70)


# --- Généraliste : enfant de moins de 6 ans à 35 € (22 décembre 2024) -------------------------------------
def test_generaliste_enfant_35_euros():
    # europe1 (juin 2024) et axa (juillet 2024) : 35 € ; peers.md §3.2. 70 % × 35 = 24,50 ; pas de PF avant 18 ans.
    d = decompte(honoraires="35", date=date(2026, 2, 10), medecin=S1, patient=Patient(age=3))
    assert (d.brss, d.amo) == (D("35.00"), D("24.50"))
    assert brss("consultation", S1, date(2024, 12, 21), age=3).valeur == D("31.50")


def test_generaliste_2026_reste_30_euros():
    # §12 : G inchangé en 2026 ; service-public F17042 : 70 % × 30 − 2 = 19 € ; fiche de faits, exemple 3.
    d = decompte(honoraires="30", date=date(2026, 3, 2), medecin=S1, garantie=reimb.Garantie(dptam=100, hors_dptam=100))
    assert (d.amo, d.amc, d.reste_a_charge) == (D("19.00"), D("9.00"), D("2.00"))


# --- Consultation longue du médecin traitant (GL) ---------------------------------------------------------
def test_consultation_longue_2026():
    # CSMF : 60 €, 80 ans et plus, 1er janvier 2026. Règles ordinaires (taux non établi, dit dans l'étape) :
    # 70 % × 60 = 42 − 2 € de PF = 40 € ; 100 % BR : la complémentaire paie 60 − 42 = 18 € ; reste 2 €.
    d = decompte(honoraires="60", date=date(2026, 3, 2), medecin=S1, patient=Patient(age=85),
                 acte="consultation_longue", garantie=reimb.Garantie(dptam=100, hors_dptam=100))
    assert (d.brss, d.amo, d.amc, d.reste_a_charge) == (D("60.00"), D("40.00"), D("18.00"), D("2.00"))
    texte = " ".join(f"{e.regle} {e.source}" for e in d.etapes)
    assert "taux" in texte and "intégralement" in texte   # l'incertitude est dite, pas devinée


@pytest.mark.parametrize("kwargs, champ", [
    (dict(date=date(2025, 12, 31), patient=Patient(age=85)), "date"),           # avant sa création
    (dict(date=date(2026, 1, 1), patient=Patient(age=79)), "patient.age"),      # moins de 80 ans
    (dict(date=date(2026, 1, 1), patient=Patient(age=85), honoraires="70"), "honoraires"),  # tarif opposable
    (dict(date=date(2026, 1, 1), patient=Patient(age=85), parcours=False), "parcours"),
    (dict(date=date(2026, 1, 1), patient=Patient(age=85), medecin=s1("specialiste")), "medecin.specialite"),
    (dict(date=date(2026, 1, 1), patient=Patient(age=85), medecin=Medecin(secteur=3)), "medecin.secteur"),
])
def test_consultation_longue_refus(kwargs, champ):
    arguments = dict(honoraires="60", medecin=S1, acte="consultation_longue") | kwargs
    with pytest.raises(ErreurSaisie) as e:
        decompte(**arguments)
    assert e.value.champ == champ
    assert e.value.message and e.value.acceptes


def test_consultation_longue_non_adherent_au_tarif_opposable():
    d = decompte(honoraires="60", date=date(2026, 5, 4), medecin=Medecin(secteur=2), patient=Patient(age=90),
                 acte="consultation_longue")
    assert (d.brss, d.amo) == (D("60.00"), D("40.00"))


# --- APC ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("specialite, jour, base", [
    ("specialiste", date(2024, 12, 21), "56.50"), ("specialiste", date(2024, 12, 22), "60.00"),   # europe1
    ("psychiatre", date(2024, 12, 21), "64.00"), ("psychiatre", date(2024, 12, 22), "67.50"),    # AFPEP-SNPP
    ("neurologue", date(2026, 1, 1), "67.50"), ("cardiologue", date(2026, 1, 1), "60.00"),       # usmy.fr
])
def test_apc(specialite, jour, base):
    assert brss("apc", optam(specialite), jour).valeur == D(base)


def test_apc_refus():
    with pytest.raises(ErreurSaisie) as e:
        brss("apc", s1("specialiste"), date(2026, 1, 5), parcours=False)
    assert e.value.champ == "parcours"
    with pytest.raises(ErreurSaisie) as e:
        brss("apc", S1, date(2026, 1, 5))
    assert e.value.champ == "medecin.specialite"


# --- Hors parcours : 60 % (2006), 50 % (2007), 30 % (2009) -----------------------------------------------
@pytest.mark.parametrize("jour, taux", [
    (date(2006, 6, 1), 60), (date(2008, 6, 1), 50), (date(2009, 1, 30), 50), (date(2009, 1, 31), 30),
])
def test_taux_hors_parcours_historique(jour, taux):
    assert reimb.parametres.parametre("taux_amo.hors_parcours", jour).valeur == D(taux)


def test_hors_parcours_2009_institut_molinari():
    # institutmolinari.org : « pour une visite chez le généraliste de 22 euros, elle ne leur reversera que
    # 5,60 euros » : 30 % × 22 = 6,60 − 1 € de PF = 5,60 €.
    d = decompte(honoraires="22", date=date(2009, 3, 1), medecin=S1, parcours=False, brss="22")
    assert d.amo == D("5.60")


# --- OPTAM-ACO partout où l'OPTAM est accepté -------------------------------------------------------------
def test_optam_aco_engagements():
    activite = [(70, 55, date(2025, 3, 1)), (55, 55, date(2025, 3, 2))]
    e = reimb.evaluer_engagements(activite, "OPTAM-ACO", specialite="psychiatre")
    assert e.indicateurs.taux_depassement == reimb.evaluer_engagements(activite, "OPTAM", specialite="psychiatre").indicateurs.taux_depassement
    with pytest.raises(ErreurSaisie) as err:
        reimb.evaluer_engagements([(70, 55, date(2024, 3, 1))], "OPTAM-ACO", specialite="psychiatre")
    assert err.value.champ.startswith("activite")


# --- Seuils d'âge (pour le calcul par lot) -----------------------------------------------------------------
def test_seuils_age_lus_dans_la_table():
    assert {2, 6, 25, 80} <= set(seuils_age())
    assert age_representatif(30) == age_representatif(79) != age_representatif(80)


# --- 2026 dans la table ---------------------------------------------------------------------------------
def test_participation_forfaitaire_2026_inchangee():
    # §12 : le doublement a été abandonné ; PF 2 €, 50 € par an, 8 € par jour (4 participations).
    p = reimb.parametres.parametre
    jour = date(2026, 6, 1)
    assert (p("participation_forfaitaire.montant", jour).valeur, p("participation_forfaitaire.plafond_annuel", jour).valeur,
            p("participation_forfaitaire.plafond_journalier", jour).valeur) == (D(2), D(50), D(8))
    assert "aucun changement" not in reimb.parametres.attribut("couverture", "couverture")["description"].lower()
