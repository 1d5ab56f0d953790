"""Les saisies impossibles : une ErreurSaisie (un ValueError) qui nomme le champ et ce qui est accepté.

Chaque ligne de ``CAS`` est une sorte de mauvaise saisie : l'appel, le champ attendu, des fragments
qui doivent figurer dans les valeurs acceptées (``e.acceptes``), et éventuellement dans le message.
Rien n'est corrigé ni deviné en silence : chaque cas lève, aucun ne rend un décompte.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest

import reimb
from reimb import ErreurSaisie, Garantie, Medecin, Patient, decompte
from reimb.parametres import couverture

JOUR_2016 = date(2016, 3, 1)
ADULTE = Patient(age=45)
NON_CAS_SPE = Medecin(secteur=2, specialite="specialiste")
SPE_S1 = Medecin(secteur=1, specialite="specialiste")
GENERALISTE_S1 = Medecin(secteur=1)
FIN_TABLE = couverture()[1]


def d(**modifs):
    """Un décompte valide (spécialiste secteur 2 non adhérent, 50 €, 2016) modifié par ``modifs``."""
    saisie = dict(honoraires="50", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE)
    saisie.update(modifs)
    return decompte(**saisie)


def test_le_decompte_de_reference_est_valide():
    assert d().reste_a_charge == D("34.90")   # 50 − (70 % × 23 − 1) = 50 − 15,10


CAS = [
    # --- Honoraires -----------------------------------------------------------------------------
    pytest.param(lambda: d(honoraires="-5"), "honoraires", ["positif ou nul"], id="honoraires-negatifs"),
    pytest.param(lambda: d(honoraires=-0.01), "honoraires", ["positif ou nul"], id="honoraires-negatifs-float"),
    pytest.param(lambda: d(honoraires=float("nan")), "honoraires", ["nombre fini"], id="honoraires-nan-float"),
    pytest.param(lambda: d(honoraires="NaN"), "honoraires", ["nombre fini"], id="honoraires-nan-texte"),
    pytest.param(lambda: d(honoraires=D("NaN")), "honoraires", ["nombre fini"], id="honoraires-nan-decimal"),
    pytest.param(lambda: d(honoraires=float("inf")), "honoraires", ["nombre fini"], id="honoraires-infini-float"),
    pytest.param(lambda: d(honoraires="-Infinity"), "honoraires", ["nombre fini"], id="honoraires-infini-texte"),
    pytest.param(lambda: d(honoraires="cinquante"), "honoraires", ["par ex. 50", "18,60"], id="honoraires-non-numeriques"),
    pytest.param(lambda: d(honoraires=""), "honoraires", ["par ex. 50"], id="honoraires-vides"),
    pytest.param(lambda: d(honoraires="50,00,00"), "honoraires", ["par ex. 50"], id="honoraires-deux-virgules"),
    pytest.param(lambda: d(honoraires=True), "honoraires", ["un nombre"], id="honoraires-booleen"),
    pytest.param(lambda: d(honoraires=None), "honoraires", ["str, int, Decimal ou float"], id="honoraires-none"),
    pytest.param(lambda: d(honoraires=[50]), "honoraires", ["str, int, Decimal ou float"], id="honoraires-liste"),
    pytest.param(lambda: d(honoraires="50.001"), "honoraires", ["au centime près"], ["plus de deux décimales"], id="honoraires-trois-decimales"),
    pytest.param(lambda: d(honoraires=50.005), "honoraires", ["au centime près"], id="honoraires-trois-decimales-float"),
    pytest.param(lambda: d(honoraires="1" + "0" * 30), "honoraires", ["12 chiffres avant la virgule"], ["démesuré"], id="honoraires-demesures"),
    pytest.param(lambda: d(honoraires="1e3"), "honoraires", ["sans exposant"], ["n'est pas un nombre"], id="honoraires-exposant"),
    pytest.param(lambda: d(honoraires="5_0"), "honoraires", ["sans « _ »"], id="honoraires-souligne"),
    pytest.param(lambda: d(honoraires="2 8"), "honoraires", ["par ex. 50"], id="honoraires-espace-au-milieu"),
    pytest.param(lambda: d(honoraires="20"), "honoraires", ["≥ 23,00"], ["inférieur à la base"], id="honoraires-sous-la-base"),
    # --- Base de remboursement ----------------------------------------------------------------
    pytest.param(lambda: d(brss="0"), "brss", ["strictement positif"], id="brss-nulle"),
    pytest.param(lambda: d(brss="-23"), "brss", ["strictement positif"], id="brss-negative"),
    pytest.param(lambda: d(brss="vingt-trois"), "brss", ["par ex. 50"], id="brss-non-numerique"),
    pytest.param(lambda: d(brss="23.001"), "brss", ["au centime près"], id="brss-trois-decimales"),
    # --- Niveaux de garantie ------------------------------------------------------------------
    pytest.param(lambda: Garantie(dptam=-1), "garantie.dptam", ["≥ 0", "frais réels"], id="niveau-dptam-negatif"),
    pytest.param(lambda: Garantie(hors_dptam="-0.01"), "garantie.hors_dptam", ["≥ 0", "frais réels"], id="niveau-hors-dptam-negatif"),
    pytest.param(lambda: Garantie(dptam=float("nan")), "garantie.dptam", ["nombre fini"], id="niveau-nan"),
    pytest.param(lambda: Garantie(dptam="beaucoup"), "garantie.dptam", ["un nombre"], id="niveau-non-numerique"),
    pytest.param(lambda: Garantie(dptam="1" + "0" * 15), "garantie.dptam", ["12 chiffres"], id="niveau-demesure"),
    pytest.param(lambda: Garantie(dptam=20_000), "garantie.dptam", ["de 0 à 10000"], ["démesuré"], id="niveau-au-dessus-de-10000"),
    pytest.param(lambda: Garantie(dptam=133.33333333333334), "garantie.dptam", ["4 décimales"], id="niveau-trop-de-decimales"),
    # Un forfait en euros (« 100 % BR + 20 € ») est une formulation acceptée (reimb.formules) ; une formulation
    # inconnue est refusée en listant les formes acceptées.
    pytest.param(lambda: Garantie(dptam="100 % BR + beaucoup"), "garantie.dptam", ["RO + 100 % BR", "100 % TM"], id="niveau-formulation-inconnue"),
    pytest.param(lambda: Garantie(dptam="RO + 20000 % BR"), "garantie.dptam", ["de 0 à 10000"], id="formulation-demesuree"),
    pytest.param(lambda: reimb.plafond_hors_dptam(-5, JOUR_2016), "niveau_dptam", ["≥ 0"], id="plafond-niveau-negatif"),
    # --- Taux AMO saisi -------------------------------------------------------------------------
    pytest.param(lambda: d(taux="100.01"), "taux", ["de 0 à 100"], id="taux-au-dessus-de-100"),
    pytest.param(lambda: d(taux=-1), "taux", ["de 0 à 100"], id="taux-negatif"),
    pytest.param(lambda: d(taux="soixante-dix"), "taux", ["un nombre"], id="taux-non-numerique"),
    pytest.param(lambda: d(taux=True), "taux", ["un nombre"], id="taux-booleen"),
    # --- DPTAM et dates ---------------------------------------------------------------------------
    pytest.param(lambda: d(medecin=Medecin(secteur=2, dptam="CAS", specialite="specialiste"), date=date(2017, 1, 1)),
                 "medecin.dptam", ["'OPTAM'", "None"], ["01/12/2013 au 31/12/2016"], id="cas-apres-2016"),
    pytest.param(lambda: d(medecin=Medecin(secteur=2, dptam="CAS", specialite="specialiste"), date=date(2013, 11, 30)),
                 "medecin.dptam", ["None"], ["01/12/2013 au 31/12/2016"], id="cas-avant-decembre-2013"),
    pytest.param(lambda: d(medecin=Medecin(secteur=2, dptam="OPTAM", specialite="specialiste"), date=date(2016, 12, 31)),
                 "medecin.dptam", ["'CAS' du 01/12/2013 au 31/12/2016", "None"], ["à partir du 01/01/2017"], id="optam-avant-2017"),
    pytest.param(lambda: d(medecin=Medecin(secteur=2, dptam="OPTAM-CO", specialite="specialiste"), date=date(2016, 6, 1)),
                 "medecin.dptam", ["'CAS'"], id="optam-co-avant-2017"),
    pytest.param(lambda: d(medecin=Medecin(secteur=1, droit_permanent=True, dptam="CAS"), date=date(2018, 1, 1)),
                 "medecin.dptam", ["'OPTAM'"], id="cas-secteur-1-dp-en-2018"),
    # --- Médecin ----------------------------------------------------------------------------------
    pytest.param(lambda: Medecin(secteur=4), "medecin.secteur", ["1 (tarifs opposables", "2 (honoraires libres)", "3 (non conventionné)"], id="secteur-inconnu"),
    pytest.param(lambda: Medecin(secteur="2"), "medecin.secteur", ["2 (honoraires libres)"], id="secteur-texte"),
    pytest.param(lambda: Medecin(secteur=True), "medecin.secteur", ["droit_permanent=True"], id="secteur-booleen"),
    pytest.param(lambda: Medecin(secteur=3, dptam="OPTAM"), "medecin.dptam", ["aucun DPTAM (dptam=None) pour un médecin non conventionné"], id="secteur-3-avec-dptam"),
    pytest.param(lambda: Medecin(secteur=2, droit_permanent=True), "medecin.droit_permanent", ["seulement en secteur 1"], id="droit-permanent-secteur-2"),
    pytest.param(lambda: Medecin(secteur=1, dptam="OPTAM"), "medecin.dptam", ["droit_permanent=True", "secteur 2"], id="secteur-1-sans-dp-avec-dptam"),
    pytest.param(lambda: Medecin(secteur=2, dptam="optam"), "medecin.dptam", ["'CAS', 'OPTAM', 'OPTAM-CO' ou 'OPTAM-ACO'"], id="dptam-inconnu"),
    pytest.param(lambda: Medecin(secteur=2, specialite="dentiste"), "medecin.specialite", ["'generaliste'", "'specialiste'"], id="specialite-inconnue"),
    # --- Règles de facturation --------------------------------------------------------------------
    pytest.param(lambda: d(medecin=SPE_S1, honoraires="30"), "honoraires", ["28,00", "secteur 2", "droit permanent à dépassement"],
                 ["tarif opposable"], id="secteur-1-au-dessus-de-la-base-dans-le-parcours"),
    pytest.param(lambda: d(medecin=GENERALISTE_S1, honoraires="25", parcours=False), "honoraires", ["23,00", "généraliste"],
                 ["réservé aux spécialistes"], id="secteur-1-generaliste-da-hors-parcours"),
    # Plafond du DA (art. 37.1) : tarif du parcours 28 € × 1,175 = 32,90 → 33 € ; base hors parcours 25 €.
    pytest.param(lambda: d(medecin=SPE_S1, honoraires="34", parcours=False), "honoraires", ["25,00", "33,00"],
                 ["17,5 %", "28,00"], id="da-au-dessus-de-17-5-pourcent"),
    pytest.param(lambda: d(patient=Patient(age=30, css=True)), "honoraires", ["23,00", "patient CSS"],
                 ["CSS", "tarifs opposables"], id="depassement-patient-css"),
    pytest.param(lambda: d(patient=Patient(age=30, css=True), parcours=False, medecin=SPE_S1, honoraires="30"), "honoraires",
                 ["patient CSS"], id="da-hors-parcours-patient-css"),
    # --- Date des soins ---------------------------------------------------------------------------
    pytest.param(lambda: d(date=date(2004, 12, 31), brss="23"), "date", ["01/01/2005"], id="date-avant-2005"),
    pytest.param(lambda: d(date=FIN_TABLE + timedelta(days=1), brss="23"), "date", [f"{FIN_TABLE:%d/%m/%Y}"], id="date-apres-la-table"),
    pytest.param(lambda: d(date=date(2008, 6, 1), brss="23", parcours=False), "date", ["31/01/2009"], id="date-avant-le-taux-hors-parcours"),
    pytest.param(lambda: d(date="2016-03-01"), "date", ["datetime.date"], id="date-texte"),
    pytest.param(lambda: d(date=None), "date", ["datetime.date"], id="date-none"),
    pytest.param(lambda: d(date=datetime(2016, 3, 1, 9, 30)), "date", [".date()"], ["datetime"], id="date-datetime"),
    # --- Patient ----------------------------------------------------------------------------------
    pytest.param(lambda: Patient(age=-1), "patient.age", ["de 0 à 130"], id="age-negatif"),
    pytest.param(lambda: Patient(age=131), "patient.age", ["de 0 à 130"], id="age-trop-grand"),
    pytest.param(lambda: Patient(age=45.5), "patient.age", ["nombre entier"], id="age-non-entier"),
    pytest.param(lambda: Patient(age="45"), "patient.age", ["nombre entier"], id="age-texte"),
    pytest.param(lambda: Patient(age=True), "patient.age", ["nombre entier"], id="age-booleen"),
    # --- Drapeaux non booléens --------------------------------------------------------------------
    pytest.param(lambda: Patient(css="oui"), "patient.css", ["True ou False"], id="css-non-booleen"),
    pytest.param(lambda: Patient(ald=1), "patient.ald", ["True ou False"], id="ald-non-booleen"),
    pytest.param(lambda: Patient(maternite=None), "patient.maternite", ["True ou False"], id="maternite-non-booleen"),
    pytest.param(lambda: Medecin(secteur=1, droit_permanent=1), "medecin.droit_permanent", ["True ou False"], id="droit-permanent-non-booleen"),
    pytest.param(lambda: Garantie(responsable="oui"), "garantie.responsable", ["True ou False"], id="responsable-non-booleen"),
    pytest.param(lambda: d(parcours="non"), "parcours", ["True", "False"], id="parcours-non-booleen"),
    pytest.param(lambda: d(parcours=0), "parcours", ["True", "False"], id="parcours-entier"),
    # --- Mauvais types d'objets -------------------------------------------------------------------
    pytest.param(lambda: d(medecin="secteur 2"), "medecin", ["reimb.Medecin"], id="medecin-mauvais-type"),
    pytest.param(lambda: d(medecin={"secteur": 2}), "medecin", ["reimb.Medecin"], id="medecin-dict"),
    pytest.param(lambda: d(patient=45), "patient", ["reimb.Patient", "None"], id="patient-mauvais-type"),
    pytest.param(lambda: d(garantie=125), "garantie", ["reimb.Garantie", "None"], id="garantie-mauvais-type"),
    pytest.param(lambda: reimb.verifier_responsable({"dptam": 100}, JOUR_2016), "garantie", ["reimb.Garantie"], id="verifier-responsable-mauvais-type"),
    # --- Acte -------------------------------------------------------------------------------------
    pytest.param(lambda: d(acte="radiographie"), "acte", ["'consultation'"], id="acte-inconnu"),
    pytest.param(lambda: d(acte="radiographie", brss="23"), "acte", ["'consultation'"], id="acte-inconnu-avec-brss"),
    pytest.param(lambda: d(acte=None, brss="23"), "acte", ["'consultation'"], id="acte-none"),
]


@pytest.mark.parametrize("appel, champ, acceptes, message", [
    pytest.param(*p.values, *([] if len(p.values) == 4 else [[]]), id=p.id) for p in CAS
])
def test_saisie_refusee(appel, champ, acceptes, message):
    with pytest.raises(ErreurSaisie) as info:
        appel()
    e = info.value
    assert isinstance(e, ValueError)                      # une ErreurSaisie est un ValueError
    assert e.champ == champ
    texte = str(e)
    assert texte.startswith(f"{champ} : ")                # le message nomme le champ…
    assert e.acceptes and "valeurs acceptées" in texte    # … et ce qui est accepté
    for fragment in acceptes:
        assert fragment in e.acceptes.replace("\u00a0", " "), f"{fragment!r} absent de {e.acceptes!r}"
    for fragment in message:
        assert fragment in texte.replace("\u00a0", " "), f"{fragment!r} absent de {texte!r}"


def test_date_sans_base_dans_la_table():
    """2010, BRSS omise : la table des tarifs commence en 2013. Refus, jamais une base supposée.

    Le champ mis en cause est la date (hors table) ou la BRSS (« donnez la base vous-même ») : les deux
    lectures sont justes ; le message doit dire à partir de quand la table répond.
    """
    with pytest.raises(ErreurSaisie) as info:
        d(date=date(2010, 6, 1))
    assert info.value.champ in ("date", "brss") and info.value.acceptes
    assert "01/01/2013" in str(info.value)
    assert d(date=date(2010, 6, 1), brss="23").brss == D("23.00")   # avec la base donnée, le calcul se fait


def test_au_moins_vingt_sortes():
    ids = [p.id for p in CAS]
    assert len(set(ids)) == len(ids) >= 20
    assert len({p.values[1] for p in CAS}) >= 15   # champs distincts


# --- Les bornes des règles : juste en deçà, la saisie passe ------------------------------------------

def test_da_au_plafond_accepte():
    """33 € hors parcours en 2016 : 28 × 1,175 = 32,90 → 33 € (art. 37.1), DA = 33 − 25 = 8 €.

    Sécu : 30 % × 25 = 7,50 − 1 (PF) = 6,50. Sans complémentaire, reste 33 − 6,50 = 26,50.
    """
    r = d(medecin=SPE_S1, honoraires="33", parcours=False)
    assert (r.brss, r.depassement, r.amo, r.reste_a_charge) == (D("25.00"), D("8.00"), D("6.50"), D("26.50"))


def test_da_plafond_2024():
    """Nov. 2023 → : tarif du parcours 31,50 € × 1,175 = 37,0125 → 38 € ; base hors parcours 26,50 €."""
    jour = date(2024, 3, 1)
    assert d(medecin=SPE_S1, honoraires="38", parcours=False, date=jour).depassement == D("11.50")   # 38 − 26,50
    with pytest.raises(ErreurSaisie, match="38,00"):
        d(medecin=SPE_S1, honoraires="38.01", parcours=False, date=jour)


def test_cas_aux_bornes_de_sa_periode():
    cas = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
    for jour in (date(2013, 12, 1), date(2016, 12, 31)):
        assert d(medecin=cas, date=jour).brss == D("28.00")   # CS + MPC + MCS (ameli, page CAS)


def test_optam_au_premier_jour():
    optam = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
    assert d(medecin=optam, date=date(2017, 1, 1)).brss == D("28.00")   # MCS à 5 € seulement au 1er juillet 2017


def test_secteur_3_peut_depasser_meme_pour_un_patient_css():
    # Non conventionné : la règle des tarifs opposables pour la CSS ne l'engage pas (domain-facts §6).
    r = d(medecin=Medecin(secteur=3, specialite="specialiste"), patient=Patient(age=30, css=True), date=date(2025, 2, 10))
    assert r.brss == D("1.22") and r.depassement == D("48.78")


def test_date_limite_de_la_table():
    assert d(date=FIN_TABLE, brss="23").date == FIN_TABLE
    assert d(date=date(2005, 1, 1), brss="23").date == date(2005, 1, 1)
