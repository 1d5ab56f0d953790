"""Propriétés du moteur, sur des milliers de saisies valides tirées par hypothesis.

Les stratégies ne tirent que des saisies *valides* : secteur 1, 1 DP, 2 (sans DPTAM, CAS ou OPTAM /
OPTAM-CO aux dates où ils existent), 3 ; dates de 2013 à 2026 avec les dates de bascule ; patients
mineurs, CSS, ALD, maternité ; parcours ou non ; niveaux numériques ou « frais réels » ; contrat
responsable ou non ; BRSS omise (lue dans la table) ou donnée. Un dépassement n'est tiré que là où il
est permis (jamais pour un patient CSS chez un médecin conventionné ; secteur 1 : seulement le DA
d'un spécialiste hors parcours, sous son plafond).

Le dernier test tire au contraire des saisies quelconques et vérifie, avec un oracle écrit à partir des
règles, que le moteur lève une ErreurSaisie exactement quand il le doit, sur le bon champ.

Règles utilisées comme oracle (domain-facts) :
- taux AMO : 70 % dans le parcours, 100 % ALD/maternité, 30 % hors parcours (§4, constants 2013-2026) ;
- PF : 1 € jusqu'au 14 mai 2024, 2 € à partir du 15 mai 2024 ; exonérés : moins de 18 ans, CSS,
  maternité (§5.1) ; ``amo = max(0, amo_brut − PF)`` ;
- AMC d'une garantie « X % BRSS » : ``min(X % × BRSS, honoraires) − amo_brut``, jamais < 0 (§8) ;
- contrat responsable, médecin non adhérent : niveau plafonné par ``plafond_hors_dptam`` (§7.4) ;
  hors parcours : ni la majoration de 40 points ni le DA (§7.3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from decimal import Decimal as D

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reimb
from reimb import FRAIS_REELS, ErreurSaisie, Garantie, Medecin, Patient, decompte
from reimb.montants import arrondi
from reimb.parametres import periode

# Nombre de cas par propriété : assez pour des milliers de cas au total, le fichier restant
# bien sous les 30 s sur deux cœurs partagés (pas d'assertion de durée : voir benchmarks/).
PARAMS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
BEAUCOUP = settings(max_examples=2000, **PARAMS)
ASSEZ = settings(max_examples=600, **PARAMS)
UN_PEU = settings(max_examples=200, **PARAMS)

DEBUT, FIN = date(2013, 1, 1), date(2026, 12, 31)
CAS_DEBUT, CAS_FIN = periode("dptam.CAS")[:2]
OPTAM_DEBUT = periode("dptam.OPTAM")[0]
BASCULE_PF = date(2024, 5, 15)
BORNES = [
    date(2013, 1, 1), date(2013, 11, 30), date(2013, 12, 1), date(2015, 3, 31), date(2015, 4, 1),
    date(2016, 12, 31), date(2017, 1, 1), date(2017, 4, 30), date(2017, 5, 1), date(2017, 6, 30),
    date(2017, 7, 1), date(2018, 3, 31), date(2018, 4, 1), date(2023, 10, 31), date(2023, 11, 1),
    date(2024, 5, 14), date(2024, 5, 15), date(2024, 12, 21), date(2024, 12, 22), date(2025, 1, 1),
    date(2026, 12, 31),
]
SPECIALITES = ("generaliste", "specialiste")   # celles dont la table donne toutes les bases
CENT = D(100)
TAUX_PARCOURS, TAUX_HORS_PARCOURS, TAUX_EXONERE = D(70), D(30), D(100)
DA = D("17.5")

@dataclass(frozen=True)
class Cas:
    """Une saisie : les arguments de ``decompte`` et ce que la stratégie sait d'elle."""

    honoraires: D
    date: date
    medecin: Medecin
    patient: Patient
    garantie: Garantie | None
    parcours: bool
    brss: D | None
    taux: D | None
    forme: str = "str"

    def arguments(self, forme: str | None = None) -> dict:
        ecrire = FORMES[forme or self.forme]
        args = dict(honoraires=ecrire(self.honoraires), date=self.date, medecin=self.medecin,
                    patient=self.patient, garantie=self.garantie, parcours=self.parcours)
        if self.brss is not None:
            args["brss"] = ecrire(self.brss)
        if self.taux is not None:
            args["taux"] = self.taux
        return args

    @property
    def parcours_effectif(self) -> bool:
        return self.parcours or self.patient.age < 16   # pas de majoration avant 16 ans (domain-facts §4.1)


FORMES = {
    "str": str,
    "virgule": lambda d: str(d).replace(".", ","),      # « 18,60 »
    "decimal": lambda d: d,
    "float": float,                                     # converti par son texte décimal
    "int": lambda d: int(d) if d == d.to_integral_value() else d,
}


# Les stratégies tirent peu de valeurs, surtout par ``sampled_from`` et ``integers`` : chaque tirage
# hypothesis coûte, et c'est lui, pas le moteur (~25 µs), qui fait la durée de ce fichier. Elles sont
# construites une fois (une stratégie neuve est validée par hypothesis à son premier tirage).
formes = st.sampled_from(list(FORMES))
TOUS_LES_JOURS = [DEBUT + timedelta(days=n) for n in range((FIN - DEBUT).days + 1)]
jours = st.sampled_from(TOUS_LES_JOURS + BORNES * 150)          # ~40 % de dates de bascule
AGES = (0, 3, 10, 15, 16, 17, 18, 19, 30, 45, 67, 90)            # autour de 16 ans (parcours) et 18 ans (PF)
PATIENTS = tuple(
    Patient(age=age, css=css, ald=ald, maternite=maternite)
    for age in AGES for css in (False, True) for ald in (False, True)
    for maternite in ((False, True) if 14 <= age <= 50 else (False,))
)
patients = st.sampled_from(PATIENTS)
NIVEAUX_COURANTS = (D(0), D(100), D(125), D(130), D(150), D(180), D(200), D(225), D(300), FRAIS_REELS)
# < 0 : un niveau courant (≈ 40 %) ; sinon un niveau quelconque au centième de point (0 à 500 %).
niveaux = st.integers(-30_000, 50_000).map(lambda c: NIVEAUX_COURANTS[-c % len(NIVEAUX_COURANTS)] if c < 0 else D(c) / 100)
bases_saisies = st.integers(-20_000, 20_000).map(lambda c: D(c) / 100 if c > 0 else None)      # ≈ 50 % omise
depassements = st.integers(-20_000, 40_000).map(lambda c: D(max(c, 0)) / 100)                  # ≈ 33 % sans dépassement
taux_saisis = st.integers(-30_000, 10_000).map(lambda c: D(c) / 100 if c >= 0 else None)        # ≈ 75 % : taux de la table


def dptam_possibles(jour: date, specialite: str) -> list[str | None]:
    possibles = [None]
    if CAS_DEBUT <= jour <= CAS_FIN:
        possibles.append("CAS")
    if jour >= OPTAM_DEBUT:
        possibles.append("OPTAM")
        if specialite != "generaliste":
            possibles.append("OPTAM-CO")   # chirurgie et obstétrique
    return possibles


@lru_cache(maxsize=None)
def _medecins(cas_ouvert: bool, optam_ouvert: bool, tous_dptam: bool) -> tuple[Medecin, ...]:
    resultat = []
    for spe in SPECIALITES:
        resultat += [Medecin(secteur=1, specialite=spe), Medecin(secteur=3, specialite=spe)]
        if tous_dptam:
            dptams = [None, "CAS", "OPTAM", "OPTAM-CO"]
        else:
            dptams = [None] + ["CAS"] * cas_ouvert + ["OPTAM"] * optam_ouvert + ["OPTAM-CO"] * (optam_ouvert and spe != "generaliste")
        for dptam in dptams:
            resultat += [Medecin(secteur=2, dptam=dptam, specialite=spe),
                         Medecin(secteur=1, droit_permanent=True, dptam=dptam, specialite=spe)]
    return tuple(resultat)


def medecins(jour: date, dptam_valide: bool = True):
    """Les médecins possibles ce jour-là : secteur 1, 1 DP, 2 (avec les DPTAM du jour), 3."""
    return st.sampled_from(_medecins(CAS_DEBUT <= jour <= CAS_FIN, jour >= OPTAM_DEBUT, not dptam_valide))


@st.composite
def garanties(draw, forme: str = "decimal") -> Garantie | None:
    sorte = draw(st.integers(0, 5))
    if sorte == 0:
        return None                                            # pas de complémentaire
    ecrire = FORMES["virgule"] if forme == "virgule" else (lambda n: n)
    niv = lambda n: n if n == FRAIS_REELS else ecrire(n)       # noqa: E731
    return Garantie(dptam=niv(draw(niveaux)), hors_dptam=niv(draw(niveaux)), responsable=sorte >= 3)


GARANTIES = {forme: garanties(forme) for forme in FORMES}   # construites une fois, comme les autres stratégies


def plafond_da(tarif_parcours: D, base: D) -> D:
    """Le dépassement autorisé maximal : (tarif du parcours × 1,175) arrondi à l'euro supérieur − base (art. 37.1)."""
    return max(D(math.ceil(tarif_parcours * (CENT + DA) / CENT)) - base, D(0))


def base_du_tableau(medecin: Medecin, jour: date, parcours: bool, honoraires: D | None = None, age: int | None = None) -> D:
    return reimb.brss("consultation", medecin, jour, parcours, honoraires=honoraires, age=age).valeur


@st.composite
def cas_valides(draw, **contraintes) -> Cas:
    jour = draw(contraintes.get("jours", jours))
    medecin = draw(contraintes["medecins"] if "medecins" in contraintes else medecins(jour))
    patient = draw(patients)
    parcours = draw(contraintes.get("parcours", st.booleans()))
    pe = parcours or patient.age < 16
    brss = draw(bases_saisies)
    base = brss if brss is not None else base_du_tableau(medecin, jour, pe, age=patient.age)
    if patient.css and medecin.conventionne:
        depassement = D(0)                               # tarifs opposables pour la CSS
    elif not medecin.peut_depasser:                      # secteur 1 sans DP
        if pe or medecin.specialite == "generaliste":
            depassement = D(0)
        else:                                            # DA d'un spécialiste hors parcours, plafond compris
            reference = tarif_de_reference_da(medecin, jour, brss)
            depassement = D(draw(st.integers(0, int(plafond_da(reference, base) * 100)))) / 100
    else:
        depassement = draw(depassements)
    if brss is None:
        try:  # des honoraires qui rendent la base non établie (ex. tarif opposable après la fin de sa série)
            base_du_tableau(medecin, jour, pe, base + depassement, age=patient.age)
        except reimb.ErreurSaisie:
            assume(False)
    forme = draw(formes)
    return Cas(
        honoraires=base + depassement, date=jour, medecin=medecin, patient=patient,
        garantie=draw(contraintes["garanties"] if "garanties" in contraintes else GARANTIES[forme]), parcours=parcours, brss=brss,
        taux=draw(taux_saisis), forme=forme,
    )


def calcul(cas: Cas, forme: str | None = None) -> reimb.Decompte:
    return decompte(**cas.arguments(forme))


MONTANTS = ("honoraires", "brss", "amo_brut", "participation_forfaitaire", "participation_forfaitaire_reportee",
            "amo", "ticket_moderateur", "depassement", "amc", "reste_a_charge")


# --- Les oracles : ce que disent les règles, écrit sans le moteur -------------------------------------

def taux_attendu(cas: Cas) -> D:
    if cas.taux is not None:
        return cas.taux
    if not cas.parcours_effectif:
        return TAUX_HORS_PARCOURS
    if cas.patient.ald or cas.patient.maternite:
        return TAUX_EXONERE
    return TAUX_PARCOURS


def pf_attendue(cas: Cas) -> D:
    p = cas.patient
    if p.age < 18 or p.css or p.maternite:
        return D(0)
    return D("2.00") if cas.date >= BASCULE_PF else D("1.00")


def niveau_attendu(cas: Cas):
    g, m = cas.garantie, cas.medecin
    niv = g.dptam if m.ligne_dptam else g.hors_dptam
    if g.responsable and not m.ligne_dptam:
        plafond = reimb.plafond_hors_dptam(g.dptam, cas.date)
        if plafond is not None and (niv == FRAIS_REELS or niv > plafond):
            return plafond
    return niv


def tarif_de_reference_da(medecin: Medecin, jour: date, brss: D | None) -> D:
    """Le tarif du parcours auquel se mesure le DA (art. 37.1) : celui de la table ; une base saisie qui
    n'est ni la base du parcours ni celle hors parcours de la table en tient lieu."""
    if brss is None:
        return base_du_tableau(medecin, jour, True)
    try:
        parcours, hors = base_du_tableau(medecin, jour, True), base_du_tableau(medecin, jour, False)
    except reimb.ErreurSaisie:
        return brss
    return parcours if brss in (parcours, hors) else brss


def exclusions_hors_parcours(cas: Cas, d: reimb.Decompte) -> tuple[D, D]:
    """(majoration du ticket modérateur, dépassement jusqu'au DA) qu'un contrat responsable ne couvre pas.

    Le DA n'existe que pour les spécialistes conventionnés (art. 37.1) : ailleurs, rien à ce titre.
    """
    if cas.parcours_effectif or not cas.garantie or not cas.garantie.responsable:
        return D(0), D(0)
    majoration = arrondi(d.brss * (TAUX_PARCOURS - d.taux) / CENT) if cas.taux is None else D(0)
    if not cas.medecin.conventionne or cas.medecin.specialite == "generaliste":
        return majoration, D(0)
    reference = tarif_de_reference_da(cas.medecin, cas.date, cas.brss)
    return majoration, min(d.depassement, plafond_da(reference, d.brss))


# --- Les vérifications ---------------------------------------------------------------------------------

def verifier_somme_signes_centimes(d: reimb.Decompte, cas: Cas) -> None:
    # Les trois parts font exactement les honoraires.
    assert d.amo + d.amc + d.reste_a_charge == d.honoraires == cas.honoraires
    for nom in MONTANTS:
        m = getattr(d, nom)
        assert isinstance(m, D), nom
        assert m >= 0 and not m.is_signed(), f"{nom} = {m}"        # ni négatif, ni « -0,00 »
        assert m.as_tuple().exponent == -2, f"{nom} = {m} n'est pas au centime"
    for e in d.etapes:                                              # chaque étape s'explique
        assert e.libelle and e.regle and e.source, e
        if e.montant is not None:
            assert isinstance(e.montant, D) and e.montant.as_tuple().exponent == -2 and e.montant >= 0, e
    assert d.etapes[0].libelle == "Honoraires facturés" and d.etapes[-1].libelle == "Reste à charge du patient"
    assert d.etapes[-1].montant == d.reste_a_charge
    assert d.depassement == d.honoraires - d.brss
    assert d.ticket_moderateur == d.brss - d.amo_brut


def verifier_principe_indemnitaire(d: reimb.Decompte, cas: Cas) -> None:
    assert d.amo + d.amc <= d.honoraires
    assert d.amc <= d.honoraires - d.amo_brut      # ni la PF, ni plus que la dépense
    assert d.amo <= d.amo_brut <= d.brss
    if cas.garantie is None and not cas.patient.css:
        assert d.amc == 0


def verifier_oracle(d: reimb.Decompte, cas: Cas) -> None:
    h = cas.honoraires
    assert d.taux == taux_attendu(cas)
    assert d.amo_brut == arrondi(d.brss * d.taux / CENT)
    pf = pf_attendue(cas)
    assert d.participation_forfaitaire == pf
    assert d.amo == max(D(0), d.amo_brut - pf)                                  # jamais négatif…
    assert d.participation_forfaitaire_reportee == max(D(0), pf - d.amo_brut)   # … le reliquat est reporté
    if cas.brss is not None:
        assert d.brss == cas.brss
    if cas.patient.css:
        assert d.amc == d.ticket_moderateur                                     # la CSS paie le TM
    elif cas.garantie is None:
        assert d.amc == 0
    else:
        niv = niveau_attendu(cas)
        garanti = h if niv == FRAIS_REELS else arrondi(d.brss * niv / CENT)
        majoration, da = exclusions_hors_parcours(cas, d)
        attendu = max(D(0), min(garanti, h, h - da) - d.amo_brut - majoration)
        assert d.amc == attendu, (niv, garanti, majoration, da)


def verifier_plafonds_responsable(d: reimb.Decompte, cas: Cas) -> None:
    g = cas.garantie
    if g is None or not g.responsable or cas.patient.css:
        return
    if not cas.medecin.ligne_dptam:
        plafond = reimb.plafond_hors_dptam(g.dptam, cas.date)
        if plafond is not None:
            # Sécu (avant PF) + complémentaire ≤ plafond × BRSS, arrondi au centime par la règle du projet.
            assert d.amo_brut + d.amc <= arrondi(plafond * d.brss / CENT)
            assert plafond <= (D(225) if cas.date < date(2017, 1, 1) else D(200))   # 100 + 125 %, puis 100 + 100 %
            if g.dptam != FRAIS_REELS:
                assert plafond <= max(D(100), g.dptam - 20)                        # 20 points sous la ligne DPTAM
    if not d.parcours:
        majoration, da = exclusions_hors_parcours(cas, d)
        assert d.amc <= d.honoraires - d.amo_brut - majoration - da               # ni majoration ni DA
        if majoration or da:
            assert "Exclusions du contrat responsable hors parcours" in [e.libelle for e in d.etapes]


# --- Les propriétés ------------------------------------------------------------------------------------

@BEAUCOUP
@given(cas_valides())
def test_decomptes_valides(cas):
    """Somme exacte, rien de négatif, tout au centime ; AMC sous la dépense ; règles ; plafonds."""
    d = calcul(cas)
    verifier_somme_signes_centimes(d, cas)
    verifier_principe_indemnitaire(d, cas)
    verifier_oracle(d, cas)
    verifier_plafonds_responsable(d, cas)


non_adherents = st.sampled_from([
    Medecin(secteur=secteur, droit_permanent=dp, specialite=spe)
    for spe in SPECIALITES for secteur, dp in ((2, False), (1, True), (3, False))
])
responsables = st.builds(Garantie, dptam=niveaux, hors_dptam=niveaux, responsable=st.just(True))


@ASSEZ
@given(cas_valides(medecins=non_adherents, garanties=responsables))
def test_responsable_sous_ses_plafonds(cas):
    """Contrat responsable, médecin non adhérent : jamais au-dessus de la double limite (R.871-2)."""
    d = calcul(cas)
    verifier_plafonds_responsable(d, cas)
    verifier_oracle(d, cas)


@ASSEZ
@given(cas_valides(parcours=st.just(False), garanties=responsables))
def test_hors_parcours_responsable(cas):
    """Hors parcours, contrat responsable : ni la majoration de 40 points ni le DA (R.871-1)."""
    d = calcul(cas)
    verifier_plafonds_responsable(d, cas)
    verifier_oracle(d, cas)


@UN_PEU
@given(cas_valides(medecins=non_adherents, parcours=st.just(True),
                   garanties=st.just(Garantie(dptam=FRAIS_REELS, hors_dptam=FRAIS_REELS))))
def test_responsable_frais_reels_paie_jusqu_au_plafond(cas):
    """Le plafond est un maximum, pas une réduction : « frais réels » l'atteint quand la dépense le permet."""
    assume(not cas.patient.css)
    d = calcul(cas)
    plafond = reimb.plafond_hors_dptam(FRAIS_REELS, cas.date)
    if plafond is None:
        assert d.amo_brut + d.amc == d.honoraires                  # avant avril 2015 : toute la dépense
    else:
        assert d.amo_brut + d.amc == min(d.honoraires, arrondi(plafond * d.brss / CENT))
        assert d.plafond_responsable_applique


@ASSEZ
@given(cas_valides(), formes)
def test_deterministe_et_independant_de_la_forme_de_saisie(cas, autre_forme):
    d1, d2 = calcul(cas), calcul(cas)
    assert d1 == d2 and d1.etapes == d2.etapes
    # « 50 », « 50,00 », Decimal('50'), 50.0 : le même montant donne le même décompte, étapes comprises.
    assert calcul(replace(cas), autre_forme) == d1


# --- Saisies quelconques : une ErreurSaisie exactement quand une règle l'exige -------------------------

ecarts = st.integers(-500, 6_000).map(lambda c: D(c) / 100)                                      # −5 € à +60 €
taux_quelconques = st.integers(-20_000, 11_000).map(lambda c: D(c) / 100 if c >= -1_000 else None)   # −10 % à 110 %


@st.composite
def cas_quelconques(draw) -> tuple[Cas, str | None]:
    """Une saisie qui peut enfreindre une règle, et le champ de l'erreur attendue (None : valide).

    Peuvent être tirés : un DPTAM hors de sa période, des honoraires sous la base, un dépassement
    pour un patient CSS ou chez un secteur 1, un DA au-dessus du plafond, un taux hors de 0-100 %.
    """
    jour = draw(jours)
    medecin = draw(medecins(jour, dptam_valide=False))
    patient = draw(patients)
    parcours = draw(st.booleans())
    pe = parcours or patient.age < 16
    brss = draw(bases_saisies)
    ecart = draw(ecarts)
    taux = draw(taux_quelconques)
    garantie = draw(garanties())

    if medecin.dptam not in dptam_possibles(jour, medecin.specialite) + ["OPTAM-CO"] * (jour >= OPTAM_DEBUT):
        return Cas(D(50), jour, medecin, patient, garantie, parcours, brss, taux), "medecin.dptam"
    base0 = brss if brss is not None else base_du_tableau(medecin, jour, pe, age=patient.age)
    honoraires = base0 + ecart
    cas = Cas(honoraires, jour, medecin, patient, garantie, parcours, brss, taux)
    if honoraires < 0:
        return cas, "honoraires"                                           # montant négatif
    try:
        base = brss if brss is not None else base_du_tableau(medecin, jour, pe, honoraires, age=patient.age)
    except reimb.ErreurSaisie as e:   # ex. base « au tarif opposable » non établie après la fin de sa série
        return cas, e.champ
    depassement = honoraires - base
    if depassement < 0:
        return cas, "honoraires"                                           # sous la base
    if depassement > 0:
        if patient.css and medecin.conventionne:
            return cas, "honoraires"                                       # CSS : tarifs opposables
        if not medecin.peut_depasser:
            if pe or medecin.specialite == "generaliste":
                return cas, "honoraires"                                   # secteur 1 : pas de dépassement
            reference = tarif_de_reference_da(medecin, jour, brss)
            if depassement > plafond_da(reference, base):
                return cas, "honoraires"                                   # au-dessus du DA
    if taux is not None and not 0 <= taux <= 100:
        return cas, "taux"
    return cas, None


@BEAUCOUP
@given(cas_quelconques())
def test_erreur_exactement_quand_une_regle_l_exige(cas_et_champ):
    cas, champ = cas_et_champ
    if champ is None:
        d = calcul(cas)                                   # aucune exception d'aucune sorte
        verifier_somme_signes_centimes(d, cas)
        verifier_principe_indemnitaire(d, cas)
        return
    try:
        calcul(cas)
    except ErreurSaisie as e:                             # toute autre exception fait échouer le test
        assert e.champ == champ, (e.champ, champ, str(e))
        assert e.acceptes and "valeurs acceptées" in str(e)
    else:
        raise AssertionError(f"saisie acceptée alors qu'une erreur sur {champ!r} était attendue : {cas}")
