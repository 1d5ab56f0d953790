"""Le contrôle du contrat responsable, règle par règle, de part et d'autre des dates de bascule.

Dates : 31 mars / 1er avril 2015 (décret n° 2014-1374), 31 déc. 2016 / 1er janv. 2017 (125 % → 100 %),
14 / 15 mai 2024 (participation forfaitaire 1 € → 2 €), 31 déc. 2019 / 1er janv. 2020 (décret n° 2019-21 :
optique, 100 % Santé), 31 déc. 2020 / 1er janv. 2021 (100 % Santé audiologie). Chaque règle a un cas qui
passe et un cas qui échoue ; avant son entrée en vigueur, elle est dite (remarque), pas jugée.
"""

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb import ErreurSaisie, Garantie
from reimb.garanties import LigneConsultation, Niveau, Optique, TableauGaranties, charger_garanties, exemple, lire_toml
from reimb.responsable import Rapport, verifier_responsable

AVANT_2015, REFORME_2015 = date(2015, 3, 31), date(2015, 4, 1)
FIN_2016, DEBUT_2017 = date(2016, 12, 31), date(2017, 1, 1)
FIN_2019, DEBUT_2020 = date(2019, 12, 31), date(2020, 1, 1)


def regles(rapport: Rapport):
    return {c.regle: c.conforme for c in rapport}


def remarques(rapport: Rapport):
    return [r.regle for r in rapport.remarques]


# --- Garantie « consultations » : ticket modérateur -------------------------------------------------------

def test_ticket_moderateur_31_mars_1er_avril_2015():
    g = Garantie(dptam=90, hors_dptam=90)   # 90 % BRSS : 20 points de ticket modérateur non couverts
    avant = verifier_responsable(g, AVANT_2015)
    assert avant.conforme and len(avant) == 0                       # rien n'est encore exigé…
    assert "Ticket modérateur couvert" in remarques(avant)          # … et le rapport le dit
    apres = verifier_responsable(g, REFORME_2015)
    assert not apres.conforme
    tm = apres.controle("Ticket modérateur couvert (médecins adhérents DPTAM)")
    assert not tm.conforme and "90 % < 100 %" in tm.explication and "R.871-2" in tm.reference
    assert verifier_responsable(Garantie(dptam=100, hors_dptam=100), REFORME_2015).conforme


# --- Double limite : dates 2015 et 2017 -------------------------------------------------------------------

@pytest.mark.parametrize("jour, hors_dptam, conforme", [
    (AVANT_2015, 250, True),       # pas de plafond avant la réforme
    (REFORME_2015, 250, False),    # 250 > 100 + 125 = 225
    (REFORME_2015, 225, True),
    (FIN_2016, 210, True),         # 210 ≤ 225
    (DEBUT_2017, 210, False),      # 210 > 100 + 100 = 200
    (DEBUT_2017, 200, True),
])
def test_double_limite_plafond_125_puis_100(jour, hors_dptam, conforme):
    r = verifier_responsable(Garantie(dptam="frais réels", hors_dptam=hors_dptam), jour)
    assert r.conforme is conforme


@pytest.mark.parametrize("jour, plafond", [(AVANT_2015, None), (REFORME_2015, "180"), (DEBUT_2017, "180")])
def test_double_limite_ecart_20_points(jour, plafond):
    """Domain-facts §7.4 : DPTAM 200 % ⇒ non-DPTAM au plus 180 % ; « 200 % pour tous » n'est pas responsable."""
    r = verifier_responsable(Garantie(dptam=200, hors_dptam=200), jour)
    if plafond is None:
        assert r.conforme and any("Double limite" in x for x in remarques(r))
    else:
        echec = r.controle("Double limite")
        assert not echec.conforme and f"plafond de {plafond} %" in echec.explication and "limite n° 2" in echec.explication
        assert verifier_responsable(Garantie(dptam=200, hors_dptam=180), jour).conforme


def test_seuls_les_non_adherents_couverts_pas_responsable():
    """Circulaire DSS : un contrat qui ne couvre que les dépassements des non-adhérents n'est pas responsable."""
    r = verifier_responsable(Garantie(dptam=100, hors_dptam=150), DEBUT_2017)
    assert not r.conforme and "plafond de 100 %" in r.controle("Double limite").explication


# --- Tableau : lignes avec forfait en euros --------------------------------------------------------------

def tableau(**champs):
    return TableauGaranties(nom="Test", **champs)


def consultation_spe(dptam, hors):
    return (("specialiste", LigneConsultation(Niveau.lire(dptam), Niveau.lire(hors))),)


@pytest.mark.parametrize("hors, conforme, fragment", [
    # BRSS d'un non-adhérent : CS 23 €. 100 % + 20 € = 100 + 20/23 × 100 = 186,96 % > 180 %.
    ("100 % BR + 20 €", False, "186,96 % d'une BRSS de 23,00\u00a0€"),
    # 100 % + 15 € = 100 + 65,22 = 165,22 % ≤ 180 %.
    ("100 % BR + 15 €", True, "165,22 %"),
])
def test_forfait_converti_en_pourcentage_de_la_brss(hors, conforme, fragment):
    r = verifier_responsable(tableau(consultations=consultation_spe("200 % BR", hors)), DEBUT_2017)
    c = r.controle("Double limite sur les dépassements des médecins non adhérents à un DPTAM — consultation de spécialiste")
    assert c.conforme is conforme and fragment in c.explication


def test_forfait_generaliste_2025():
    t = tableau(consultations=(("generaliste", LigneConsultation(Niveau.lire("150 %"), Niveau.lire("100 % + 10 €"))),))
    # Non-adhérent : C 23 € le 15 janv. 2025 : 100 + 1000/23 = 143,48 % > 130 % (150 − 20).
    r = verifier_responsable(t, date(2025, 1, 15))
    assert not r.controle("Double limite").conforme and "143,48 %" in r.controle("Double limite").explication


def test_forfait_sans_base_connue_remarque_pas_de_supposition():
    # 2010 : la table des tarifs commence en 2013, le forfait ne peut pas être converti en % de BRSS.
    t = tableau(consultations=(("generaliste", LigneConsultation(Niveau.lire("150 %"), Niveau.lire("100 % + 10 €"))),))
    r = verifier_responsable(t, date(2010, 6, 1))
    assert len(r) == 0 and "ne peut pas être converti" in r.remarques[0].explication


# --- Mentions : participation forfaitaire (14 / 15 mai 2024), majoration, franchises ----------------------

@pytest.mark.parametrize("jour, montant_pf", [(date(2024, 5, 14), "1,00\u00a0€"), (date(2024, 5, 15), "2,00\u00a0€")])
def test_participation_forfaitaire_exclue(jour, montant_pf):
    ok = verifier_responsable(tableau(participation_forfaitaire_exclue=True), jour)
    ko = verifier_responsable(tableau(participation_forfaitaire_exclue=False), jour)
    assert ok.conforme and not ko.conforme
    c = ko.controle("Participation forfaitaire non remboursée")
    assert f"({montant_pf} par consultation à cette date)" in c.explication and "L.871-1" in c.reference


def test_majoration_et_depassements_hors_parcours():
    r = verifier_responsable(tableau(majoration_hors_parcours_exclue=False, depassements_hors_parcours_exclus=True), DEBUT_2017)
    assert regles(r) == {"Majoration hors parcours non remboursée": False, "Dépassements hors parcours non remboursés": True}
    assert "L.162-5-3" in r.controle("Majoration").reference


def test_franchises_apres_2008():
    assert remarques(verifier_responsable(tableau(franchises_exclues=False), date(2007, 6, 1))) == ["Franchises médicales non remboursées"]
    r = verifier_responsable(tableau(franchises_exclues=False), date(2008, 1, 1))
    assert not r.conforme and r.controle("Franchises").a_verifier   # date 2008 notée [M] dans la fiche


def test_mention_ticket_moderateur():
    assert not verifier_responsable(tableau(ticket_moderateur_couvert=False), REFORME_2015).conforme
    assert verifier_responsable(tableau(ticket_moderateur_couvert=False), AVANT_2015).conforme


# --- Forfait journalier --------------------------------------------------------------------------------------

@pytest.mark.parametrize("forfait, duree, jour, conforme", [
    ("frais réels", 60, AVANT_2015, None),     # pas encore de règle
    ("frais réels", 60, REFORME_2015, False),  # limité à 60 jours
    ("frais réels", None, REFORME_2015, True),
    ("100 %", None, REFORME_2015, True),
    ("50 %", None, REFORME_2015, False),
    ("non", None, REFORME_2015, False),
])
def test_forfait_journalier(forfait, duree, jour, conforme):
    r = verifier_responsable(tableau(forfait_journalier=Niveau.lire(forfait), forfait_journalier_duree_max_jours=duree), jour)
    if conforme is None:
        assert len(r) == 0 and remarques(r) == ["Forfait journalier hospitalier pris en charge en entier, sans limitation de durée"]
    else:
        assert r.conforme is conforme
        if duree:
            assert "60 jours" in r.controles[0].explication


# --- Optique : 2015, puis 2020 -------------------------------------------------------------------------------

def optique(monture=None, renouvellement=None, **equipements):
    return tableau(optique=Optique(monture=monture and D(monture), equipements=tuple((c, D(m)) for c, m in equipements.items()),
                                   renouvellement_ans=renouvellement))


@pytest.mark.parametrize("jour, monture, conforme", [
    (AVANT_2015, 200, None), (REFORME_2015, 150, True), (REFORME_2015, 151, False),
    (FIN_2019, 150, True), (DEBUT_2020, 150, False), (DEBUT_2020, 100, True),
])
def test_optique_monture_150_puis_100(jour, monture, conforme):
    r = verifier_responsable(optique(monture=monture), jour)
    if conforme is None:
        assert len(r) == 0 and remarques(r) == ["Optique : plafond de la monture"]
    else:
        assert r.controle("Optique : plafond de la monture").conforme is conforme


@pytest.mark.parametrize("jour, montant, plafond_ok, plancher_ok", [
    (REFORME_2015, 470, True, True),     # plafond 470, plancher 50
    (FIN_2019, 471, False, True),
    (FIN_2019, 40, True, False),         # sous le plancher de 50 €
    (DEBUT_2020, 470, False, None),      # plafond 420 ; plancher 2020 non établi : remarque
    (DEBUT_2020, 420, True, None),
])
def test_optique_verres_simples(jour, montant, plafond_ok, plancher_ok):
    r = verifier_responsable(optique(simple=montant), jour)
    assert r.controle("Optique : plafond d'un équipement à deux verres simples").conforme is plafond_ok
    if plancher_ok is None:
        assert "Optique : plancher d'un équipement à deux verres simples" in remarques(r)
    else:
        assert r.controle("Optique : plancher d'un équipement à deux verres simples").conforme is plancher_ok


def test_optique_mixte_2020_a_verifier():
    """Plafond 2020 d'un équipement simple + complexe : 560 € [M] dans la fiche : contrôlé, mais signalé."""
    c = verifier_responsable(optique(simple_complexe=600), DEBUT_2020).controle("Optique : plafond d'un équipement à un verre simple")
    assert not c.conforme and c.a_verifier  # la réserve reste au formateur (Controle.a_verifier), pas dans le texte
    assert verifier_responsable(optique(simple_complexe=600), FIN_2019).controle("Optique : plafond d'un équipement à un verre simple").conforme   # 610 en 2015


@pytest.mark.parametrize("jour, ans, conforme", [(AVANT_2015, 1, None), (REFORME_2015, 1, False), (REFORME_2015, 2, True), (DEBUT_2020, 1, False)])
def test_optique_renouvellement(jour, ans, conforme):
    r = verifier_responsable(optique(renouvellement=ans), jour)
    if conforme is None:
        assert len(r) == 0
    else:
        assert r.conforme is conforme


# --- 100 % Santé ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("champ, veille, jour", [
    ("panier_100_sante_optique", FIN_2019, DEBUT_2020),
    ("panier_100_sante_dentaire", FIN_2019, DEBUT_2020),
    ("panier_100_sante_audiologie", date(2020, 12, 31), date(2021, 1, 1)),
])
def test_cent_pour_cent_sante(champ, veille, jour):
    assert len(verifier_responsable(tableau(**{champ: False}), veille)) == 0   # pas encore exigé
    assert not verifier_responsable(tableau(**{champ: False}), jour).conforme
    assert verifier_responsable(tableau(**{champ: True}), jour).conforme


def test_optique_sans_mention_du_panier_remarque():
    r = verifier_responsable(optique(monture=100), DEBUT_2020)
    assert r.conforme and "Panier 100 % Santé optique pris en charge sans reste à charge" in remarques(r)


# --- Le tableau d'exemple et les saisies ----------------------------------------------------------------------

def test_exemple_livre_responsable_en_2025():
    r = verifier_responsable(charger_garanties(exemple()), date(2025, 1, 15))
    assert r.conforme and r.nom == "Contrat Confort (exemple)"
    assert len(r) == 20    # 6 (consultations) + 5 mentions + forfait journalier + 5 optique + 3 paniers
    assert all(c.reference for c in r) and all(c.explication for c in r)


def test_tableau_qui_enfreint_plusieurs_regles_est_rapporte_pas_rejete():
    t = lire_toml(
        '[consultation.specialiste]\ndptam = "200 %"\nhors_dptam = "200 %"\n'
        '[optique]\nmonture = 150\n[regles]\nparticipation_forfaitaire_exclue = false\n'
    )
    r = verifier_responsable(t, DEBUT_2020)
    assert not r.conforme
    assert {c.regle.split(" —")[0].split(" (")[0] for c in r.echecs} == {
        "Double limite sur les dépassements des médecins non adhérents à un DPTAM",
        "Optique : plafond de la monture",
        "Participation forfaitaire non remboursée",
    }


def test_saisies_refusees():
    with pytest.raises(ErreurSaisie) as e:
        verifier_responsable({"dptam": 200}, DEBUT_2017)
    assert e.value.champ == "garantie" and "charger_garanties" in e.value.acceptes
    with pytest.raises(ErreurSaisie):
        verifier_responsable(Garantie(), date(2027, 1, 1))     # hors de la table
    with pytest.raises(ErreurSaisie):
        verifier_responsable(Garantie(), date(2005, 6, 1))     # pas de contrat responsable avant 2006
    assert reimb.plafond_hors_dptam(150, date(2016, 3, 1)) == D(130)   # source 002, gardé tel quel


def test_equivalent_d_une_formulation_par_le_noyau_comme_le_decompte():
    """« 175 % TM » chez les adhérents, taux Sécu 70 % : 70 + 175 % × 30 = 122,5 % de la BRSS ; non-adhérents au plus
    122,5 − 20 = 102,5 % (R.871-2, limite n° 2). Le contrôle de conformité et le décompte lisent le même niveau (la
    règle du noyau) : non adhérent, BRSS 23 €, « frais réels » → plafonné à 102,5 % × 23 = 23,575 → 23,58 €."""
    from reimb.decompte import equivalent_br
    from reimb.formules import lire_formule
    from reimb.responsable import niveau_equivalent

    jour = date(2025, 3, 1)
    assert niveau_equivalent(lire_formule("175 % TM"), jour) == D("122.5")
    assert equivalent_br(lire_formule("175 % TM"), taux=D(70)) == D("122.5")
    c = reimb.verifier_responsable(reimb.Garantie(dptam="175 % TM", hors_dptam=103), jour).controle("Double limite")
    assert not c.conforme and "102,5" in c.explication
    d = reimb.decompte(honoraires="80", date=jour, medecin=reimb.Medecin(secteur=2, specialite="specialiste"),
                       garantie=reimb.Garantie(dptam="175 % TM", hors_dptam="frais réels"))
    assert (d.niveau_applique, d.amo_brut, d.amc) == (D("102.5"), D("16.10"), D("7.48"))  # 23,58 − 16,10
